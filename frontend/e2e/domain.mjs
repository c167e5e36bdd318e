// End-to-end checks of the chart's rules and forms (Outpost issue #8): every
// field error at once and in screen order, a date of birth typed as people
// type it, Refills that saves, prescribing kept to clinicians, the true
// count of a long search, and a vaccine lot used after its expiry.
//
// Starts the dev binary like run.mjs, sets up a practice with a clinician
// and a patient (launch.mjs), then runs its steps:
//   OUTPOST_DEV_BIN=build/bin/outpost-dev node frontend/e2e/domain.mjs
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is; OUTPOST_E2E_ASSETDIR serves
// another built frontend (to check the steps fail on an older build). It prints
// `domain e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, failedShot, freePort, frontendDir, resultsDir, setUpClinician, startBinary, stopBinary, waitForHttp } from './launch.mjs';

const timeout = 15_000;
const adminPass = 'correct horse battery staple';
const nursePass = 'quiet river evening shift';

async function domainSteps(page) {
  page.setDefaultTimeout(timeout);
  const counts = { passed: 0, failed: 0 };
  const shot = (name) => page.screenshot({ path: join(resultsDir, `domain-${name}.png`), fullPage: true });
  async function step(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      counts.passed++;
      console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      counts.failed++;
      console.log(`  ✗ ${name}\n    ${String(e.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
      await shot(failedShot(name)).catch(() => {});
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const tab = (name) => chart.getByRole('tab', { name, exact: true }).click();
  const form = (name) => page.getByRole('form', { name });
  const fill = async (fields, scope = page) => { for (const [l, v] of Object.entries(fields)) await byLabel(l, scope).fill(v); }; // prettier-ignore

  async function openPatient(query, name) {
    await button('Patients').click();
    await page.getByLabel('Search patients', { exact: true }).fill(query);
    await page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: name }).first().click();
    await page.getByRole('region', { name: 'Patient banner' }).getByText(name).waitFor();
    await chart.waitFor();
  }

  async function signInAs(username, passphrase) {
    await page.keyboard.press('Control+L');
    await fill({ Username: username, Passphrase: passphrase });
    await button('Sign in').click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
  }

  await step('the patient form shows every field error at once, in screen order, and focuses the first', async () => {
    await page.keyboard.press('Alt+N');
    await page.getByRole('heading', { name: 'Register patient' }).waitFor();
    // Family name left empty; a right-to-left override in the given name
    // (it would display "joe" reversed); a date that does not exist; a
    // phone of words; an overlong postal code.
    await fill({ 'Given name': '\u202Eeoj', 'Date of birth': '31/04/1980', Phone: 'call me', 'Postal code': '1'.repeat(25) });
    await button('Save').click();
    const summary = page.getByRole('alert').filter({ hasText: 'fields need attention' });
    await summary.waitFor();
    const want = ['familyName', 'givenName', 'birthDate', 'phone', 'address.postalCode'];
    const invalid = await page.evaluate(() => [...document.querySelectorAll('[aria-invalid="true"]')].map((e) => e.getAttribute('name')));
    assert.deepEqual(invalid, want, 'every field with a problem is marked, in the order of the page');
    const listed = await summary.locator('li a').allInnerTexts();
    assert.deepEqual(listed, ['Family name', 'Given name', 'Date of birth', 'Phone', 'Postal code'], 'the summary lists them in screen order');
    assert.match(await summary.innerText(), /5 fields need attention/);
    assert.match(await page.locator('#f-givenName-error').innerText(), /direction/i);
    assert.match(await page.locator('#f-birthDate-error').innerText(), /April 1980 has no day 31/);
    await page.waitForFunction(() => document.activeElement?.id === 'f-familyName');
    assert.equal(await page.getByRole('region', { name: 'Patient banner' }).count(), 0, 'nothing was registered');
    await shot('01-all-errors');
  });

  await step('a date of birth typed as "12 Mar 1980" is understood and stored as such', async () => {
    await fill({ 'Family name': 'Nwosu', 'Given name': 'Chidi', 'Date of birth': '12 Mar 1980', Phone: '555 0142', 'Postal code': '7010' });
    await page.locator('#f-birthDate-hint').getByText('Understood as 12 March 1980').waitFor();
    await fill({ 'Date of birth': '03/12/1980' });
    await page.locator('#f-birthDate-hint').getByText('Understood as 3 December 1980').waitFor(); // a metric practice reads day first
    await fill({ 'Date of birth': '12 Mar 1980' });
    await shot('02-dob-understood');
    await button('Save').click();
    await page.getByRole('region', { name: 'Patient banner' }).getByText('NWOSU, Chidi').waitFor();
    const dob = await page.evaluate(async () => (await window.go.app.Patients.Search('Nwosu'))[0].birthDate);
    assert.equal(dob, '1980-03-12');
  });

  await step('a medication with a number in Refills saves (after the unasked-allergies prompt)', async () => {
    await openPatient('Okafor', 'OKAFOR, Ada');
    await tab('Medications');
    await button('Add medication', chart).click();
    const f = form('New medication');
    const drug = f.getByRole('combobox', { name: /Medication/ });
    await drug.fill('Metformin 500 mg oral tablet');
    await drug.press('Escape');
    await fill({ Dose: '500', 'Dose unit': 'mg', Frequency: 'twice daily', Quantity: '60', Refills: '2' }, f);
    await button('Check and save', f).click();
    // Allergies were never asked for this patient: the form asks first.
    const prompt = f.getByRole('alert').filter({ hasText: 'Allergies have not been asked' });
    await prompt.waitFor();
    await shot('03-allergies-not-asked');
    await button('Add without allergy information', prompt).click();
    const row = chart.getByRole('table', { name: 'Medications' }).locator('tbody tr').filter({ hasText: 'Metformin' });
    await row.waitFor();
    assert.match(await row.innerText(), /refills 2/);
    const med = await page.evaluate(async () => {
      const [p] = await window.go.app.Patients.Search('Okafor');
      return (await window.go.app.Chart.Medications(p.id)).find((m) => /Metformin/.test(m.drug.display));
    });
    assert.equal(med.refills, 2);
    assert.equal(med.source, 'prescribed');
  });

  await step('a nurse cannot choose "Prescribed here", and the backend refuses it too', async () => {
    await signInAs('dana', adminPass);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Add a user' }).waitFor();
    await fill({ 'Full name': 'Nina Nurse', Username: 'nina', 'Initial passphrase': nursePass });
    await byLabel('Role').selectOption('nurse');
    await button('Add user').click();
    await page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'nina' }).waitFor();
    await signInAs('nina', nursePass);
    await openPatient('Okafor', 'OKAFOR, Ada');
    await tab('Medications');
    await button('Add medication', chart).click();
    const f = form('New medication');
    const options = await byLabel('Source', f).locator('option').allInnerTexts();
    assert.deepEqual(options, ['Reported by patient'], 'a nurse is offered only "Reported by patient"');
    assert.match(await f.locator('#med-source-note').innerText(), /Prescribing is for clinicians/);
    await shot('04-nurse-source');
    const refused = await page.evaluate(async () => {
      const [p] = await window.go.app.Patients.Search('Okafor');
      try {
        await window.go.app.Chart.SaveMedication({ patientId: p.id, drug: { system: '', code: '', display: 'Amoxicillin 500 mg' }, source: 'prescribed', status: 'active' }, '');
        return 'saved';
      } catch (e) {
        return String(e?.message ?? e);
      }
    });
    const err = JSON.parse(refused);
    assert.equal(err.code, 'forbidden', `a nurse's prescription is refused by the backend, got ${refused}`);
    assert.equal(err.field, 'source');
    await button('Cancel', f).click();
  });

  await step('a vaccine given after its lot expired needs a stated reason', async () => {
    await tab('Immunizations');
    await button('Add immunization', chart).click();
    const f = form('New immunization');
    const vaccine = f.getByRole('combobox', { name: /Vaccine/ });
    await vaccine.fill('Td (adult) tetanus and diphtheria');
    await vaccine.press('Escape');
    await fill({ Lot: 'TD123', Expiry: '2020-01-31' }, f);
    await button('Save immunization', f).click();
    const warning = f.getByRole('alert').filter({ hasText: 'Dose given after the lot expired' });
    await warning.waitFor();
    assert.match(await warning.innerText(), /Lot TD123 expired on 31 January 2020/);
    await page.waitForFunction(() => document.activeElement?.id === 'imm-expiredLotReason');
    assert.equal(await chart.getByRole('table', { name: 'Immunizations' }).getByText('No immunizations recorded.').count(), 1, 'nothing saved');
    await shot('05-expired-lot');
    await byLabel('Reason for recording it as it is', warning).fill('Manufacturer extended the expiry; letter on file');
    await button('Save with this reason', f).click();
    await chart.getByRole('table', { name: 'Immunizations' }).getByText(/Given after the lot expired .*Manufacturer extended/).waitFor();
  });

  await step('a search above 50 patients says how many matched in all, and punctuation alone finds no one', async () => {
    await page.evaluate(async () => {
      for (let i = 0; i < 57; i++) {
        await window.go.app.Patients.Register({ givenName: `Given${i}`, familyName: 'Countwell', birthDate: '1990-01-01', sex: 'unknown', phone: '',
          address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: '', directions: '' },
          emergencyContact: { name: '', relationship: '', phone: '' } }); // prettier-ignore
      }
    });
    await button('Patients').click();
    const search = page.getByLabel('Search patients', { exact: true });
    await search.fill('countwell');
    await page.locator('section[aria-busy="false"] #patient-results').waitFor();
    const count = page.locator('#search-count');
    await count.getByText('57 found; the first 50 are listed.').waitFor();
    assert.match(await count.innerText(), /Narrow the search/);
    assert.equal(await page.locator('#patient-results tbody tr').count(), 50);
    await shot('06-search-count');
    await search.fill('-');
    await page.getByText('Type letters or digits to search').waitFor();
    assert.equal(await page.locator('#patient-results').count(), 0, 'no list for punctuation alone');
  });

  return counts;
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  let child = null;
  let browser = null;
  let counts = { passed: 0, failed: 1 };
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-domain-'));
  try {
    const bin = devBinary();
    buildFrontend();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const logPath = join(resultsDir, 'outpost-dev-domain.log');
    console.log(`domain e2e: starting ${bin} on ${url} (log ${logPath})`);
    child = startBinary(bin, port, dataDir, logPath, resolve(process.env.OUTPOST_E2E_ASSETDIR || join(frontendDir, 'dist')));
    await waitForHttp(url, child);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    const errors = [];
    // Errors thrown by Outpost's own code fail the run. Wails' dev-mode
    // ipc.js throws once while the page first loads; that is not ours.
    page.on('pageerror', (e) => {
      if (!/\/wails\/ipc\.js/.test(e.stack ?? '')) errors.push(e.stack || String(e));
    });
    await setUpClinician(page, url);
    console.log('  ✓ set up: practice, clinician signed in, patient registered');
    counts = await domainSteps(page);
    if (errors.length) {
      console.log(`domain e2e: uncaught errors in the page:\n  ${errors.join('\n  ')}`);
      counts.failed++;
    }
  } catch (e) {
    console.error(`domain e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopBinary(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`domain e2e: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

await main();
