// End-to-end test of a referral (Outpost issue #10) in Chromium against the
// real dev binary: a clinician charts a problem, an allergy, a medication
// and a signed SOAP note, then "Refer…": the dialog shows the backend's
// field errors, and once filled saves the letter (PDF) and the patient
// summary (IPS JSON) side by side in the folder typed in — as the backup
// e2e does, the folder is typed, not picked, so no system dialog opens.
// The PDF is read with pdftotext, the IPS checked for its document shape.
//
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/referral.mjs
// Prints `referral e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickFirstCode, resultsDir, runE2E } from './launch.mjs';

const loinc = 'http://loinc.org';

runE2E('referral', async (page, step) => {
  const usb = mkdtempSync(join(tmpdir(), 'outpost-referral-usb-'));
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const tab = (name) => chart.getByRole('tab', { name, exact: true }).click();
  const form = (name) => page.getByRole('form', { name });
  const pick = (scope, label, typed) => pickFirstCode(scope, scope.getByRole('combobox', { name: label }), typed);
  let saved = null;
  try {
    await step('the clinician charts a problem, an allergy and a medication', async () => {
      await tab('Problems');
      await button('Add problem', chart).click();
      let f = form('New problem');
      await pick(f, /Condition/, 'essential hypertension');
      await button('Save problem', f).click();
      await chart.getByRole('table', { name: 'Problems' }).getByRole('cell', { name: /^Essential \(primary\) hypertension/ }).waitFor();

      await tab('Allergies');
      await button('Add allergy', chart).click();
      f = form('New allergy');
      await pick(f, /Substance/, 'penicillin');
      await f.getByLabel('Reaction', { exact: true }).fill('hives');
      await button('Save allergy', f).click();
      await f.waitFor({ state: 'detached' });

      await tab('Medications');
      await button('Add medication', chart).click();
      f = form('New medication');
      await pick(f, /Medication/, 'lisinopril 10');
      await f.getByLabel('Dose', { exact: true }).fill('10');
      await f.getByLabel('Dose unit', { exact: true }).fill('mg');
      await f.getByLabel('Frequency', { exact: true }).fill('once daily');
      await button('Check and save', f).click();
      await chart.getByRole('table', { name: 'Medications' }).getByText('lisinopril 10 MG Oral Tablet', { exact: true }).waitFor();
    });

    await step('a SOAP note with an assessment and a plan is signed', async () => {
      await tab('Notes');
      await button('New note', chart).click();
      await button('Start note', form('New note')).click();
      const editor = form('Edit note');
      await editor.getByLabel('Title', { exact: true }).fill('Chest pain review');
      await editor.getByLabel('Assessment', { exact: true }).fill('Exertional chest pain, stable angina likely.');
      await editor.getByLabel('Plan', { exact: true }).fill('Aspirin started; refer to cardiology for a stress test.');
      await editor.getByLabel('Plan', { exact: true }).press('Tab');
      await editor.getByRole('status').getByText(/^Saved \d\d:\d\d$/).waitFor({ timeout: 10_000 });
      await button('Sign…', editor).click();
      await button('Sign note', page.getByRole('dialog', { name: 'Sign this note?' })).click();
      await page.getByRole('article', { name: 'Signed note: Chest pain review' }).waitFor();
    });

    await step('Refer… shows what is missing next to each field and writes nothing', async () => {
      await button('Refer…', chart).click();
      const f = form('Referral');
      await button('Save referral', f).click();
      await f.getByText('Recipient is required.').waitFor();
      await f.getByText('Reason for referral is required.').waitFor();
      await f.getByText('Choose the folder to save the referral in.').waitFor();
      assert.equal(await f.getByLabel('Recipient', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.deepEqual(readdirSync(usb), []);
      await page.screenshot({ path: join(resultsDir, 'referral-dialog-errors.png') });
    });

    await step('a filled referral is saved as a letter and a patient summary, and the dialog says where', async () => {
      const f = form('Referral');
      await f.getByLabel('Recipient', { exact: true }).fill('Dr Kwame Mensah');
      await f.getByLabel('Organisation', { exact: true }).fill('Lakeview Hospital Cardiology');
      await f.getByLabel("Recipient's contact", { exact: true }).fill('+1 555 777 1000');
      await f.getByLabel('Reason for referral', { exact: true }).fill('Exertional chest pain for six weeks despite treatment.');
      await f.getByLabel('Question', { exact: true }).fill('Is a stress test or angiography indicated?');
      await f.getByLabel('Save in folder', { exact: true }).fill(usb);
      await button('Save referral', f).click();
      const done = page.getByRole('dialog', { name: 'Refer this patient' }).getByRole('status');
      await done.getByText(/Referral to Dr Kwame Mensah, Lakeview Hospital Cardiology saved in/).waitFor();
      const files = readdirSync(usb).sort();
      assert.equal(files.length, 2, `two files in the folder: ${files}`);
      const pdf = files.find((n) => n.endsWith('-referral.pdf'));
      const ips = files.find((n) => n.endsWith('-ips.json'));
      assert.ok(pdf && ips && pdf.replace('-referral.pdf', '') === ips.replace('-ips.json', ''), `side by side: ${files}`);
      assert.match(await done.innerText(), new RegExp(pdf.replace(/[.]/g, '\\.')));
      saved = { pdf: join(usb, pdf), ips: join(usb, ips) };
      await button('Done', page.getByRole('dialog', { name: 'Refer this patient' })).click();
    });

    await step('the letter reads as a referral: referrer, recipient, patient, reason, chart and last visit', async () => {
      const text = execFileSync('pdftotext', ['-layout', saved.pdf, '-'], { encoding: 'utf8' });
      for (const want of [
        'Referral letter', 'Dr Kwame Mensah', 'Lakeview Hospital Cardiology', '+1 555 777 1000',
        'Dr Sam Rivera', 'Riverbend Rural Clinic', 'No phone in the practice settings',
        'Ada Okafor', '1980-03-12', 'MRN',
        'Exertional chest pain for six weeks despite treatment.', 'Is a stress test or angiography indicated?',
        'hypertension', 'PENICILLIN', 'hives', 'lisinopril 10 MG Oral Tablet', 'once daily',
        'Last visit: assessment and plan', 'stable angina likely.', 'refer to cardiology for a stress test.',
      ]) {
        assert.ok(text.includes(want), `the letter lacks "${want}":\n${text}`);
      }
      assert.ok(!text.includes('No known allergies'), 'a listed allergy is not "no known allergies"');
    });

    await step('the patient summary is an IPS document whose sections resolve inside it', async () => {
      const b = JSON.parse(readFileSync(saved.ips, 'utf8'));
      assert.equal(b.resourceType, 'Bundle');
      assert.equal(b.type, 'document');
      assert.ok(b.identifier?.value && b.timestamp, 'identifier and timestamp');
      const comp = b.entry[0].resource;
      assert.equal(comp.resourceType, 'Composition', 'the Composition comes first');
      assert.deepEqual(comp.type.coding[0], { system: loinc, code: '60591-5', display: 'Patient summary Document' });
      const byUrl = new Map(b.entry.map((e) => [e.fullUrl, e.resource]));
      assert.equal(byUrl.get(comp.subject.reference)?.resourceType, 'Patient');
      assert.equal(byUrl.get(comp.author[0].reference)?.resourceType, 'Practitioner');
      assert.equal(byUrl.get(comp.custodian.reference)?.resourceType, 'Organization');
      const section = (code) => comp.section.find((s) => s.code.coding[0].code === code);
      const entries = (code) => (section(code)?.entry ?? []).map((r) => byUrl.get(r.reference));
      for (const code of ['11450-4', '48765-2', '10160-0']) {
        assert.ok(section(code), `section ${code}`);
        assert.match(section(code).text.div, /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">/);
        assert.ok(entries(code).length > 0 && entries(code).every(Boolean), `section ${code} entries resolve in the bundle`);
      }
      assert.match(JSON.stringify(entries('11450-4')[0].code), /hypertension/i);
      assert.equal(entries('48765-2')[0].resourceType, 'AllergyIntolerance');
      assert.match(JSON.stringify(entries('48765-2')[0].code), /penicillin/i);
      assert.match(JSON.stringify(entries('10160-0')[0]), /lisinopril/i);
      assert.match(section('42349-1').text.div, /Is a stress test or angiography indicated\?/);
    });
  } finally {
    rmSync(usb, { recursive: true, force: true });
  }
});
