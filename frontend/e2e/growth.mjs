// End-to-end test of the growth chart (Outpost issue #11, "Children") in
// Chromium against the real dev binary: a 13-month-old girl is registered,
// her weight, length and head circumference recorded in the vitals form,
// and the Growth tab draws each on the CDC 2000 percentile curves with her
// point, its percentile and z-score, and names the reference. The expected
// percentile is computed here, independently, from CDC's own file
// (growth/cdc2000/*.csv): L, M, S interpolated at her age, z by the LMS
// formula.
//
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/growth.mjs
// Prints `growth e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultsDir, runE2E } from './launch.mjs';

const cdcDir = join(dirname(fileURLToPath(import.meta.url)), '../../growth/cdc2000');

/** The girls' L, M, S of a CDC file at age (months), interpolated linearly. */
function lmsAt(file, sex, age) {
  const rows = readFileSync(join(cdcDir, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','))
    .filter((r) => r[0] === String(sex))
    .map((r) => r.slice(1, 5).map(Number));
  const i = rows.findIndex((r) => r[0] >= age);
  const [a, b] = [rows[i - 1], rows[i]];
  const t = (age - a[0]) / (b[0] - a[0]);
  return [1, 2, 3].map((k) => a[k] + (b[k] - a[k]) * t);
}

/** The percentile CDC's method gives, as the chart writes it ("42nd"). */
function percentileOf(file, age, x) {
  const [L, M, S] = lmsAt(file, 2, age);
  const z = (Math.pow(x / M, L) - 1) / (L * S);
  const pct = Math.round(100 * phi(z));
  const suffix = pct % 100 >= 11 && pct % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][pct % 10] ?? 'th';
  return { z, text: `${pct}${suffix}` };
}

/** The standard normal CDF (Abramowitz and Stegun 26.2.17, |error| < 7.5e-8). */
function phi(z) {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z > 0 ? 1 - p : p;
}

const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

runE2E('growth', async (page, step) => {
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const tab = (name) => chart.getByRole('tab', { name, exact: true });
  const today = new Date();
  const born = new Date(today.getFullYear(), today.getMonth() - 13, today.getDate());
  const ageMonths = Math.round((Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()) - Date.UTC(born.getFullYear(), born.getMonth(), born.getDate())) / 86_400_000) / 30.4375;

  await step('an adult has no Growth tab', async () => {
    await tab('Vitals').waitFor();
    assert.equal(await tab('Growth').count(), 0, 'the Growth tab is for patients under 20');
  });

  await step('a 13-month-old girl is registered and her weight, length and head circumference recorded', async () => {
    await page.keyboard.press('Alt+N');
    await page.getByRole('heading', { name: 'Register patient' }).waitFor();
    for (const [l, v] of Object.entries({ 'Family name': 'Moreau', 'Given name': 'Ines', 'Date of birth': iso(born), Phone: '555 0102', 'City or town': 'Riverbend' })) {
      await page.getByLabel(l, { exact: true }).fill(v);
    }
    await page.getByLabel('Sex', { exact: true }).selectOption('female');
    await button('Save').click();
    await page.getByRole('region', { name: 'Patient banner' }).getByText('MOREAU, Ines').waitFor();
    await tab('Vitals').click();
    await button('Record vitals', chart).click();
    const f = page.getByRole('form', { name: 'Record vitals' });
    await f.getByLabel('Weight', { exact: true }).fill('9.2');
    await f.getByLabel('Height', { exact: true }).fill('74.5');
    await f.getByLabel('Head circ.', { exact: true }).fill('45.1');
    await button('Save vitals', f).click();
    await f.waitFor({ state: 'detached' });
    const row = chart.getByRole('table', { name: 'Vitals' }).getByRole('row').nth(1);
    await row.getByText('45.1').waitFor();
  });

  const expectChart = async (caption, file, value) => {
    const want = percentileOf(file, ageMonths, value);
    const fig = chart.locator('figure.growth');
    await fig.getByText(caption).waitFor();
    assert.match(await fig.getByTestId('growth-reference').innerText(), /CDC 2000/, 'the chart names its reference');
    assert.equal(await fig.locator('path.curve').count(), 9, 'the nine CDC percentile curves');
    assert.equal(await fig.locator('circle.point').count(), 1, 'her one measurement is drawn');
    const readout = await fig.getByTestId('growth-readout').innerText();
    assert.ok(readout.includes(`${want.text} percentile`), `"${readout}" gives the ${want.text} percentile`);
    const z = `z ${want.z < 0 ? '−' : '+'}${Math.abs(want.z).toFixed(2)}`;
    assert.ok(readout.includes(z), `"${readout}" gives ${z}`);
    const cells = await chart.getByRole('table', { name: 'Growth measurements' }).getByRole('row').nth(1).getByRole('cell').allInnerTexts();
    assert.ok(cells.includes(want.text) && cells.includes(z), `the list row ${cells} has ${want.text} and ${z}`);
    return readout;
  };

  await step('Growth draws weight-for-age with her point, its percentile and z-score, and names CDC 2000', async () => {
    await tab('Growth').click();
    await expectChart('Weight-for-age, birth to 36 months — girls', 'wtageinf.csv', 9.2);
    // Hovering the point shows the same reading.
    await chart.locator('circle.point').hover();
    assert.match(await chart.getByTestId('growth-readout').innerText(), /^13\.\d months: 9\.2 kg, \d+\w\w percentile/);
    assert.equal(await page.getByLabel('Chart', { exact: true }).locator('option', { hasText: 'BMI' }).count(), 0, 'no BMI-for-age under 2 years');
    await page.screenshot({ path: join(resultsDir, 'growth-weight.png') });
  });

  await step('length-for-age and head circumference-for-age draw her other measurements', async () => {
    await page.getByLabel('Chart', { exact: true }).selectOption({ label: 'Length/stature-for-age' });
    await expectChart('Length-for-age, birth to 36 months — girls', 'lenageinf.csv', 74.5);
    await page.getByLabel('Chart', { exact: true }).selectOption({ label: 'Head circumference-for-age' });
    await expectChart('Head circumference-for-age, birth to 36 months — girls', 'hcageinf.csv', 45.1);
    await page.screenshot({ path: join(resultsDir, 'growth-head.png') });
  });
});
