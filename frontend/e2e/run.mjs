// End-to-end test of the Outpost frontend against the real dev binary.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev npm --prefix frontend run e2e
//
// It starts the dev-tag binary (Wails dev server mode, serving frontend/dist)
// on a free port with a fresh temporary data directory, drives it with
// Chromium through playwright-core, and always stops the binary at the end.
// Screenshots go to frontend/test-results/. Exit code 0 only if every step
// passed.
//
// Developer aid only: OUTPOST_E2E_URL=http://127.0.0.1:5173 runs the same
// scenario against an already running frontend (e.g. `npm run dev:fake`)
// instead of starting the binary.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { scenario } from './scenario.mjs';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, freePort, resultsDir, startBinary, stopBinary, waitForHttp } from './launch.mjs';

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  let child = null;
  let dataDir = null;
  let browser = null;
  let results = { passed: 0, failed: 1, skipped: 0 };
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await stopBinary(child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = async () => {
    await cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let url = process.env.OUTPOST_E2E_URL;
    if (!url) {
      const bin = devBinary();
      buildFrontend();
      dataDir = mkdtempSync(join(tmpdir(), 'outpost-e2e-'));
      const port = await freePort();
      url = `http://127.0.0.1:${port}/`;
      const logPath = join(resultsDir, 'outpost-dev.log');
      console.log(`e2e: starting ${bin} on ${url} (data ${dataDir}, log ${logPath})`);
      child = startBinary(bin, port, dataDir, logPath);
    }
    await waitForHttp(url, child);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(e.stack || String(e)));
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    results = await scenario(page, url, resultsDir);
    if (consoleErrors.length) console.log(`e2e: browser console errors:\n  ${consoleErrors.join('\n  ')}`);
  } catch (e) {
    console.error(`e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await cleanup();
  }
  console.log(`e2e: ${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} not run` : ''}`);
  process.exit(results.failed === 0 && results.passed > 0 ? 0 : 1);
}

await main();
