// End-to-end check that one damaged record never hides its neighbours
// (Outpost issue #8), against the real dev binary in Chromium, over a store
// made by `go test -run TestE2EDamagedChartStore ./sqlite`: three
// medications of which one (Amoxicillin) has a flipped byte on disk, and
// another patient's record damaged the same way.
//   - the Medications tab lists the two that open and a marked placeholder
//     for the damaged one, with nothing to edit, stop or print on it;
//   - the summary strip shows the placeholder beside the current medications;
//   - the patient list says a patient record could not be opened.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev node frontend/e2e/damaged.mjs
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is. Prints `damaged e2e: N passed, M failed`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, freePort, repoRoot, resultsDir, screenshotSteps, startBinary, stopBinary, waitForHttp } from './launch.mjs'; // prettier-ignore

const timeout = 15_000;
const clinician = { username: 'cleo', passphrase: 'clinician passphrase 1' };

/** Makes the store with the damaged records in dir (a Go test helper writes it). */
function makeStore(dir) {
  const made = spawnSync('go', ['test', '-count=1', '-run', '^TestE2EDamagedChartStore$', './sqlite'], {
    cwd: repoRoot,
    env: { ...process.env, OUTPOST_E2E_DAMAGED_DIR: dir },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, `making the damaged store failed:\n${made.stdout}${made.stderr}`);
}

async function checks(page, step) {
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (n, scope = page) => scope.getByRole('button', { name: n, exact: true });
  const chart = page.getByRole('region', { name: 'Clinical chart' });

  await step('signs in and the patient list says a patient record could not be opened', async () => {
    await button('Sign in').waitFor();
    await byLabel('Username').fill(clinician.username);
    await byLabel('Passphrase').fill(clinician.passphrase);
    await button('Sign in').click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    await byLabel('Search patients').fill('Damaged');
    const rows = page.locator('section[aria-busy="false"] #patient-results tbody tr');
    await rows.filter({ hasText: 'DAMAGED, Mara' }).waitFor();
    const note = page.locator('#unreadable-patients');
    await note.waitFor();
    assert.match(await note.innerText(), /1 patient record could not be opened/);
    assert.equal(await rows.filter({ hasText: /Victim/i }).count(), 0, 'the damaged patient is listed');
    await rows.filter({ hasText: 'DAMAGED, Mara' }).first().click();
    await page.getByRole('region', { name: 'Patient banner' }).getByText('DAMAGED, Mara').waitFor();
  });

  await step('the summary strip shows the current medications and the placeholder', async () => {
    const strip = page.getByRole('region', { name: 'Chart summary' });
    await strip.getByText(/Metformin/).waitFor();
    await strip.getByText(/Lisinopril/).waitFor();
    const ph = strip.getByRole('note', { name: 'Medication could not be opened' });
    await ph.waitFor();
    assert.match(await ph.innerText(), /Medication could not be opened/);
    assert.match((await ph.getAttribute('title')) ?? '', /tell your practice administrator/);
    assert.equal(await strip.getByText(/Amoxicillin/).count(), 0);
    await strip.getByText(/Latex/).waitFor(); // an intact allergy still shows
  });

  await step('the Medications tab lists the two that open and a marked, non-editable placeholder', async () => {
    await chart.getByRole('tab', { name: 'Medications', exact: true }).click();
    const table = chart.getByRole('table', { name: 'Medications' });
    await table.getByText('Metformin', { exact: true }).waitFor();
    await table.getByText('Lisinopril', { exact: true }).waitFor();
    const ph = table.locator('tr.damaged-record');
    assert.equal(await ph.count(), 1, 'one placeholder row');
    await ph.getByRole('note', { name: 'Medication could not be opened' }).waitFor();
    const text = await ph.innerText();
    assert.match(text, /This medication could not be opened/);
    assert.match(text, /tell your practice administrator/);
    assert.equal(await ph.getByRole('button').count(), 0, 'the placeholder offers an action');
    assert.equal(await table.getByText(/Amoxicillin/).count(), 0);
    // Each intact row keeps its actions.
    const rows = table.locator('tbody tr:not(.damaged-record)');
    assert.equal(await rows.filter({ hasText: 'Metformin' }).getByRole('button', { name: 'Stop Metformin' }).count(), 1);
    await page.screenshot({ path: join(resultsDir, 'damaged-medications.png') });
  });
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const counts = { passed: 0, failed: 0 };
  let page = null;
  const step = screenshotSteps(counts, 'damaged', () => page);
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-e2e-damaged-'));
  let child = null;
  let browser = null;
  try {
    const bin = devBinary();
    buildFrontend();
    makeStore(dataDir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    child = startBinary(bin, port, dataDir, join(resultsDir, 'outpost-dev-damaged.log'));
    await waitForHttp(url, child);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    page.setDefaultTimeout(timeout);
    await page.goto(url);
    await checks(page, step);
  } catch (e) {
    counts.failed++;
    console.error(`damaged e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await browser?.close().catch(() => {});
    if (child) await stopBinary(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`damaged e2e: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

await main();
