// End-to-end checks of Outpost issue #9 (prescriptions, users, the PDF
// viewer, trend plots) against the real dev binary in Chromium:
//   - an administrator sets the practice's address and phone, and a
//     prescriber's licence number and NPI (a wrong check digit is refused);
//   - an administrator changes a user's role; deactivating asks first, in
//     plain words, and Cancel changes nothing;
//   - a printed prescription carries the prescriber's licence and NPI, the
//     practice address and phone, and the patient's allergies (pdftotext);
//   - the PDF viewer's Print button prints the document (print() is called
//     in the frame that holds the PDF, not the app's window), and the
//     window's CSP still refuses an inline script afterwards;
//   - the vitals trend plot shades the typical range and says it in words.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev node frontend/e2e/polish.mjs
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is. Prints `polish e2e: N passed, M failed`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { injectInlineScript, pickFirstCode, resultsDir, runE2E } from './launch.mjs'; // prettier-ignore

const timeout = 15_000;
const admin = { username: 'dana', passphrase: 'correct horse battery staple' };
const clinician = { username: 'sam', passphrase: 'green valley clinic morning' };

// Every frame's print() is replaced before any of its scripts run: a call
// is recorded in the app's window (with where it came from) instead of
// opening the print dialog.
function stubPrint() {
  window.print = () => {
    const top = window.top;
    top.__prints = top.__prints || [];
    top.__prints.push(location.protocol);
  };
}

async function scenario(page, url, step) {
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (n, scope = page) => scope.getByRole('button', { name: n, exact: true });
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const tab = (name) => chart.getByRole('tab', { name, exact: true }).click();
  const notice = () => page.locator('p.alert.ok[role="status"]').filter({ hasText: /\S/ }).first();
  const users = page.getByRole('table', { name: 'Users' });
  const row = (username) => users.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
  async function signIn({ username, passphrase }) {
    await page.keyboard.press('Control+L');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await byLabel('Username').fill(username);
    await byLabel('Passphrase').fill(passphrase);
    await button('Sign in').click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
  }
  async function openPatient() {
    await button('Patients').click();
    await byLabel('Search patients').fill('Okafor');
    await page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: 'OKAFOR, Ada' }).first().click();
    await page.getByRole('region', { name: 'Patient banner' }).getByText('OKAFOR, Ada').waitFor();
  }
  const adminTab = async (name) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('tab', { name, exact: true }).click();
  };

  await step('an administrator sets the practice address and phone', async () => {
    await signIn(admin);
    await adminTab('Practice settings');
    const f = page.getByRole('form', { name: 'Address and phone' });
    await byLabel('Practice address', f).fill('12 Mill Road\nRiverbend, ON K0A 1B0');
    await byLabel('Practice phone', f).fill('call us');
    await button('Save address and phone', f).click();
    await page.locator('#pc-phone[aria-invalid="true"]').waitFor();
    await byLabel('Practice phone', f).fill('+1 613 555 0199');
    await button('Save address and phone', f).click();
    await f.getByRole('status').getByText(/Address and phone saved/).waitFor();
  });

  await step('an administrator sets the registry targets; an interval of 30 months is refused', async () => {
    const f = page.getByRole('form', { name: 'Registry targets' });
    await byLabel('HbA1c every (months)', f).fill('30');
    await button('Save registry targets', f).click();
    await page.locator('#rt-a1cMonths[aria-invalid="true"]').waitFor();
    await f.getByText('The HbA1c interval must be between 1 and 24 months.').waitFor();
    await byLabel('HbA1c every (months)', f).fill('3');
    await byLabel('HbA1c target (%)', f).fill('7');
    await button('Save registry targets', f).click();
    await f.getByRole('status').getByText(/Registry targets saved/).waitFor();
  });

  await step("an administrator sets a prescriber's licence number and NPI; a wrong check digit is refused", async () => {
    await adminTab('Users');
    await button('Professional details of sam').click();
    const dialog = page.getByRole('dialog', { name: 'Professional details of Dr Sam Rivera' });
    await byLabel('Licence number', dialog).fill('CPSO 81234');
    await byLabel('National Provider Identifier (NPI)', dialog).fill('1234567890');
    await button('Save details', dialog).click();
    await dialog.locator('#pd-npi[aria-invalid="true"]').waitFor();
    assert.match(await dialog.innerText(), /check digit/);
    await byLabel('National Provider Identifier (NPI)', dialog).fill('1234567893');
    await button('Save details', dialog).click();
    await row('sam').getByText('Licence CPSO 81234 · NPI 1234567893').waitFor();
  });

  await step("an administrator changes a user's role", async () => {
    await byLabel('Full name').fill('Nora Quist');
    await byLabel('Username').fill('nora');
    await byLabel('Initial passphrase').fill('nurse on the night shift');
    await byLabel('Role').selectOption('nurse');
    await button('Add user').click();
    await row('nora').getByRole('cell', { name: 'Nurse', exact: true }).waitFor();
    await button('Change role of nora').click();
    const dialog = page.getByRole('dialog', { name: 'Change the role of Nora Quist' });
    assert.match(await dialog.innerText(), /next time they sign in/);
    await byLabel('New role', dialog).selectOption('clinician');
    await button('Change role', dialog).click();
    await row('nora').getByRole('cell', { name: 'Clinician', exact: true }).waitFor();
    assert.match(await notice().innerText(), /Nora Quist is now Clinician/);
  });

  await step('deactivating asks first and says what it does; Cancel changes nothing', async () => {
    await button('Deactivate nora').click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate Nora Quist?' });
    const text = await dialog.innerText();
    assert.match(text, /will no longer be able to sign in/);
    assert.match(text, /records written from now on are locked to them/);
    await button('Cancel', dialog).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.match(await row('nora').innerText(), /Active/);
    await button('Deactivate nora').click();
    await button('Deactivate nora', page.getByRole('dialog', { name: 'Deactivate Nora Quist?' })).click();
    await row('nora').getByText('Deactivated').waitFor();
    assert.match(await notice().innerText(), /practice key/);
  });

  await step('a printed prescription carries the licence, NPI, practice address and phone, and the allergies', async () => {
    await signIn(clinician);
    await openPatient();
    await tab('Allergies');
    await button('Add allergy', chart).click();
    const fa = page.getByRole('form', { name: 'New allergy' });
    await byLabel('Substance', fa).fill('Penicillin');
    await byLabel('Substance', fa).press('Escape');
    await byLabel('Reaction', fa).fill('hives');
    await button('Save allergy', fa).click();
    await page.getByRole('list', { name: 'Allergy list' }).getByText(/Penicillin/).waitFor();
    await tab('Medications');
    await button('Add medication', chart).click();
    const fm = page.getByRole('form', { name: 'New medication' });
    const drug = fm.getByRole('combobox', { name: /Medication/ });
    await pickFirstCode(fm, drug, 'metformin 500');
    await byLabel('Dose', fm).fill('500');
    await byLabel('Dose unit', fm).fill('mg');
    await byLabel('Frequency', fm).fill('twice daily');
    await byLabel('Quantity', fm).fill('60');
    await button('Check and save', fm).click();
    await fm.waitFor({ state: 'detached' });
    await button('Prescription', chart).first().click();
    const viewer = page.getByRole('dialog', { name: 'Prescription' });
    const link = viewer.getByRole('link', { name: /^Download / });
    await link.waitFor();
    const bytes = await page.evaluate(async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())], await link.getAttribute('href'));
    const file = join(resultsDir, 'polish-prescription.pdf');
    writeFileSync(file, Buffer.from(bytes));
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.equal(text.status, 0, `pdftotext: ${text.stderr}`);
    for (const want of ['Dr Sam Rivera', 'CPSO 81234', '1234567893', '12 Mill Road', 'Riverbend, ON K0A 1B0', '+1 613 555 0199', 'PENICILLIN', 'hives', 'metformin']) {
      assert.ok(text.stdout.toLowerCase().includes(want.toLowerCase()), `the prescription does not say ${want}:\n${text.stdout}`);
    }
  });

  await step("the PDF viewer's Print button prints the PDF itself, in its own frame", async () => {
    const viewer = page.getByRole('dialog', { name: 'Prescription' });
    await page.evaluate(() => (window.__prints = []));
    await button('Print', viewer).click();
    await page.waitForFunction(() => (window.__prints ?? []).length > 0, null, { timeout });
    const prints = await page.evaluate(() => window.__prints);
    assert.deepEqual(prints, ['blob:'], `print() was called from ${prints}: want only the PDF's frame`);
    const frame = viewer.locator('iframe.print-frame');
    const head = await page.evaluate(async (u) => new TextDecoder().decode((await (await fetch(u)).arrayBuffer()).slice(0, 5)), await frame.getAttribute('src'));
    assert.equal(head, '%PDF-', 'the frame printed something other than the PDF');
    // A second click prints again without loading a second frame.
    await button('Print', viewer).click();
    await page.waitForFunction(() => window.__prints.length === 2, null, { timeout });
    assert.equal(await viewer.locator('iframe').count(), 1);
    await button('Close', viewer).click();
    assert.equal(await page.locator('iframe').count(), 0, 'the print frame outlived the viewer');
  });

  await step("the window's CSP still refuses an inline script", async () => {
    const csp = (await fetch(url)).headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /frame-src blob:;/);
    const seen = await injectInlineScript(page);
    assert.equal(seen.ran, false, 'the injected inline script ran');
    assert.ok(seen.violations.some((d) => d.startsWith('script-src')), `no script-src violation: ${seen.violations}`);
  });

  await step('the vitals trend plot shades the typical range and says it in words', async () => {
    await tab('Vitals');
    for (const [when, rate] of [['2026-01-05T09:00', '72'], ['2026-02-05T09:00', '112']]) {
      await button('Record vitals', chart).click();
      const f = page.getByRole('form', { name: 'Record vitals' });
      await byLabel('Taken at', f).fill(when);
      await byLabel('Heart rate', f).fill(rate);
      await button('Save vitals', f).click();
      await f.waitFor({ state: 'detached' });
    }
    const plot = chart.locator('figure.plot');
    await plot.locator('rect.band').first().waitFor();
    // The plot was drawn after the first save: wait for its redraw with the
    // second reading (the chart reloads after each save), not the first one.
    await plot.locator('p.sr-only', { hasText: '2 values' }).waitFor({ state: 'attached', timeout });
    assert.match(await plot.innerText(), /typical adult range 60–100/);
    const summary = await plot.locator('p.sr-only').textContent();
    assert.match(summary, /Heart rate \(\/min\): 2 values from 5 Jan 2026 to 5 Feb 2026/);
    assert.match(summary, /Typical adult range 60 to 100: 1 above, none below\./);
    assert.ok((await plot.locator('text.axis').count()) >= 4, 'the axes have too few labels');
    await plot.screenshot({ path: join(resultsDir, 'polish-trend.png') });
  });
}

await runE2E('polish', (page, step, url) => scenario(page, url, step), { viewport: { width: 1100, height: 800 }, initScript: stubPrint, timeoutMs: timeout });
