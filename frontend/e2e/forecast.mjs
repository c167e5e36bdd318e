// End-to-end test of the immunization forecast (Outpost issue #11) in
// Chromium against the real dev binary: a clinician records a historical MMR
// given at 6 months of age to a patient born in 1980; the immunizations
// tab's forecast (the CDC CDSi engine in the backend) shows the dose as not
// counted, too young, and MMR as overdue with its dates.
//
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/forecast.mjs
// Prints `forecast e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pickFirstCode, resultsDir, runE2E } from './launch.mjs';

runE2E('forecast', async (page, step) => {
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const forecast = chart.getByRole('table', { name: 'Forecast by vaccine group' });

  await step('with no immunizations the forecast lists what is due for an adult', async () => {
    await chart.getByRole('tab', { name: 'Immunizations', exact: true }).click();
    await forecast.waitFor();
    await forecast.locator('tr[data-group="DTaP/Tdap/Td"]').waitFor();
    assert.match(await chart.getByRole('region', { name: 'Immunization forecast' }).innerText(), /Source: CDC/);
  });

  await step('an MMR recorded at 6 months of age is not counted, and MMR stays overdue', async () => {
    await button('Add immunization', chart).click();
    const f = page.getByRole('form', { name: 'New immunization' });
    await pickFirstCode(f, f.getByRole('combobox', { name: /Vaccine/ }), 'measles, mumps and rubella');
    await f.getByLabel('Status', { exact: true }).selectOption('historical');
    await f.getByLabel('Date', { exact: true }).fill('1980-09-12');
    await button('Save immunization', f).click();
    await f.waitFor({ state: 'detached' });
    const mmr = forecast.locator('tr[data-group="MMR"]');
    await mmr.getByText(/Age: Too Young/).waitFor();
    const text = await mmr.innerText();
    assert.match(text, /Not Complete/);
    assert.match(text, /Overdue/);
    assert.match(text, /12 Sep 1980 \(CVX 03\): Not Valid/);
    // Dose 1 again, from 12 months of age: earliest 12 March 1981.
    assert.match(text, /12 Mar 1981/);
    await page.screenshot({ path: join(resultsDir, 'forecast-immunizations-tab.png') });
  });
});
