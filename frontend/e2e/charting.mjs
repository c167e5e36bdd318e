// End-to-end test of the charting motions of one visit: today's patients on
// the home screen, a visit opened, a class allergy (penicillins) that
// fires when amoxicillin is picked from RxNorm, vitals linked to the visit,
// a practice template whose starting text pulls in the vitals, a section
// filled from the chart, the encounter edited to add a diagnosis found by
// a clinician's word ("htn") that goes on the problem list in one click, a prescription renewed, the medications
// reconciled, smoking and pregnancy status recorded, and the note signed,
// which closes the visit to edits.
//
// On its own (starts the dev binary like run.mjs, creates a practice, a
// clinician and a patient, then runs the steps):
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/charting.mjs
// It prints `charting e2e: N passed, M failed`. OUTPOST_SCREENSHOT=1 also
// refreshes docs/chart.png (the README's picture of the chart). Steps build on each other:
// after a failure the rest are reported as not run.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, failedShot, freePort, frontendDir, pickFirstCode, repoRoot, resultsDir, runStep, setUpClinician, startBinary, stopBinary, waitForHttp } from './launch.mjs';

const timeout = 15_000;

/** Runs the visit on an open page where a clinician is signed in and OKAFOR, Ada is registered. */
export async function chartingVisit(page, { shotsDir = null } = {}) {
  page.setDefaultTimeout(timeout);
  const shot = (name) => (shotsDir ? page.screenshot({ path: join(shotsDir, `charting-${name}.png`), fullPage: true }) : Promise.resolve());
  const counts = { passed: 0, failed: 0, skipped: 0 };
  let broken = false;
  const step = async (name, fn) => {
    if (broken) {
      counts.skipped++;
      console.log(`  - ${name} (not run)`);
      return;
    }
    const failedBefore = counts.failed;
    await runStep(counts, name, fn, () => shot(failedShot(name)));
    broken = counts.failed > failedBefore;
  };

  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const strip = page.getByRole('region', { name: 'Chart summary' });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const tab = (name) => chart.getByRole('tab', { name, exact: true }).click();
  const form = (name) => page.getByRole('form', { name });
  const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
  const pick = async (scope, label, typed) => {
    await pickFirstCode(scope, scope.getByRole('combobox', { name: label }), typed);
  };
  const selectedText = (select) => select.evaluate((el) => el.options[el.selectedIndex]?.text ?? '');
  const today = new Date();
  const p2 = (n) => String(n).padStart(2, '0');
  const todayISO = `${today.getFullYear()}-${p2(today.getMonth() + 1)}-${p2(today.getDate())}`;

  await step("the home screen lists today's patients under the search", async () => {
    await nav('Patients');
    const todayTable = page.getByRole('table', { name: "Today's patients" });
    await todayTable.getByText('OKAFOR, Ada').waitFor();
    assert.match(await todayTable.innerText(), /Chart opened/, 'the patient registered today is there as opened');
    assert.equal(await page.getByLabel('Search patients', { exact: true }).evaluate((el) => el === document.activeElement), true,
      'the search keeps the focus: one keystroke away');
    await todayTable.getByRole('button', { name: 'OKAFOR, Ada' }).click();
    await chart.waitFor();
    await shot('01-opened-from-today');
  });

  await step('a prescription to renew later', async () => {
    await tab('Medications');
    await button('Add medication', chart).click();
    const f = form('New medication');
    await pick(f, /Medication/, 'lisinopril 10');
    await f.getByLabel('Dose', { exact: true }).fill('10');
    await f.getByLabel('Dose unit', { exact: true }).fill('mg');
    await f.getByLabel('Frequency', { exact: true }).fill('once daily');
    await f.getByLabel('Quantity', { exact: true }).fill('30');
    assert.match(await f.getByRole('note', { name: 'Pregnancy status' }).innerText(), /Not recorded/,
      'the pregnancy status of a woman of 46 shows where she is prescribed for');
    await button('Check and save', f).click();
    const allergyPrompt = button('Add without allergy information', f);
    await allergyPrompt.click();
    await chart.getByRole('table', { name: 'Medications' }).getByText('lisinopril 10 MG Oral Tablet', { exact: true }).waitFor();
  });

  await step("open today's visit: it is the open encounter in the summary", async () => {
    await tab('Timeline');
    await button('New encounter', chart).click();
    const f = form('New encounter');
    await f.getByLabel('Reason for visit', { exact: true }).fill('Blood pressure review');
    await button('Save encounter', f).click();
    await strip.getByLabel('Open encounter').getByText(/Blood pressure review \(open\)/).waitFor();
  });

  await step('a penicillin class allergy is recorded; amoxicillin picked from RxNorm in the visit alerts and says the link', async () => {
    await tab('Allergies');
    await button('Add allergy', chart).click();
    let f = form('New allergy');
    await pick(f, /Substance/, 'penicillin');
    await f.getByText('drug class penicillins', { exact: true }).waitFor();
    await f.getByLabel('Reaction', { exact: true }).fill('hives');
    await button('Save allergy', f).click();
    await f.waitFor({ state: 'detached' });
    await tab('Medications');
    await button('Add medication', chart).click();
    f = form('New medication');
    await pick(f, /Medication/, 'amoxicillin 500');
    assert.match(await f.getByRole('combobox', { name: /Medication/ }).inputValue(), /^amoxicillin 500 MG/);
    await f.getByText(/^RxNorm \d+$/).first().waitFor(); // a coded product, not free text
    assert.match(await selectedText(f.getByLabel('Encounter', { exact: true })), /\(open\)$/);
    await f.getByLabel('Dose', { exact: true }).fill('500');
    await f.getByLabel('Dose unit', { exact: true }).fill('mg');
    await f.getByLabel('Frequency', { exact: true }).fill('three times daily');
    await button('Check and save', f).click();
    const alert = page.getByRole('alertdialog');
    assert.match(await alert.innerText(), /Allergy to penicillins: amoxicillin is a penicillin\./);
    await button('Cancel', alert).click();
    await button('Cancel', f).click();
    await shot('02-class-allergy-alert');
  });

  await step('vitals recorded now are linked to the open encounter by default', async () => {
    await tab('Vitals');
    await button('Record vitals', chart).click();
    const f = form('Record vitals');
    assert.match(await selectedText(f.getByLabel('Encounter', { exact: true })), /\(open\)$/, 'the open encounter is preselected');
    await f.getByLabel('Systolic', { exact: true }).fill('152');
    await f.getByLabel('Diastolic', { exact: true }).fill('94');
    await f.getByLabel('Heart rate', { exact: true }).fill('76');
    await button('Save vitals', f).click();
    await chart.getByRole('table', { name: 'Vitals' }).locator('tbody tr').first().getByText('76').waitFor();
    const linked = await page.evaluate(async () => {
      const [p] = await window.go.app.Patients.Search('Okafor');
      const [s, vs] = await Promise.all([window.go.app.Chart.Summary(p.id), window.go.app.Chart.Vitals(p.id)]);
      return vs[0].encounterId === s.openEncounter.id;
    });
    assert.equal(linked, true, 'the vitals carry the encounter id');
  });

  await step('a practice template whose starting text holds {{vitals}}', async () => {
    await nav('Templates');
    await page.getByRole('heading', { name: 'Note templates' }).waitFor();
    // The placeholders are documented (waited for: the page may still be rendering its lists).
    await page.getByRole('table', { name: 'Placeholders' }).getByText('{{vitals}}', { exact: true }).waitFor();
    await button('New template').click();
    await page.getByLabel('Template name', { exact: true }).fill('BP review');
    await page.locator('#tpl-0-label').fill('Objective');
    await page.locator('#tpl-0-text').fill('On examination:\n{{vitals}}');
    await button('Add section').click();
    await page.locator('#tpl-1-label').fill('Plan');
    await button('Save template').click();
    await page.getByRole('status').getByText('Saved the template “BP review”.').waitFor();
    await nav('Patients');
    await page.getByRole('table', { name: "Today's patients" }).getByRole('button', { name: 'OKAFOR, Ada' }).click();
    await chart.waitFor();
  });

  await step('a note from the template pulls in the vitals, and Insert adds the medications at the cursor', async () => {
    await tab('Notes');
    await button('New note', chart).click();
    const f = form('New note');
    assert.match(await selectedText(f.getByLabel('Encounter', { exact: true })), /\(open\)$/, 'the note belongs to the open visit');
    await f.getByLabel('Template', { exact: true }).selectOption({ label: 'BP review' });
    await button('Start note', f).click();
    await f.waitFor({ state: 'detached' }); // not another draft's editor
    const editor = form('Edit note');
    const objective = editor.getByLabel('Objective', { exact: true });
    await objective.waitFor();
    const text = await objective.inputValue();
    assert.match(text, /^On examination:\nVitals \(.+\): BP 152\/94 mmHg \(high\), HR 76 \/min/, `objective = ${JSON.stringify(text)}`);
    await objective.fill(`${text}\nLooks well.`); // editable text, not a live link
    await editor.getByLabel('Plan', { exact: true }).fill('Continue: ');
    await editor.getByLabel('Insert into Plan').selectOption('medications');
    await page.waitForFunction(() => /lisinopril 10 MG Oral Tablet 10 mg oral once daily/.test(
      document.querySelector('form[aria-label="Edit note"] textarea[name="sections.plan"]')?.value ?? ''));
    assert.match(await editor.getByLabel('Plan', { exact: true }).inputValue(), /^Continue: \nActive medications:\n- lisinopril/);
    await editor.getByLabel('Plan', { exact: true }).press('Tab');
    await page.waitForFunction(() => /^Saved \d\d:\d\d$/.test(document.querySelector('form[aria-label="Edit note"] [role=status]')?.textContent?.trim() ?? ''));
    await shot('02-note-from-template');
  });

  await step('the encounter is edited to add a diagnosis, which goes on the problem list in one click', async () => {
    await tab('Timeline');
    await chart.getByRole('button', { name: /^Edit encounter/ }).click();
    const f = form('Edit encounter');
    await pick(f, /Diagnosis/, 'htn'); // the clinician's word, not the code
    await f.getByText(/^ICD-10-CM I10$/).waitFor();
    await button('Add diagnosis', f).click();
    await button('Save encounter', f).click();
    const dx = chart.getByRole('list', { name: /^Diagnoses of/ });
    await dx.getByText(/Essential \(primary\) hypertension/).waitFor();
    await button('Add Essential (primary) hypertension to the problem list', dx).click();
    await page.getByRole('status').getByText('Added Essential (primary) hypertension to the problem list.').waitFor();
    await dx.getByText('on the problem list').waitFor();
    const row = chart.getByRole('list', { name: 'Timeline' }).locator('li.encounter').first();
    await row.getByRole('button', { name: /^History of / }).click();
    const history = page.getByRole('dialog', { name: /^History of / });
    await history.getByText(/^Version 2/).waitFor();
    assert.match(await history.innerText(), /I10/, 'the new version holds the diagnosis');
    await button('Close', history).click();
    await tab('Problems');
    await chart.getByRole('table', { name: 'Problems' }).getByRole('cell', { name: /^Essential \(primary\) hypertension/ }).waitFor();
    await shot('03-diagnosis-on-problem-list');
  });

  await step("renew the prescription for 90 days: a new one, linked, and the old one renewed", async () => {
    await tab('Medications');
    await chart.getByRole('button', { name: /^Renew lisinopril/ }).click();
    const f = form(/^Renew lisinopril/);
    await f.getByLabel('Quantity', { exact: true }).fill('90');
    await f.getByLabel("Days' supply", { exact: true }).fill('90');
    assert.match(await selectedText(f.getByLabel('Encounter', { exact: true })), /\(open\)$/);
    await button('Check and renew', f).click();
    await page.getByRole('status').getByText('Renewed lisinopril 10 MG Oral Tablet.').waitFor();
    const rows = chart.getByRole('table', { name: 'Medications' }).locator('tbody tr');
    const renewal = rows.filter({ hasText: 'Renewal of the prescription' });
    assert.match(await renewal.innerText(), /90 days' supply/);
    assert.match(await renewal.innerText(), /active/);
    assert.match(await rows.filter({ hasText: /renewed/ }).first().innerText(), /renewed/);
    assert.equal(await chart.getByRole('button', { name: /^Renew lisinopril/ }).count(), 1, 'only the current prescription can be renewed');
  });

  await step('reconcile the medications with the patient', async () => {
    await button('Reconcile medications', chart).click();
    const f = form('Reconcile medications');
    await button('Save review', f).click();
    await f.getByRole('alert').getByText(/Choose keep, changed or stop for lisinopril/).waitFor();
    await f.getByRole('radiogroup', { name: /^Decision for lisinopril/ }).getByLabel('Keep').check();
    await button('Save review', f).click();
    await page.getByRole('status').getByText('Reviewed 1 medication with the patient.').waitFor();
    await chart.getByRole('table', { name: 'Medications' }).getByText(/^Reviewed with patient .+ by Dr Sam Rivera$/).waitFor();
    if (process.env.OUTPOST_SCREENSHOT === '1') await page.screenshot({ path: join(repoRoot, 'docs/chart.png') }); // the README's
  });

  await step('smoking status (SNOMED CT) and pregnancy status are recorded and summarised', async () => {
    await tab('Family & social');
    await button('Update social history', chart).click();
    const s = form('Social history');
    await s.getByLabel('Smoking status', { exact: true }).selectOption({ label: 'Ex-smoker' });
    await button('Save social history', s).click();
    await strip.getByText('Smoking: Ex-smoker').waitFor();
    await button('Record pregnancy status', chart).click();
    const p = form('Pregnancy status');
    await p.getByLabel('Status', { exact: true }).selectOption('not-pregnant');
    await button('Save pregnancy status', p).click();
    await strip.getByLabel('Pregnancy status').getByText(/Not pregnant \(as of/).waitFor();
    const code = await page.evaluate(async () => {
      const [pt] = await window.go.app.Patients.Search('Okafor');
      return (await window.go.app.Chart.Summary(pt.id)).socialHistory.smoking;
    });
    assert.deepEqual(code, { system: 'http://snomed.info/sct', code: '8517006', display: 'Ex-smoker' });
  });

  await step('signing the note closes the visit: no more edits, corrections by addendum', async () => {
    await tab('Notes');
    const editor = form('Edit note');
    await button('Sign…', editor).click();
    await button('Sign note', page.getByRole('dialog', { name: 'Sign this note?' })).click();
    await page.getByRole('article', { name: /^Signed note: BP review/ }).waitFor();
    await tab('Timeline');
    await chart.getByText('Note signed').waitFor();
    assert.equal(await chart.getByRole('button', { name: /^Edit encounter/ }).count(), 0, 'no Edit once signed');
    await strip.getByLabel('Open encounter').waitFor({ state: 'detached' });
    const refusal = await page.evaluate(async () => {
      const [p] = await window.go.app.Patients.Search('Okafor');
      const [e] = await window.go.app.Chart.Encounters(p.id);
      try {
        await window.go.app.Chart.SaveEncounter({ ...e, reason: 'changed after signing' });
        return 'saved';
      } catch (err) {
        const text = String(err);
        return JSON.parse(text.slice(text.indexOf('{'))).message;
      }
    });
    assert.match(refusal, /signed .* addendum/, `the backend refuses too: ${refusal}`);
    await shot('04-signed');
  });

  await step("today's patients shows the visit with its note signed", async () => {
    await nav('Patients');
    const row = page.getByRole('table', { name: "Today's patients" }).locator('tbody tr').filter({ hasText: 'OKAFOR, Ada' });
    await row.getByText('Note signed').waitFor();
    assert.match(await row.innerText(), /Office visit — Blood pressure review/);
  });

  return counts;
}

async function main() {
  const { chromium } = await import('playwright-core');
  mkdirSync(resultsDir, { recursive: true });
  let child = null;
  let browser = null;
  let counts = { passed: 0, failed: 1, skipped: 0 };
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-charting-'));
  try {
    const bin = devBinary();
    buildFrontend();
    const assetDir = resolve(process.env.OUTPOST_E2E_ASSETDIR || join(frontendDir, 'dist'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const logPath = join(resultsDir, 'outpost-dev-charting.log');
    console.log(`charting e2e: starting ${bin} on ${url} (log ${logPath})`);
    child = startBinary(bin, port, dataDir, logPath, assetDir);
    await waitForHttp(url, child);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.stack || String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await setUpClinician(page, url);
    console.log('  ✓ set up: practice, clinician signed in, patient registered');
    counts = await chartingVisit(page, { shotsDir: resultsDir });
    if (errors.length) console.log(`charting e2e: browser console errors:\n  ${errors.join('\n  ')}`);
  } catch (e) {
    console.error(`charting e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopBinary(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`charting e2e: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} not run` : ''}`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
