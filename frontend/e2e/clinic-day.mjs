// End-to-end test of the clinical chart: a clinician's visit with one
// patient, from vitals to a signed note, an addendum and a printout.
//
// As part of the main runner: after signing in as a clinician,
//   const counts = await clinicDay(page, { patient: 'Okafor', patientName: 'OKAFOR, Ada', resultsDir, step });
// (`step(name, fn)` is optional; without it clinicDay counts by itself.
// `more: true` adds results, immunizations, problems, more printouts and a
// final lock that must leave no chart data in the page.)
//
// On its own (starts the dev binary like run.mjs, creates a practice, a
// clinician and a patient, then runs the same steps):
//   OUTPOST_DEV_BIN=/tmp/outpost-dev node frontend/e2e/clinic-day.mjs
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is; OUTPOST_E2E_ASSETDIR serves
// another built frontend. It prints `clinic-day e2e: N passed, M failed`.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, failedShot, freePort, frontendDir, pickFirstCode, resultsDir, setUpClinician, startBinary, stopBinary, waitForHttp } from './launch.mjs';

const timeout = 15_000;

/** Runs the chart steps on an open, signed-in page (role clinician). */
export async function clinicDay(page, helpers = {}) {
  const { patient = 'Okafor', patientName = 'OKAFOR, Ada', resultsDir = null } = helpers;
  page.setDefaultTimeout(timeout);
  const shot = (name) => (resultsDir ? page.screenshot({ path: join(resultsDir, `chart-${name}.png`), fullPage: true }) : Promise.resolve());
  const counts = { passed: 0, failed: 0, skipped: 0 };
  // Steps share one chart but each opens its own tab, so a failure does not
  // stop the rest (a dialog left open is closed with Escape).
  const step =
    helpers.step ??
    (async (name, fn) => {
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
        await page.keyboard.press('Escape').catch(() => {});
      }
    });

  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const tab = (name) => chart.getByRole('tab', { name, exact: true }).click();
  const form = (name) => page.getByRole('form', { name });
  const invalid = (id) => page.waitForFunction((id) => document.getElementById(id)?.getAttribute('aria-invalid') === 'true', id);

  await step('open a registered patient: the chart and its summary strip show', async () => {
    await button('Patients').click();
    await page.getByLabel('Search patients', { exact: true }).fill(patient);
    const row = page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: patientName });
    await row.first().click();
    await page.getByRole('region', { name: 'Patient banner' }).getByText(patientName).waitFor();
    await chart.waitFor();
    const strip = page.getByRole('region', { name: 'Chart summary' });
    await strip.getByText('Allergies not yet asked').waitFor();
    await shot('01-opened');
  });

  await step('an impossible heart rate is refused next to the field, then vitals are saved with flags', async () => {
    await tab('Vitals');
    await button('Record vitals', chart).click();
    const f = form('Record vitals');
    await f.getByLabel('Heart rate', { exact: true }).fill('900');
    await button('Save vitals', f).click();
    await invalid('vit-heartRate');
    assert.match(await page.locator('#vit-heartRate-error').innerText(), /not possible/i);
    assert.equal(await chart.getByRole('table', { name: 'Vitals' }).getByText('No vitals recorded.').count(), 1, 'nothing was saved');
    await shot('02-vitals-refused');
    await f.getByLabel('Heart rate', { exact: true }).fill('72');
    await f.getByLabel('Systolic', { exact: true }).fill('150');
    await f.getByLabel('Diastolic', { exact: true }).fill('95');
    await f.getByLabel('Temperature', { exact: true }).fill('37.2');
    await f.getByLabel('SpO₂', { exact: true }).fill('97');
    await button('Save vitals', f).click();
    const flags = page.getByRole('status', { name: 'Vitals flags' });
    await flags.waitFor();
    assert.match(await flags.innerText(), /systolic/i, 'the high systolic is flagged on the saved record');
    const rows = chart.getByRole('table', { name: 'Vitals' }).locator('tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /72/);
    await shot('03-vitals-saved');
  });

  await step('add a penicillin allergy: it shows in red in the summary strip', async () => {
    await tab('Allergies');
    await button('Add allergy', chart).click();
    const f = form('New allergy');
    await f.getByLabel('Substance', { exact: true }).fill('Penicillin');
    await f.getByLabel('Substance', { exact: true }).press('Escape');
    await f.getByLabel('Reaction', { exact: true }).fill('hives');
    await f.getByLabel('Severity', { exact: true }).selectOption('severe');
    await button('Save allergy', f).click();
    await page.getByRole('list', { name: 'Allergy list' }).getByText(/Penicillin/).waitFor();
    await shot('04-allergy');
  });

  await step('an office encounter with a coded diagnosis', async () => {
    await tab('Timeline');
    await button('New encounter', chart).click();
    const f = form('New encounter');
    await f.getByLabel('Reason for visit', { exact: true }).fill('Sore throat and fever');
    const dx = f.getByRole('combobox', { name: /Diagnosis/ });
    await pickFirstCode(f, dx, 'pharyngitis');
    await button('Add diagnosis', f).click();
    await f.getByRole('list', { name: 'Diagnoses' }).getByText(/pharyngitis/i).waitFor();
    await button('Save encounter', f).click();
    await chart.getByRole('list', { name: 'Timeline' }).getByText('Office visit', { exact: true }).waitFor();
  });

  await step('prescribe amoxicillin: the allergy alert stops it until overridden with a reason', async () => {
    await tab('Medications');
    await button('Add medication', chart).click();
    const f = form('New medication');
    const drug = f.getByRole('combobox', { name: /Medication/ });
    await pickFirstCode(f, drug, 'amoxicillin 500');
    assert.match(await drug.inputValue(), /amoxicillin/i);
    await f.getByLabel('Dose', { exact: true }).fill('500');
    await f.getByLabel('Dose unit', { exact: true }).fill('mg');
    await f.getByLabel('Frequency', { exact: true }).fill('three times daily');
    await f.getByLabel('Quantity', { exact: true }).fill('21');
    await button('Check and save', f).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /penicillin/i, 'the alert names the allergy');
    assert.match(await dialog.innerText(), /high/i, 'the alert shows its severity');
    await shot('05-safety-alert');
    assert.equal(await button('Override and save', dialog).isDisabled(), true, 'no override without a reason');
    await dialog.getByLabel('Override reason', { exact: true }).fill('Tolerated amoxicillin in 2024 without reaction; discussed with patient.');
    await button('Override and save', dialog).click();
    await dialog.waitFor({ state: 'detached' });
    await chart.getByRole('note', { name: /^Safety override for .*amoxicillin/i }).getByText(/overridden by .+Tolerated amoxicillin/).waitFor();
    await shot('06-medication-overridden');
  });

  let noteTitle = '';
  await step('write a SOAP note for the encounter: it autosaves while typing and on leaving a field', async () => {
    await tab('Timeline');
    await button('Add note', chart).first().click();
    const f = form('New note');
    await button('Start note', f).click();
    await f.waitFor({ state: 'detached' }); // not another draft's editor
    const editor = form('Edit note');
    await editor.waitFor();
    noteTitle = await editor.getByLabel('Title', { exact: true }).inputValue();
    await editor.getByLabel('Subjective', { exact: true }).pressSequentially('Three days of sore throat, fever to 38.5.', { delay: 5 });
    // The debounce saves without leaving the field.
    await editor.getByRole('status').getByText(/^Saved \d\d:\d\d$/).waitFor({ timeout: 10_000 });
    await editor.getByLabel('Assessment', { exact: true }).fill('Acute pharyngitis.');
    await editor.getByLabel('Plan', { exact: true }).fill('Amoxicillin 500 mg TDS for 7 days; review if not better in 3 days.');
    await editor.getByLabel('Plan', { exact: true }).press('Tab');
    await page.waitForFunction(() => /^Saved \d\d:\d\d$/.test(document.querySelector('form[aria-label="Edit note"] [role=status]')?.textContent?.trim() ?? ''));
    await shot('07-note-draft');
  });

  await step('sign the note: it becomes read-only with signer, time and hash', async () => {
    const editor = form('Edit note');
    await button('Sign…', editor).click();
    const confirm = page.getByRole('dialog', { name: 'Sign this note?' });
    await button('Sign note', confirm).click();
    const signed = page.getByRole('article', { name: `Signed note: ${noteTitle}` });
    await signed.waitFor();
    assert.match(await signed.innerText(), /Signed by .+ on .+ content hash [0-9a-f]{12}/);
    assert.match(await signed.innerText(), /Acute pharyngitis\./);
    assert.equal(await form('Edit note').count(), 0, 'no editor for a signed note');
    await shot('08-signed');
  });

  await step('the signed note cannot be changed, even by calling the backend directly', async () => {
    const refused = await page.evaluate(async (query) => {
      const [p] = await window.go.app.Patients.Search(query);
      const notes = await window.go.app.Chart.Notes(p.id);
      const n = notes.find((x) => x.signature && !x.addendumTo);
      try {
        await window.go.app.Chart.SaveNoteDraft({ ...n, title: 'tampered' });
        return 'saved';
      } catch (e) {
        return String(e?.message ?? e);
      }
    }, patient);
    assert.equal(JSON.parse(refused).code, 'conflict', `a signed note refuses edits, got ${refused}`);
  });

  await step('add and sign an addendum under the note', async () => {
    await button('Add addendum', chart).click();
    const editor = form('Edit note');
    await editor.getByLabel('Addendum', { exact: true }).fill('Throat swab sent; will call with the result.');
    await button('Sign…', editor).click();
    await button('Sign note', page.getByRole('dialog', { name: 'Sign this note?' })).click();
    await page.getByRole('article', { name: /Signed note: Addendum to/ }).waitFor();
    assert.equal(await page.getByRole('article', { name: /^Signed note:/ }).count(), 2);
    await shot('09-addendum');
  });

  /** The PDF behind a viewer dialog's download link starts with %PDF-. */
  async function assertPdf(viewer) {
    const link = viewer.getByRole('link', { name: /^Download / });
    await link.waitFor();
    const head = await page.evaluate(async (href) => {
      const buf = await (await fetch(href)).arrayBuffer();
      return new TextDecoder().decode(buf.slice(0, 5));
    }, await link.getAttribute('href'));
    assert.equal(head, '%PDF-');
  }

  await step('print the visit summary: a PDF is shown and offered for download', async () => {
    await tab('Timeline');
    await button('Visit summary', chart).first().click();
    const viewer = page.getByRole('dialog', { name: 'Visit summary' });
    await assertPdf(viewer);
    await shot('10-visit-summary');
    await button('Close', viewer).click();
  });

  if (!helpers.more) return counts;

  await step('print a home-visit sheet for a route starting with this patient', async () => {
    await button('Home-visit sheet', chart).click();
    const pick = page.getByRole('dialog', { name: 'Home-visit sheet' });
    await pick.getByRole('list', { name: 'Route' }).getByText(patientName).waitFor();
    await button('Print sheet', pick).click();
    const viewer = page.getByRole('dialog', { name: 'Home-visit sheet' });
    await assertPdf(viewer);
    await button('Close', viewer).click();
  });

  await step('enter two results, see the low flag and the trend, acknowledge one, attach the scanned report', async () => {
    await tab('Results');
    for (const [value, collected] of [['10.9', '2026-11-20T09:00'], ['11.8', '2026-11-22T09:00']]) {
      await button('Enter result', chart).click();
      const f = form('New result');
      await f.getByLabel('Test name', { exact: true }).fill('Haemoglobin');
      await f.getByLabel('LOINC code', { exact: true }).fill('718-7');
      await f.getByLabel('Value', { exact: true }).fill(value);
      await f.getByLabel('Unit', { exact: true }).fill('g/dL');
      await f.getByLabel('Reference low', { exact: true }).fill('12');
      await f.getByLabel('Reference high', { exact: true }).fill('16');
      await f.getByLabel('Collected', { exact: true }).fill(collected);
      await button('Save result', f).click();
      await f.waitFor({ state: 'detached' });
      await chart.getByRole('table', { name: 'Results' }).getByText(value, { exact: true }).waitFor();
    }
    const rows = chart.getByRole('table', { name: 'Results' }).locator('tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.first().innerText(), /11\.8[\s\S]*low/i, 'newest first, flagged low from the range');
    await page.getByRole('region', { name: 'Chart summary' }).getByText('Results to review').waitFor();
    await rows.first().getByRole('button', { name: /^Trend of / }).click();
    await chart.getByRole('img', { name: 'Haemoglobin trend, 2 values' }).waitFor();
    await rows.first().getByRole('button', { name: /^Acknowledge/ }).click();
    await rows.first().getByText(/Reviewed by/).waitFor();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await rows.first().locator('input[type=file]').setInputFiles({ name: 'cbc-report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await button('View report 1', rows.first()).click();
    const viewer = page.getByRole('dialog', { name: 'Report: cbc-report.pdf' });
    await assertPdf(viewer);
    await shot('11-results');
    await button('Close', viewer).click();
  });

  await step('record an immunization coded with CVX and print the immunization record', async () => {
    await tab('Immunizations');
    await button('Add immunization', chart).click();
    const f = form('New immunization');
    await pickFirstCode(f, f.getByRole('combobox', { name: /Vaccine/ }), 'influenza');
    await f.getByLabel('Lot', { exact: true }).fill('FL2026A');
    await f.getByLabel('Site', { exact: true }).fill('left deltoid');
    await button('Save immunization', f).click();
    await f.waitFor({ state: 'detached' });
    const row = chart.getByRole('table', { name: 'Immunizations' }).locator('tbody tr').filter({ hasText: 'FL2026A' });
    await row.waitFor();
    assert.match(await row.innerText(), /CVX \d+[\s\S]*Given[\s\S]*FL2026A/);
    await button('Immunization record', chart).click();
    const viewer = page.getByRole('dialog', { name: 'Immunization record' });
    await assertPdf(viewer);
    await button('Close', viewer).click();
  });

  await step('a problem is edited (History shows both versions) and then marked entered in error', async () => {
    await tab('Problems');
    await button('Add problem', chart).click();
    let f = form('New problem');
    await pickFirstCode(f, f.getByRole('combobox', { name: /Condition/ }), 'essential hypertension');
    await button('Save problem', f).click();
    const table = chart.getByRole('table', { name: 'Problems' });
    const row = table.locator('tbody tr').filter({ hasText: /hypertension/i });
    await row.waitFor();
    await row.getByRole('button', { name: /^Edit / }).click();
    f = form('Edit problem');
    await f.getByLabel('Comment', { exact: true }).fill('Home readings around 150/95.');
    await button('Save problem', f).click();
    await row.getByText('Home readings around 150/95.').waitFor();
    await row.getByRole('button', { name: /^History of / }).click();
    const history = page.getByRole('dialog', { name: /^History of .*hypertension/i });
    await history.getByText('Version 2').waitFor();
    await history.getByText('Version 1').waitFor();
    await button('Close', history).click();
    await row.getByRole('button', { name: /^Entered in error: / }).click();
    const eie = page.getByRole('dialog', { name: 'Mark as entered in error' }).filter({ hasText: /hypertension/i });
    await eie.getByLabel('Reason entered in error', { exact: true }).fill('Wrong patient');
    await button('Mark entered in error', eie).click();
    await table.getByText('No problems listed.').waitFor();
  });

  await step('a draft signed meanwhile (another window) turns read-only on its next save', async () => {
    await tab('Notes');
    await button('New note', chart).click();
    await form('New note').getByLabel('Note title', { exact: true }).fill('Phone follow-up');
    await button('Start note', form('New note')).click();
    await form('New note').waitFor({ state: 'detached' }); // not another draft's editor
    const editor = form('Edit note');
    await editor.getByLabel('Subjective', { exact: true }).fill('Feeling better.');
    await editor.getByLabel('Subjective', { exact: true }).press('Tab');
    await editor.getByRole('status').getByText(/^Saved \d\d:\d\d$/).waitFor();
    await page.evaluate(async (query) => {
      const [p] = await window.go.app.Patients.Search(query);
      const n = (await window.go.app.Chart.Notes(p.id)).find((x) => x.title === 'Phone follow-up');
      await window.go.app.Chart.SignNote(n.id, n.version);
    }, patient);
    await editor.getByLabel('Plan', { exact: true }).fill('No further action.');
    await editor.getByLabel('Plan', { exact: true }).press('Tab');
    await page.getByRole('article', { name: 'Signed note: Phone follow-up' }).waitFor();
    assert.match(await chart.getByRole('alert').first().innerText(), /signed/i, 'the conflict is explained');
    assert.equal(await form('Edit note').count(), 0);
  });

  await step('print a prescription for the amoxicillin', async () => {
    await tab('Medications');
    await button('Prescription', chart).first().click();
    const viewer = page.getByRole('dialog', { name: 'Prescription' });
    await Promise.race([
      viewer.getByRole('link', { name: /^Download / }).waitFor(),
      chart.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor(),
    ]);
    const refused = await chart.getByRole('alert').filter({ hasText: /\S/ }).allInnerTexts();
    assert.deepEqual(refused, [], `the prescription was refused: ${refused.join(' ')}`);
    await assertPdf(viewer);
    await button('Close', viewer).click();
  });

  await step('stop a medication with a reason', async () => {
    await tab('Medications');
    await chart.getByRole('button', { name: /^Stop .*amoxicillin/i }).click();
    const f = page.getByRole('form', { name: /^Stop .*amoxicillin/i });
    await button('Stop medication', f).click();
    await invalid(await f.getByLabel('Stop reason', { exact: true }).getAttribute('id'));
    await f.getByLabel('Stop reason', { exact: true }).fill('Course changed after review');
    await button('Stop medication', f).click();
    const row = chart.getByRole('table', { name: 'Medications' }).locator('tbody tr').filter({ hasText: 'Course changed after review' });
    await row.waitFor();
    assert.match(await row.innerText(), /stopped/);
  });

  await step('locking removes every piece of chart data from the page', async () => {
    await page.keyboard.press('Control+L');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    const html = await page.content();
    for (const leak of ['Penicillin', 'pharyngitis', 'Amoxicillin', 'Haemoglobin', 'FL2026A', 'Throat swab', 'OKAFOR']) {
      assert.ok(!html.includes(leak), `"${leak}" is still in the DOM after locking`);
    }
  });

  return counts;
}

// ---- standalone run (the launcher is shared with run.mjs in launch.mjs) ----

async function main() {
  const { chromium } = await import('playwright-core');
  mkdirSync(resultsDir, { recursive: true });
  let child = null;
  let browser = null;
  let counts = { passed: 0, failed: 1, skipped: 0 };
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-clinic-day-'));
  try {
    const bin = devBinary();
    buildFrontend();
    const assetDir = resolve(process.env.OUTPOST_E2E_ASSETDIR || join(frontendDir, 'dist'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const logPath = join(resultsDir, 'outpost-dev-clinic-day.log');
    console.log(`clinic-day e2e: starting ${bin} on ${url} (log ${logPath})`);
    child = startBinary(bin, port, dataDir, logPath, assetDir);
    await waitForHttp(url, child);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.stack || String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await setUpClinician(page, url);
    console.log('  ✓ set up: practice, clinician signed in, patient registered');
    counts = await clinicDay(page, { resultsDir, more: true });
    if (errors.length) console.log(`clinic-day e2e: browser console errors:\n  ${errors.join('\n  ')}`);
  } catch (e) {
    console.error(`clinic-day e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopBinary(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`clinic-day e2e: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} not run` : ''}`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
