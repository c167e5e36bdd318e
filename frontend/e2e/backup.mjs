// End-to-end test of backups (Outpost issue #15) in Chromium against the
// real dev binary: an administrator chooses a backup folder and a schedule,
// backs up now (progress, then "verified"), the workstation is wiped, and
// its first-run screen restores the chart from the backup drive — refusing
// a copy with one flipped byte and offering the good generation — after
// which everyone signs in as before: the patient and the signed note are
// there and the audit chain verifies.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev node frontend/e2e/backup.mjs
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is. Prints
// `backup e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, failedShot, freePort, resultsDir, runStep, setUpClinician, startBinary, stopBinary, waitForHttp } from './launch.mjs';

const timeout = 20_000;
const adminPass = 'correct horse battery staple';
const docPass = 'green valley clinic morning';
const noteText = 'Wheeze on the left, peak flow 310.';

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'outpost-backup-e2e-'));
  const dataDir = join(root, 'workstation');
  const usb = join(root, 'usb', 'outpost-backups');
  mkdirSync(dataDir);
  mkdirSync(usb, { recursive: true });
  const counts = { passed: 0, failed: 0 };
  let child = null;
  let browser = null;
  let page = null;
  const bin = devBinary();
  const logPath = join(resultsDir, 'outpost-dev-backup.log');
  const start = async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    child = startBinary(bin, port, dataDir, logPath);
    await waitForHttp(url, child);
    return url;
  };
  const shot = (name) => page.screenshot({ path: join(resultsDir, `backup-${name}.png`), fullPage: true });
  const step = (name, fn) => runStep(counts, name, fn, async () => shot(failedShot(name)));
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const signIn = async (username, passphrase) => {
    await byLabel('Username').fill(username);
    await byLabel('Passphrase').fill(passphrase);
    await button('Sign in').click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
  };
  const backups = () => readdirSync(usb).filter((n) => n.endsWith('.outpost-backup'));
  try {
    buildFrontend();
    console.log(`backup e2e: starting ${bin} (data ${dataDir}, backup folder ${usb}, log ${logPath})`);
    const url = await start();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    page.setDefaultTimeout(timeout);
    await setUpClinician(page, url);
    console.log('  ✓ set up: practice, clinician signed in, patient registered');
    const chart = () => page.getByRole('region', { name: 'Clinical chart' });

    await step('the clinician signs a note', async () => {
      await chart().getByRole('tab', { name: 'Notes', exact: true }).click();
      await button('New note', chart()).click();
      await button('Start note', page.getByRole('form', { name: 'New note' })).click();
      const editor = page.getByRole('form', { name: 'Edit note' });
      await byLabel('Title', editor).fill('Asthma review');
      await byLabel('Subjective', editor).fill(noteText);
      await byLabel('Subjective', editor).press('Tab');
      await editor.getByRole('status').getByText(/^Saved \d\d:\d\d$/).waitFor();
      await button('Sign…', editor).click();
      await button('Sign note', page.getByRole('dialog', { name: 'Sign this note?' })).click();
      await page.getByRole('article', { name: 'Signed note: Asthma review' }).waitFor();
    });

    await step('the administrator chooses the backup folder and a daily time', async () => {
      await page.keyboard.press('Control+L');
      await signIn('dana', adminPass);
      const strip = page.getByTestId('backup-status');
      assert.match(await strip.innerText(), /No backup yet/);
      assert.match(await page.getByTestId('backup-warning').innerText(), /No backup folder is chosen/);
      await strip.getByRole('button').click(); // administrators go to Admin → Backups from the strip
      await page.getByRole('heading', { name: 'Backups of this workstation' }).waitFor();
      const settings = page.getByRole('form', { name: 'Backup settings' });
      await byLabel('Backup folder', settings).fill(usb);
      await byLabel('Back up every day at', settings).fill('21:30');
      await byLabel('Daily backups kept', settings).fill('0');
      await button('Save backup settings', settings).click();
      await page.locator('#f-keepDaily-error').getByText('Daily backups kept must be between 1 and 366.').waitFor();
      await byLabel('Daily backups kept', settings).fill('7');
      await button('Save backup settings', settings).click();
      await settings.getByRole('status').getByText(`backs up to ${usb} every day at 21:30 and when Outpost closes`).waitFor();
      assert.match(await page.getByTestId('backup-warning').innerText(), /no backup of this chart yet/);
      await shot('01-settings');
    });

    await step('Back up now: progress, then a verified backup in the folder and in the strip', async () => {
      await button('Back up now').click();
      const last = page.getByTestId('last-backup');
      await last.getByText(/Verified: all \d+ records open with the practice key and the audit log \(\d+ entries\) is intact\./).waitFor();
      assert.match(await last.innerText(), /1 patient, \d+ records, 1 signed note/);
      assert.equal(backups().length, 1, 'one backup file in the folder');
      assert.match(backups()[0], /^Riverbend-Rural-Clinic_workstation-[0-9a-f]{6}_\d{8}T\d{6}Z\.outpost-backup$/);
      assert.equal(readdirSync(usb).length, 1, 'nothing else (no temporary file) is left');
      await page.getByTestId('backup-status').getByText('Last backup just now').waitFor();
      assert.equal(await page.getByTestId('backup-warning').count(), 0, 'no warning once backed up');
      const table = page.getByRole('table', { name: 'Backups in the folder' });
      await button('Verify', table).click();
      await table.getByText(/Verified: all \d+ records open/).waitFor();
      await shot('02-backed-up');
    });

    await step('the backup file reveals no health data', async () => {
      const bytes = readFileSync(join(usb, backups()[0]));
      for (const secret of ['Okafor', noteText, 'Asthma review', '555 0101']) {
        assert.equal(bytes.includes(Buffer.from(secret)), false, `the backup holds "${secret}" in clear`);
      }
    });

    await step('the workstation is wiped: the first-run screen offers a restore', async () => {
      await browser.close();
      await stopBinary(child);
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir);
      // A second copy with one flipped byte, listed first.
      const good = join(usb, backups().sort().at(-1));
      const bad = join(usb, 'zz-copy.outpost-backup');
      copyFileSync(good, bad);
      const b = readFileSync(bad);
      b[Math.floor(b.length / 2)] ^= 0x04;
      writeFileSync(bad, b);
      const url2 = await start();
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
      page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(url2);
      await page.getByRole('heading', { name: 'Create a practice' }).waitFor({ timeout: 30_000 });
      await button('Restore from a backup').click();
      await page.getByRole('heading', { name: 'Restore from a backup' }).waitFor();
    });

    await step('a backup with a flipped byte is refused and the good generation offered', async () => {
      await byLabel('Backup folder or file').fill(usb);
      await button('Look for backups').click();
      const found = page.getByRole('table', { name: 'Backups found' });
      const rows = found.locator('tbody tr');
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2);
      await button('Restore this one', rows.nth(0)).click();
      await page.getByRole('alert').getByText(/The backup zz-copy\.outpost-backup is damaged: .*use another backup/i).waitFor();
      await shot('03-damaged');
      await button('Restore this one', rows.nth(1)).click();
      const what = page.getByRole('definition').filter({ hasText: 'Riverbend Rural Clinic' });
      await what.waitFor();
      assert.match(await page.getByTestId('restore-check').innerText(), /Record seals are checked at the next sign-in|Verified/);
    });

    await step('unlocked with the administrator passphrase, it restores', async () => {
      const unlock = page.getByRole('form', { name: 'Unlock the backup' });
      await byLabel("Administrator's username", unlock).fill('sam');
      await byLabel('Passphrase', unlock).fill(docPass);
      await button('Unlock', unlock).click();
      await page.getByRole('alert').getByText('Only an administrator can restore a backup', { exact: false }).waitFor();
      await byLabel("Administrator's username", unlock).fill('dana');
      await byLabel('Passphrase', unlock).fill(adminPass);
      await button('Unlock', unlock).click();
      await page.getByTestId('restore-check').getByText(/Verified: all \d+ records open with the practice key/).waitFor();
      await shot('04-unlocked');
      await button('Restore').click();
      await page.getByRole('status').getByText('Restored.').waitFor();
      await button('Go to sign in').click();
      await page.getByRole('heading', { name: 'Riverbend Rural Clinic' }).waitFor();
      assert.ok(!existsSync(join(dataDir, 'chart.db.replaced')), 'nothing to keep aside on a wiped workstation');
    });

    await step('everyone signs in as before: the patient and the signed note are there', async () => {
      await signIn('sam', docPass);
      await page.getByTestId('backup-status').getByText(/^Last backup /).waitFor(); // the one restored from
      assert.equal(await page.getByTestId('backup-warning').count(), 0);
      await page.getByLabel('Search patients', { exact: true }).fill('okafor');
      await page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: 'OKAFOR' }).first().click();
      await chart().waitFor();
      await chart().getByRole('tab', { name: 'Notes', exact: true }).click();
      await chart().getByRole('button', { name: /Asthma review/ }).click();
      const note = page.getByRole('article', { name: 'Signed note: Asthma review' });
      await note.waitFor();
      assert.match(await note.innerText(), new RegExp(noteText.replace(/[.]/g, '\\.')));
      await shot('05-restored-note');
    });

    await step('the restored audit chain verifies and records the restore', async () => {
      await page.keyboard.press('Control+L');
      await signIn('dana', adminPass);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
      await page.getByRole('tab', { name: 'Audit log' }).click();
      await button('Verify integrity').click();
      await page.getByRole('status').getByText(/The audit log is intact: \d+ entries checked/).waitFor();
      await page.getByText(/restored this workstation's chart from the backup Riverbend-Rural-Clinic_/).first().waitFor();
      await shot('06-audit');
    });
  } catch (e) {
    counts.failed++;
    console.error(`backup e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopBinary(child);
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`backup e2e: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

await main();
