// The set-up the e2e scripts with a practice server (sync, worklist, audit)
// share: the real server binary over its own store, dev binaries (A, B)
// each with its own data directory, and Chromium with a page on each.
// Steps stop at the first failure (each builds on the last) and screenshot
// both pages; everything is stopped at the end, or on Ctrl+C.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, enrollmentCode, failedShot, freePort, resultsDir, runStep, serverBinary, serverCommand, startBinary, startServer, stopBinary, stopServer, waitForHttp } from './launch.mjs'; // prettier-ignore

/**
 * Runs script({ pages, server, codes, tmp, step }) over a fresh server and
 * `count` workstations (two unless told): pages[0] is A's, pages[1] B's;
 * codes holds one enrolment code for each and `extraCodes` more; server.stop() and
 * server.start() take the server down and back on the same store and
 * address; tmp(prefix) is a directory removed at the end. Prints
 * `<name> e2e: N passed, M failed[, K not run] (T s)` and exits non-zero on
 * any failure.
 */
export async function runWorkstations(name, script, { count = 2, viewport = { width: 1024, height: 768 }, timeoutMs = 20_000, extraCodes = 0 } = {}) {
  mkdirSync(resultsDir, { recursive: true });
  const dirs = [];
  const tmp = (p) => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; }; // prettier-ignore
  const children = [];
  const pages = [];
  let browser = null;
  let server = null;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  let broken = false;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    for (const c of children) await stopBinary(c);
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  process.once('SIGINT', async () => { await cleanup(); process.exit(130); }); // prettier-ignore
  process.once('SIGTERM', async () => { await cleanup(); process.exit(130); }); // prettier-ignore

  async function step(stepName, fn) {
    if (broken) {
      counts.skipped++;
      console.log(`  - ${stepName} (not run)`);
      return;
    }
    const failed = counts.failed;
    await runStep(counts, stepName, fn, async () => {
      for (const [i, p] of pages.entries()) await p.screenshot({ path: join(resultsDir, `${name}-${'ABC'[i]}-${failedShot(stepName)}.png`), fullPage: true }).catch(() => {});
    });
    broken = counts.failed > failed;
  }

  const t0 = Date.now();
  try {
    server = await practiceServer(name, tmp);
    const codes = Array.from({ length: count + extraCodes }, () => server.enrollmentCode());
    const bin = devBinary();
    buildFrontend();
    const urls = [];
    for (const n of ['a', 'b', 'c'].slice(0, count)) {
      const port = await freePort();
      children.push(startBinary(bin, port, tmp(`outpost-e2e-${name}-${n}-`), join(resultsDir, `outpost-dev-${name}-${n}.log`)));
      urls.push(`http://127.0.0.1:${port}/`);
    }
    await Promise.all(urls.map((u, i) => waitForHttp(u, children[i])));
    console.log(`${name} e2e: server ${server.addr}, workstations ${urls.join(' ')} (${Date.now() - t0} ms to start)`);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    for (const u of urls) {
      const p = await (await browser.newContext({ viewport })).newPage();
      p.setDefaultTimeout(timeoutMs);
      p.on('pageerror', (e) => console.log(`  (page error on ${u}: ${process.env.E2E_DEBUG ? e.stack : e.message})`));
      await p.goto(u);
      pages.push(p);
    }
    await script({ pages, server, codes, tmp, step });
  } catch (e) {
    counts.failed++;
    console.error(`${name} e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await cleanup();
  }
  console.log(`${name} e2e: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} not run` : ''} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

/** The practice server binary over a new store, started on a free address; its log is outpost-server-<name>.log. */
async function practiceServer(name, tmp) {
  const bin = serverBinary();
  const dir = join(tmp(`outpost-e2e-${name}-server-`), 'srv');
  serverCommand(bin, ['init', '-dir', dir]);
  const addr = `127.0.0.1:${await freePort()}`;
  const log = join(resultsDir, `outpost-server-${name}.log`);
  rmSync(log, { force: true });
  let child = await startServer(bin, dir, addr, log);
  return {
    addr,
    enrollmentCode: () => enrollmentCode(bin, dir, addr),
    async start() {
      child = await startServer(bin, dir, addr, log);
    },
    async stop() {
      await stopServer(child);
      child = null;
    },
  };
}

/**
 * syncUntil(what, cond, ms) for a workstation's page: presses Sync now
 * until cond() holds (a background sync may already be running), or
 * throws after ms with what the sync strip says.
 */
export function syncUntilOn(page, name, defaultMs = 30_000) {
  const strip = page.getByRole('region', { name: 'Sync status' });
  return async (what, cond, ms = defaultMs) => {
    const t0 = Date.now();
    const deadline = t0 + ms;
    while (Date.now() < deadline) {
      const now = strip.getByRole('button', { name: 'Sync now', exact: true });
      if (await now.isEnabled().catch(() => false)) await now.click().catch(() => {});
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        if (await cond()) {
          if (process.env.E2E_DEBUG) console.log(`    (${name}: ${what} after ${Date.now() - t0} ms)`);
          return;
        }
        await page.waitForTimeout(150);
      }
    }
    throw new Error(`${name}: ${what} did not happen within ${ms / 1000} s; strip says: ${await strip.innerText().catch(() => '?')}`);
  };
}

/** On a new workstation: creates the practice (admin: practice, fullName, username, passphrase) and connects it with code. */
export async function createAndConnect(page, admin, code, workstationName) {
  const byLabel = (l) => page.getByLabel(l, { exact: true });
  const strip = page.getByRole('region', { name: 'Sync status' });
  await page.getByRole('heading', { name: 'Create a practice' }).waitFor({ timeout: 30_000 });
  for (const [l, v] of Object.entries({ 'Practice name': admin.practice, 'Full name': admin.fullName, Username: admin.username, Passphrase: admin.passphrase, 'Confirm passphrase': admin.passphrase })) await byLabel(l).fill(v); // prettier-ignore
  await page.getByRole('button', { name: 'Create practice', exact: true }).click();
  await page.getByLabel('I have printed or safely stored the recovery key').check();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await strip.getByText('Not connected to a practice server').waitFor();
  await strip.getByRole('button', { name: 'Connect to a practice server' }).click();
  await page.getByRole('heading', { name: 'Practice server' }).waitFor();
  await byLabel('Enrolment code').fill(code);
  await byLabel('Workstation name').fill(workstationName);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText(/Connected to the practice server at/).waitFor({ timeout: 30_000 });
  await strip.getByRole('button', { name: 'Sync now', exact: true }).waitFor();
}

/** On a new workstation: joins the practice with code; before() runs with the form filled, before Join. */
export async function joinPractice(page, code, workstationName, before = async () => {}) {
  await page.getByRole('heading', { name: 'Create a practice' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Join a practice', exact: true }).click();
  await page.getByRole('heading', { name: 'Join a practice' }).waitFor();
  await page.getByLabel('Enrolment code', { exact: true }).fill(code);
  await page.getByLabel('Workstation name', { exact: true }).fill(workstationName);
  await before();
  await page.getByRole('button', { name: 'Join practice', exact: true }).click();
  await page.getByText('This workstation has joined the practice').waitFor({ timeout: 60_000 });
}
