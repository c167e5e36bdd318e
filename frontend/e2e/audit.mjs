// End-to-end test of the audit log: "who opened Ada Okafor's chart?",
// answered through the UI of a real workstation (dev binary) connected to
// the real practice server binary, driven with Chromium.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev [OUTPOST_SERVER_BIN=build/bin/outpost-server] node frontend/e2e/audit.mjs
//
// The administrator creates the practice, connects it to the server and
// adds a clinician; the clinician registers Ada Okafor and opens her chart.
// Back as the administrator: Admin → Audit log, type her name in the
// patient filter, pick her, and the chart open is listed by name and
// attributed to the clinician. Verifying says the log is intact, including
// the practice server's copy of this workstation's newest synced entry.
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resultsDir } from './launch.mjs';
import { createAndConnect, runWorkstations } from './workstations.mjs';

const timeout = 20_000;
const admin = { fullName: 'Dana Admin', username: 'dana', passphrase: 'correct horse battery staple' };
const clinician = { fullName: 'Dr Sam Rivera', username: 'sam', passphrase: 'green valley clinic morning' };

async function main() {
  await runWorkstations('audit', async ({ pages: [page], codes: [code], step }) => {
    const shot = async (name) => page.screenshot({ path: join(resultsDir, `audit-${name}.png`), fullPage: true }).catch(() => {});
    const byLabel = (l) => page.getByLabel(l, { exact: true });
    const button = (n) => page.getByRole('button', { name: n, exact: true });
    const strip = page.getByRole('region', { name: 'Sync status' });
    const fill = async (fields) => { for (const [l, v] of Object.entries(fields)) await byLabel(l).fill(v); }; // prettier-ignore
    const signInAs = async (u) => {
      await page.keyboard.press('Control+L');
      await fill({ Username: u.username, Passphrase: u.passphrase });
      await button('Sign in').click();
      await page.getByRole('heading', { name: 'Patients' }).waitFor();
    };

    await step('the administrator creates the practice, connects the server and adds a clinician', async () => {
      await createAndConnect(page, { ...admin, practice: 'Riverbend Rural Clinic' }, code, 'Front desk PC');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
      await page.getByRole('tab', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Add a user' }).waitFor();
      await fill({ 'Full name': clinician.fullName, Username: clinician.username, 'Initial passphrase': clinician.passphrase });
      await byLabel('Role').selectOption('clinician');
      await button('Add user').click();
      await page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: clinician.username }).waitFor();
    });

    await step('the clinician registers Ada Okafor and opens her chart', async () => {
      await signInAs(clinician);
      await page.keyboard.press('Alt+N');
      await page.getByRole('heading', { name: 'Register patient' }).waitFor();
      await fill({ 'Family name': 'Okafor', 'Given name': 'Ada', 'Date of birth': '1980-03-12', Phone: '555 0101', 'City or town': 'Riverbend' });
      await byLabel('Sex').selectOption('female');
      await button('Save').click();
      await page.getByRole('region', { name: 'Patient banner' }).getByText('OKAFOR, Ada').waitFor();
      for (let i = 0; i < 3; i++) {
        await button('Patients').click();
        await byLabel('Search patients').fill(i % 2 ? 'Ada' : 'Okafor');
        await page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: 'OKAFOR' }).first().click();
        await page.getByRole('region', { name: 'Patient banner' }).getByText('OKAFOR, Ada').waitFor();
      }
    });

    await step('the administrator syncs, then filters the audit log by the patient\'s name', async () => {
      await signInAs(admin);
      const pending = strip.getByTestId('sync-pending');
      const deadline = Date.now() + 30_000;
      while ((await pending.innerText()) !== 'No changes waiting') {
        if (Date.now() > deadline) throw new Error(`changes still waiting: ${await strip.innerText()}`);
        const now = strip.getByRole('button', { name: 'Sync now', exact: true });
        if (await now.isEnabled().catch(() => false)) await now.click().catch(() => {});
        await page.waitForTimeout(500);
      }
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
      await page.getByRole('tab', { name: 'Audit log' }).click();
      const table = page.getByRole('table', { name: 'Audit log' });
      await table.locator('tbody tr').first().waitFor();
      await page.getByRole('combobox', { name: 'Patient' }).fill('Okafor');
      await page.getByRole('option', { name: /^Ada Okafor/ }).click();
      await page.locator('table[aria-busy="false"]').waitFor();
      const opened = table.getByRole('row').filter({ hasText: 'chart open' }).filter({ hasText: `${clinician.fullName} (${clinician.username})` });
      await opened.first().waitFor();
      const rows = await table.locator('tbody tr').allInnerTexts();
      assert.ok(rows.length >= 2, `the patient's entries are listed (${rows.length})`);
      for (const r of rows) assert.match(r, /Ada Okafor/, `every row names the patient: ${r}`);
      assert.match(await opened.first().innerText(), /This workstation/);
      await shot('filtered');
    });

    await step('verifying says the log is intact here and matches the practice server\'s copy', async () => {
      await button('Verify integrity').click();
      const result = page.getByRole('region', { name: 'Verification result' });
      await result.getByText(/The audit log is intact/).waitFor({ timeout: 30_000 });
      const text = await result.innerText();
      assert.match(text, /hash chain and keyed chain intact/);
      assert.match(text, /practice server's copy of this workstation's newest synced entry, entry \d+, matches this log/);
      await shot('verified');
    });

    await step('the pages walk older and back to the newest', async () => {
      await page.getByRole('button', { name: 'Clear patient' }).click();
      const nav = page.getByRole('navigation', { name: 'Audit log pages' });
      const table = page.getByRole('table', { name: 'Audit log' });
      await page.getByLabel('Entries per page').selectOption('20');
      await page.locator('table[aria-busy="false"]').waitFor();
      await nav.getByText('Page 1', { exact: true }).waitFor();
      assert.equal(await nav.getByRole('button', { name: 'Newer entries' }).isDisabled(), true);
      assert.equal(await table.locator('tbody tr').count(), 20, 'a full first page');
      const newest = await table.locator('tbody tr').first().innerText();
      await nav.getByRole('button', { name: 'Older entries' }).click();
      await nav.getByText('Page 2', { exact: true }).waitFor();
      const older = await table.locator('tbody tr').allInnerTexts();
      assert.ok(older.length > 0 && !older.includes(newest), 'page 2 holds older entries');
      await nav.getByRole('button', { name: 'Newer entries' }).click();
      await nav.getByText('Page 1', { exact: true }).waitFor();
      assert.equal(await table.locator('tbody tr').first().innerText(), newest);
    });
  }, { count: 1, viewport: { width: 1280, height: 900 }, timeoutMs: timeout });
}

await main();
