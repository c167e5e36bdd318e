// End-to-end test of preventive care (Outpost issue #11) in Chromium
// against the real dev binary: the patient set up (a woman born in 1980,
// never screened) shows colorectal screening overdue on the chart's "Due"
// panel with its reason; marked done elsewhere with a date it is no longer
// due; declining breast screening needs a reason. The Recalls screen lists
// her as overdue, a phone contact is noted, and the list is exported as CSV
// into a folder typed in (no system dialog) and read back.
//
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/care.mjs
// Prints `care e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runE2E } from './launch.mjs';

runE2E('care', async (page, step) => {
  const folder = mkdtempSync(join(tmpdir(), 'outpost-recall-csv-'));
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  const due = chart.getByRole('region', { name: 'Due', exact: true });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const dueItem = (title) => due.getByRole('list', { name: 'Due items' }).getByRole('listitem').filter({ hasText: title });
  try {
    await step('the chart shows colorectal screening overdue, with its reason and source', async () => {
      const item = dueItem('Colorectal cancer screening');
      await item.waitFor();
      const text = await item.innerText();
      assert.match(text, /Overdue/);
      assert.match(text, /None on the chart\. Adults 45 to 75/);
      assert.match(await item.getByRole('link').getAttribute('href'), /uspreventiveservicestaskforce\.org.*colorectal/);
    });

    await step('marked done elsewhere with a date, it is no longer due but up to date', async () => {
      await button('Done elsewhere…', dueItem('Colorectal cancer screening')).click();
      const f = due.getByRole('form', { name: 'Done elsewhere: Colorectal cancer screening' });
      await f.getByLabel('Date done').fill('2025-06-01');
      await f.getByLabel('Where (optional)').fill('Colonoscopy at Riverbend General');
      await button('Save', f).click();
      await dueItem('Colorectal cancer screening').waitFor({ state: 'detached' });
      await due.getByText(/^Up to date, declined or not applicable/).click();
      const other = due.getByRole('list', { name: 'Other care items' }).getByRole('listitem').filter({ hasText: 'Colorectal cancer screening' });
      assert.match(await other.innerText(), /Up to date.*colonoscopy \(done elsewhere\) on 2025-06-01/s);
    });

    await step('declining breast screening asks for a reason, then records it', async () => {
      await button('Declined…', dueItem('Breast cancer screening')).click();
      const f = due.getByRole('form', { name: 'Declined: Breast cancer screening (mammography)' });
      await button('Save', f).click();
      assert.match(await f.getByRole('alert').innerText(), /reason/i);
      await f.getByLabel('Reason').fill('Prefers to wait until her next visit');
      await button('Save', f).click();
      await dueItem('Breast cancer screening').waitFor({ state: 'detached' });
    });

    await step('the recall list names her as overdue, without what was done or declined', async () => {
      await button('Recalls', page.getByRole('navigation', { name: 'Main' })).click();
      const row = page.getByRole('table', { name: 'Recall list' }).getByRole('row').filter({ hasText: 'Ada Okafor' });
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, /Hepatitis C screening/);
      assert.ok(!text.includes('Colorectal') && !text.includes('Breast'), `done and declined items are not recalled: ${text}`);
    });

    await step('a phone contact is noted on the list', async () => {
      const row = page.getByRole('table', { name: 'Recall list' }).getByRole('row').filter({ hasText: 'Ada Okafor' });
      await button('Contacted…', row).click();
      const f = page.getByRole('form', { name: 'Contact with Ada Okafor' });
      await f.getByLabel('How').selectOption('phone');
      await f.getByLabel('Outcome').selectOption('no-answer');
      await button('Save contact', f).click();
      await f.waitFor({ state: 'detached' });
      await row.getByText(/phone: no answer \(Dr Sam Rivera\)/).waitFor();
    });

    await step('the recall list is exported as CSV into the folder typed in', async () => {
      const f = page.getByRole('form', { name: 'Export recall list' });
      await button('Export CSV', f).click();
      assert.match(await f.getByRole('alert').innerText(), /Choose the folder/);
      await f.getByLabel('Save in folder').fill(folder);
      await button('Export CSV', f).click();
      await page.getByRole('status').filter({ hasText: 'Saved 1 patient' }).waitFor();
      const files = readdirSync(folder);
      assert.equal(files.length, 1, `one file: ${files}`);
      assert.match(files[0], /^recall-\d{4}-\d{2}-\d{2}-overdue\.csv$/);
      const csv = readFileSync(join(folder, files[0]), 'utf8');
      assert.match(csv, /^MRN,Name,Birth date,Phone,Item,Status,Due date,Last done,Reason,Last contact,Contact method,Contact outcome/);
      assert.match(csv, /Ada Okafor,1980-03-12,.*Hepatitis C screening,overdue/);
      assert.match(csv, /,phone,no-answer/);
      assert.ok(!csv.includes('Colorectal'), 'the screening done elsewhere is not exported');
    });

    await step('the diabetes registry opens (nobody on it yet)', async () => {
      await page.getByRole('tab', { name: 'Registries' }).click();
      await page.getByRole('table', { name: 'Diabetes registry' }).getByText('Nobody is on this registry.').waitFor();
      // The targets are the practice's (Admin → Settings), shown, not typed in here.
      assert.match(await page.getByTestId('registry-targets').innerText(), /HbA1c every 6 months, below 8%; blood pressure below 140\/90\..*administrator changes them/s);
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
