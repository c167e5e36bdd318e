// Browser benchmark of opening a long chart, against the real Go backend.
//
//   cd /work/main && npm --prefix frontend run build && go build -tags dev,webkit2_41 -o build/bin/outpost-dev . \
//     && OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev node frontend/e2e/bench-chart.mjs
//
// Goal: a patient with 15 years of history (300 encounters with signed
// notes, ~2,000 observations, 50 medications) has the summary on screen in
// under 300 ms. The script starts the dev binary on a fresh data directory
// (like run.mjs / clinic-day.mjs, whose launcher pieces are copied here
// because they export none), seeds one such patient through the real
// bindings, then times N openings from the patient list to the painted
// summary strip and first timeline item, and N raw Chart.Summary calls.
//
// Output: JSON lines on stdout, then `bench-chart: summary on screen median
// X ms (goal < 300 ms)`. Exit code is non-zero only on errors, not on a
// missed goal. Env: BENCH_RUNS (default 15), BENCH_WARMUPS (default 2),
// OUTPOST_E2E_SKIP_BUILD=1 (use dist/ as it is; the command above builds).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, freePort, resultsDir, setUpClinician, startBinary, stopBinary, waitForHttp } from './launch.mjs';

const runs = Number(process.env.BENCH_RUNS || 15);
const warmups = Number(process.env.BENCH_WARMUPS || 2);
const goalMs = 300;
const chunk = 20;

// ---- seeding (runs inside the page, through window.go.app) ----

/**
 * Seeds 15 years of history for the patient found by `query`. Everything is
 * built and sent from the page so each record crosses the same binding the
 * app uses. Calls go out in chunks of `chunk` with Promise.all.
 */
function seedInPage({ query, chunk }) {
  const C = window.go.app.Chart;
  const pad = (n) => String(n).padStart(2, '0');
  const local = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const day = (d) => local(d).slice(0, 10);
  const now = Date.now();
  const yearMs = 365.25 * 24 * 3600 * 1000;
  const start = now - 15 * yearMs;
  // Spread n items evenly over 15 years, ending a few days ago, in office hours.
  const spread = (i, n) => {
    const d = new Date(start + ((now - 3 * 24 * 3600 * 1000 - start) * i) / n);
    d.setHours(9 + (i % 8), (i * 7) % 60, 0, 0);
    return d;
  };
  const inChunks = async (items, fn) => {
    const out = [];
    for (let i = 0; i < items.length; i += chunk) out.push(...(await Promise.all(items.slice(i, i + chunk).map(fn))));
    return out;
  };
  const range = (n) => Array.from({ length: n }, (_, i) => i);
  const dx = [
    ['I10', 'Essential (primary) hypertension'], ['E11.9', 'Type 2 diabetes mellitus without complications'],
    ['J06.9', 'Acute upper respiratory infection, unspecified'], ['M54.5', 'Low back pain'], ['Z00.00', 'Encounter for general adult medical examination'],
  ];
  const labs = [
    ['4548-4', 'Hemoglobin A1c', '%', '4', '5.6', 5, 9], ['2345-7', 'Glucose', 'mg/dL', '70', '99', 80, 190],
    ['2160-0', 'Creatinine', 'mg/dL', '0.6', '1.2', 0.6, 1.5], ['2093-3', 'Cholesterol, total', 'mg/dL', '', '200', 150, 260],
    ['718-7', 'Hemoglobin', 'g/dL', '12', '16', 10.5, 15.5],
  ];

  return (async () => {
    const t0 = performance.now();
    const [p] = await window.go.app.Patients.Search(query);
    const patientId = p.id;
    const counts = {};

    const encounters = await inChunks(range(300), (i) => {
      const [code, display] = dx[i % dx.length];
      return C.SaveEncounter({ patientId, type: i % 10 === 9 ? 'telephone' : 'office', start: local(spread(i, 300)),
        reason: `Follow-up visit ${i + 1}`, location: '', clinicianName: '', diagnoses: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code, display }] });
    });
    counts.encounters = encounters.length;

    const drafts = await inChunks(encounters, (e, i) =>
      C.SaveNoteDraft({ patientId, encounterId: e.id, kind: 'clinical', title: `Visit note ${e.start.slice(0, 10)}`, templateId: '',
        sections: [
          { key: 'subjective', label: 'Subjective', text: `Patient reports feeling well overall. Visit ${e.reason}. Sleeping fine, appetite normal.` },
          { key: 'objective', label: 'Objective', text: 'Alert, oriented. Chest clear. Heart sounds normal. Abdomen soft.' },
          { key: 'assessment', label: 'Assessment', text: e.diagnoses[0].display + ', stable.' },
          { key: 'plan', label: 'Plan', text: 'Continue current medications. Review labs. Return in three months or sooner if worse.' },
        ] }),
    );
    const signed = await inChunks(drafts, (n) => C.SignNote(n.id, n.version));
    counts.notesSigned = signed.filter((n) => n.signature).length;

    // ~1,000 vitals sets: one per encounter plus home/nurse readings between them.
    const vitals = await inChunks(range(1000), (i) => {
      const enc = i < 300 ? encounters[i] : null;
      const at = enc ? enc.start : local(spread(i - 300 + 0.5, 700));
      const v = (value) => ({ value });
      return C.RecordVitals(patientId, enc ? enc.id : '', at, {
        systolic: v(118 + (i % 25)), diastolic: v(72 + (i % 12)), heartRate: v(60 + (i % 30)), temperature: v(36.5 + (i % 5) / 10),
        spo2: v(96 + (i % 4)), weight: v(70 + (i % 10)),
      });
    });
    counts.vitals = vitals.length;

    const results = await inChunks(range(1000), (i) => {
      const [code, display, unit, lo, hi, min, max] = labs[i % labs.length];
      const d = spread(i, 1000);
      const value = (min + ((max - min) * ((i * 37) % 100)) / 100).toFixed(1);
      return C.SaveResult({ patientId, test: { system: 'http://loinc.org', code, display }, value, unit, refLow: lo, refHigh: hi, refText: '',
        flag: '', collectedAt: local(d), resultedAt: local(new Date(d.getTime() + 3600 * 1000)), attachmentIds: [] });
    });
    counts.results = results.length;
    // A real 15-year chart has its old results reviewed: acknowledge all but the last 5.
    const acked = await inChunks(results.slice(0, -5), (r) => C.AcknowledgeResult(r.id));
    counts.resultsAcknowledged = acked.length;
    counts.observations = counts.vitals + counts.results;

    // 50 medications: 12 active, 38 stopped or completed, distinct free-text
    // drugs so no duplicate alerts; any alert that still fires is overridden.
    const meds = await inChunks(range(50), (i) => {
      const d = spread(i, 50);
      const status = i >= 38 ? 'active' : i % 2 ? 'stopped' : 'completed';
      return C.SaveMedication({ patientId, drug: { system: '', code: '', display: `Benchmed${String.fromCharCode(97 + (i % 26))}${i} 10 mg tablet` },
        dose: '10', unit: 'mg', route: 'oral', frequency: 'once daily', instructions: '', quantity: '30', refills: 0,
        startDate: day(d), stopDate: status === 'active' ? '' : day(new Date(d.getTime() + 90 * 24 * 3600 * 1000)), status,
        stopReason: status === 'stopped' ? 'No longer needed' : '', source: 'prescribed' }, 'Benchmark seed: reviewed with patient, benefit outweighs risk.');
    });
    counts.medications = meds.length;
    counts.medicationsActive = meds.filter((m) => m.status === 'active').length;

    const problems = await Promise.all([
      ['I10', 'Essential (primary) hypertension', 'active', true], ['E11.9', 'Type 2 diabetes mellitus without complications', 'active', true],
      ['M54.5', 'Low back pain', 'resolved', false], ['E78.5', 'Hyperlipidemia, unspecified', 'active', true],
      ['J45.909', 'Unspecified asthma, uncomplicated', 'inactive', false],
    ].map(([code, display, status, chronic], i) => C.SaveProblem({ patientId, condition: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code, display },
      onset: String(new Date(start).getFullYear() + i * 2), status, chronic, comment: '' })));
    counts.problems = problems.length;

    const allergies = await Promise.all([
      ['Sulfonamides', 'rash', 'moderate'], ['Latex', 'itching', 'mild'], ['Shellfish', 'hives', 'severe'],
    ].map(([display, reaction, severity]) => C.SaveAllergy({ patientId, substance: { system: '', code: '', display }, type: 'allergy',
      reaction, severity, criticality: 'low', verification: 'confirmed', onset: '', comment: '' })));
    counts.allergies = allergies.length;

    const vaccines = [['140', 'Influenza, seasonal, injectable, preservative free'], ['115', 'Tdap'], ['133', 'Pneumococcal conjugate PCV 13']];
    const imms = await inChunks(range(20), (i) => {
      const [code, display] = vaccines[i % 3 === 0 || i < 14 ? 0 : i % 3];
      return C.SaveImmunization({ patientId, vaccine: { system: 'http://hl7.org/fhir/sid/cvx', code, display }, date: day(spread(i, 20)),
        doseNumber: 1, lot: `LOT${1000 + i}`, expiry: '', manufacturer: 'Seqirus', site: 'left deltoid', route: 'IM', givenBy: '',
        source: 'given', refused: false, refusalReason: '' });
    });
    counts.immunizations = imms.length;
    counts.seedMs = Math.round(performance.now() - t0);
    return { patientId, counts };
  })();
}

// ---- measuring ----

/**
 * In the page: click the patient's row in the list, and stop the clock on
 * the first animation frame after both the summary strip and the first
 * timeline item are in the DOM and visible (checked on every mutation).
 */
function openAndTimeInPage(name) {
  const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const ready = () =>
    visible(document.querySelector('section[aria-label="Chart summary"]')) &&
    visible(document.querySelector('ol[aria-label="Timeline"] > li.encounter, ol[aria-label="Timeline"] > li.note'));
  return new Promise((res, rej) => {
    const row = [...document.querySelectorAll('section[aria-busy="false"] #patient-results tbody tr')].find((r) => r.textContent.includes(name));
    if (!row) return rej(new Error(`no row for ${name} in the patient list`));
    let done = false;
    const timer = setTimeout(() => { obs.disconnect(); rej(new Error('chart did not show within 20 s')); }, 20_000); // prettier-ignore
    const obs = new MutationObserver(() => {
      if (done || !ready()) return;
      done = true;
      obs.disconnect();
      requestAnimationFrame(() => {
        clearTimeout(timer);
        res(performance.now() - t0);
      });
    });
    obs.observe(document.body, { childList: true, subtree: true, attributes: true });
    const t0 = performance.now();
    row.click();
  });
}

async function backToList(page, query, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients', exact: true }).click();
  const search = page.getByLabel('Search patients', { exact: true });
  if ((await search.inputValue()) !== query) await search.fill(query);
  await page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: name }).first().waitFor();
  // Let the list settle so its own rendering is not counted.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
}

function backendSummaryInPage({ patientId, runs, warmups }) {
  return (async () => {
    const times = [];
    let sizes = null;
    for (let i = 0; i < warmups + runs; i++) {
      const t0 = performance.now();
      const s = await window.go.app.Chart.Summary(patientId);
      const ms = performance.now() - t0;
      if (i >= warmups) times.push(ms);
      sizes = { timeline: s.timeline.length, medications: s.medications.length, resultsToReview: s.resultsToReview.length,
        bytes: JSON.stringify(s).length };
    }
    return { times, sizes };
  })();
}

/**
 * In the page: the backend calls openChart makes (summary first, then every
 * list in parallel), so the UI figure can be split into loading and
 * rendering. Per-list times are from the start of the parallel batch.
 */
function chartLoadInPage({ patientId, runs, warmups }) {
  const C = window.go.app.Chart;
  const lists = ['Encounters', 'Notes', 'Problems', 'Medications', 'Allergies', 'Vitals', 'Results', 'Immunizations'];
  return (async () => {
    const total = [];
    const per = Object.fromEntries([...lists, 'PracticeUnits', 'Templates'].map((k) => [k, []]));
    for (let i = 0; i < warmups + runs; i++) {
      const t0 = performance.now();
      await C.Summary(patientId);
      const t1 = performance.now();
      const timed = (k, p) => p.then(() => i >= warmups && per[k].push(performance.now() - t1));
      await Promise.all([...lists.map((k) => timed(k, C[k](patientId))), timed('PracticeUnits', C.PracticeUnits()), timed('Templates', C.Templates())]);
      if (i >= warmups) total.push(performance.now() - t0);
    }
    return { total, per };
  })();
}

function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  const r = (x) => Math.round(x * 10) / 10;
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { n: s.length, median: r(mid), p90: r(q(0.9)), min: r(s[0]), max: r(s[s.length - 1]) };
}

async function bench(page, url) {
  const query = 'Okafor';
  const name = 'OKAFOR, Ada';
  await setUpClinician(page, url, { birthDate: '1960-03-12' });
  const { patientId, counts } = await page.evaluate(seedInPage, { query, chunk });
  console.log(JSON.stringify({ bench: 'chart-seed', patientId, ...counts }));

  const ui = [];
  for (let i = 0; i < warmups + runs; i++) {
    await backToList(page, query, name);
    const ms = await page.evaluate(openAndTimeInPage, name);
    if (i >= warmups) ui.push(ms);
  }
  // Sanity: what the last opening showed.
  const shown = await page.evaluate(() => ({
    timelineItems: document.querySelectorAll('ol[aria-label="Timeline"] > li').length,
    partialAlert: document.querySelector('section[aria-label="Clinical chart"] .alert')?.textContent ?? '',
  }));
  const uiStats = stats(ui);
  console.log(JSON.stringify({ bench: 'chart-open-ui', unit: 'ms', ...uiStats, goalMs, ...shown }));

  const { times, sizes } = await page.evaluate(backendSummaryInPage, { patientId, runs, warmups });
  console.log(JSON.stringify({ bench: 'chart-summary-backend', unit: 'ms', ...stats(times), ...sizes }));

  const load = await page.evaluate(chartLoadInPage, { patientId, runs, warmups });
  const perList = Object.fromEntries(Object.entries(load.per).map(([k, t]) => [k, stats(t).median]));
  console.log(JSON.stringify({ bench: 'chart-open-backend-calls', unit: 'ms', ...stats(load.total), perListMedian: perList }));
  return uiStats;
}

async function main() {
  const { chromium } = await import('playwright-core');
  mkdirSync(resultsDir, { recursive: true });
  let child = null;
  let browser = null;
  let code = 1;
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-bench-chart-'));
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await stopBinary(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = async () => {
    await cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const bin = devBinary();
    buildFrontend();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const logPath = join(resultsDir, 'outpost-dev-bench-chart.log');
    console.error(`bench-chart: starting ${bin} on ${url} (log ${logPath})`);
    child = startBinary(bin, port, dataDir, logPath);
    await waitForHttp(url, child);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(30_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.stack || String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const ui = await bench(page, url);
    if (errors.length) console.error(`bench-chart: browser console errors:\n  ${errors.join('\n  ')}`);
    console.log(`bench-chart: summary on screen median ${Math.round(ui.median)} ms, p90 ${Math.round(ui.p90)} ms (goal < ${goalMs} ms)`);
    code = 0;
  } catch (e) {
    console.error(`bench-chart: failed: ${e.stack || e.message || e}`);
  } finally {
    await cleanup();
  }
  process.exit(code);
}

await main();
