// End-to-end checks of the vocabularies (Outpost issue #9), against the
// real dev binary in Chromium:
//   - "azithro" offers azithromycin 250 MG Oral Tablet first; picking it codes
//     the medication in RxNorm and shows what it contains;
//   - an allergy recorded to the penicillin class, then amoxicillin: the alert
//     reads "Allergy to penicillins: amoxicillin is a penicillin";
//   - "htn" finds I10 first;
//   - a lab test picked from LOINC fills its code and UCUM unit;
//   - About shows each vocabulary's release and says which interactions are checked.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev node frontend/e2e/vocab.mjs
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is. Prints `vocab e2e: N passed, M failed`.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resultsDir, runE2E } from './launch.mjs';

const timeout = 15_000;

async function checks(page, step) {
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (n, scope = page) => scope.getByRole('button', { name: n, exact: true });
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const tab = (name) => chart.getByRole('tab', { name, exact: true }).click();
  const form = (name) => page.getByRole('form', { name });
  /** Types query into a combobox and returns the options it offers, in order. */
  async function offered(f, combobox, query) {
    await combobox.pressSequentially(query, { delay: 15 });
    const options = f.getByRole('listbox').getByRole('option');
    await options.first().waitFor();
    return options;
  }

  await step('"azithro" offers azithromycin 250 MG Oral Tablet first; picking it codes the medication', async () => {
    await tab('Medications');
    await button('Add medication', chart).click();
    const f = form('New medication');
    const drug = f.getByRole('combobox', { name: /Medication/ });
    const options = await offered(f, drug, 'azithro');
    assert.match(await options.first().innerText(), /^308460\s+azithromycin 250 MG Oral Tablet\s*clinical drug/);
    await options.filter({ hasText: 'azithromycin 250 MG Oral Tablet' }).first().click();
    assert.equal(await drug.inputValue(), 'azithromycin 250 MG Oral Tablet');
    await f.getByText('RxNorm 308460', { exact: true }).waitFor();
    assert.match(await f.locator('#med-drug-contains').innerText(), /clinical drug: contains azithromycin/);
    await byLabel('Dose', f).fill('250');
    await byLabel('Dose unit', f).fill('mg');
    await byLabel('Frequency', f).fill('once daily');
    await byLabel('Quantity', f).fill('6');
    await button('Check and save', f).click();
    // Allergies were never asked: say so, then add without them.
    await button('Add without allergy information', f).click();
    await f.waitFor({ state: 'detached' });
    await chart.getByRole('table', { name: 'Medications' }).getByText('azithromycin 250 MG Oral Tablet', { exact: true }).waitFor();
  });

  await step('an uncoded drug is kept as typed and marked uncoded', async () => {
    await button('Add medication', chart).click();
    const f = form('New medication');
    const drug = f.getByRole('combobox', { name: /Medication/ });
    await drug.fill('Grandma’s herbal tea');
    await drug.press('Escape');
    await f.getByText('uncoded (free text)').waitFor();
    await f.getByText(/saved as uncoded free text/).waitFor();
    await button('Cancel', f).click();
  });

  await step('a penicillin class allergy: amoxicillin alerts "Allergy to penicillins: amoxicillin is a penicillin"', async () => {
    await tab('Allergies');
    await button('Add allergy', chart).click();
    let f = form('New allergy');
    const substance = f.getByRole('combobox', { name: /Substance/ });
    const options = await offered(f, substance, 'penicillin');
    assert.match(await options.first().innerText(), /Penicillins\s*drug class/);
    await options.first().click();
    await f.getByText('drug class penicillins', { exact: true }).waitFor();
    await byLabel('Reaction', f).fill('hives');
    await button('Save allergy', f).click();
    await f.waitFor({ state: 'detached' });
    const row = chart.getByRole('table', { name: 'Allergies' }).locator('tbody tr').filter({ hasText: 'Penicillins' });
    assert.match(await row.innerText(), /Penicillins\s+drug class/);

    await tab('Medications');
    await button('Add medication', chart).click();
    f = form('New medication');
    const drug = f.getByRole('combobox', { name: /Medication/ });
    const amox = await offered(f, drug, 'amoxicillin 500');
    assert.match(await amox.first().innerText(), /amoxicillin 500 MG/);
    await amox.first().click();
    await byLabel('Dose', f).fill('500');
    await byLabel('Dose unit', f).fill('mg');
    await byLabel('Frequency', f).fill('three times daily');
    await byLabel('Quantity', f).fill('21');
    await button('Check and save', f).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /Allergy to penicillins: amoxicillin is a penicillin\./);
    assert.match(text, /recorded allergy to Penicillins/);
    await page.screenshot({ path: join(resultsDir, 'vocab-class-alert.png') });
    await button('Cancel', dialog).click();
    await button('Cancel', f).click();
  });

  await step('"htn" finds I10 first', async () => {
    await tab('Problems');
    await button('Add problem', chart).click();
    const f = form('New problem');
    const condition = f.getByRole('combobox', { name: /Condition/ });
    const options = await offered(f, condition, 'htn');
    assert.match(await options.first().innerText(), /^I10\s+Essential \(primary\) hypertension/);
    await options.first().click();
    await f.getByText('ICD-10-CM I10', { exact: true }).waitFor();
    await button('Save problem', f).click();
    await chart.getByRole('table', { name: 'Problems' }).getByRole('cell', { name: /^Essential \(primary\) hypertension/ }).waitFor();
  });

  await step('a lab test picked from LOINC fills its code and unit', async () => {
    await tab('Results');
    await button('Enter result', chart).click();
    const f = form('New result');
    const test = f.getByRole('combobox', { name: /Test name/ });
    const options = await offered(f, test, 'hemoglobin');
    assert.match(await options.first().innerText(), /718-7\s+Hemoglobin \[Mass\/volume\] in Blood/);
    await options.first().click();
    assert.equal(await byLabel('LOINC code', f).inputValue(), '718-7');
    assert.equal(await byLabel('Unit', f).inputValue(), 'g/dL');
    await button('Cancel', f).click();
  });

  await step('About shows each vocabulary release and which interactions are checked', async () => {
    await page.getByRole('button', { name: 'About', exact: true }).click();
    const table = page.getByRole('table', { name: 'Vocabularies' });
    await table.waitFor();
    const text = await table.innerText();
    for (const want of [/RxNorm\s+2025-10-06/, /ICD-10-CM\s+FY2022/, /LOINC/, /CVX/]) assert.match(text, want);
    assert.match(await page.locator('#about-interactions').innerText(), /not a drug-interaction checker/);
    assert.match(await page.getByLabel('Code list and font attribution').innerText(), /Regenstrief Institute/);
  });
}

await runE2E('vocab', checks, { timeoutMs: timeout });
