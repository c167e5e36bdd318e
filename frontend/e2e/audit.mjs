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
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, enrollmentCode, failedShot, freePort, resultsDir, serverBinary, serverCommand, startBinary, startServer, stopBinary, stopServer, waitForHttp } from './launch.mjs'; // prettier-ignore

const timeout = 20_000;
const admin = { fullName: 'Dana Admin', username: 'dana', passphrase: 'correct horse battery staple' };
const clinician = { fullName: 'Dr Sam Rivera', username: 'sam', passphrase: 'green valley clinic morning' };

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const dirs = [];
  const tmp = (p) => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; }; // prettier-ignore
  let server = null;
  let child = null;
  let browser = null;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  let broken = false;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await stopBinary(child);
    await stopServer(server);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  process.once('SIGINT', async () => { await cleanup(); process.exit(130); }); // prettier-ignore
  process.once('SIGTERM', async () => { await cleanup(); process.exit(130); }); // prettier-ignore

  const t0 = Date.now();
  let page = null;
  const shot = async (name) => page?.screenshot({ path: join(resultsDir, `audit-${name}.png`), fullPage: true }).catch(() => {});
  async function step(name, fn) {
    if (broken) {
      counts.skipped++;
      console.log(`  - ${name} (not run)`);
      return;
    }
    const t = Date.now();
    try {
      await fn();
      counts.passed++;
      console.log(`  ✓ ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      counts.failed++;
      broken = true;
      console.log(`  ✗ ${name}\n    ${String(e.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
      await shot(failedShot(name));
    }
  }

  try {
    const serverBin = serverBinary();
    const serverDir = join(tmp('outpost-e2e-audit-server-'), 'srv');
    serverCommand(serverBin, ['init', '-dir', serverDir]);
    const addr = `127.0.0.1:${await freePort()}`;
    const serverLog = join(resultsDir, 'outpost-server-audit.log');
    rmSync(serverLog, { force: true });
    server = await startServer(serverBin, serverDir, addr, serverLog);
    const code = enrollmentCode(serverBin, serverDir, addr);

    const bin = devBinary();
    buildFrontend();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    child = startBinary(bin, port, tmp('outpost-e2e-audit-ws-'), join(resultsDir, 'outpost-dev-audit.log'));
    await waitForHttp(url, child);
    console.log(`audit e2e: server ${addr}, workstation ${url} (${Date.now() - t0} ms to start)`);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (e) => console.log(`  (page error: ${process.env.E2E_DEBUG ? e.stack : e.message})`));
    await page.goto(url);

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
      await page.getByRole('heading', { name: 'Create a practice' }).waitFor({ timeout: 30_000 });
      await fill({ 'Practice name': 'Riverbend Rural Clinic', 'Full name': admin.fullName, Username: admin.username, Passphrase: admin.passphrase, 'Confirm passphrase': admin.passphrase });
      await button('Create practice').click();
      await page.getByLabel('I have printed or safely stored the recovery key').check();
      await button('Continue').click();
      await strip.getByRole('button', { name: 'Connect to a practice server' }).click();
      await page.getByRole('heading', { name: 'Practice server' }).waitFor();
      await fill({ 'Enrolment code': code, 'Workstation name': 'Front desk PC' });
      await button('Connect').click();
      await page.getByText(/Connected to the practice server at/).waitFor({ timeout: 30_000 });
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
  } catch (e) {
    counts.failed++;
    console.error(`audit e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await cleanup();
  }
  console.log(`audit e2e: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} not run` : ''} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

await main();
