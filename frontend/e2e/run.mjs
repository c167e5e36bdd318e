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

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { scenario } from './scenario.mjs';

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(frontendDir, '..');
const resultsDir = join(frontendDir, 'test-results');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The dev binary: $OUTPOST_DEV_BIN (relative to the cwd or the repo root), else build/bin/outpost-dev. */
function devBinary() {
  const given = process.env.OUTPOST_DEV_BIN;
  const candidates = given ? [resolve(given), resolve(repoRoot, given)] : [join(repoRoot, 'build/bin/outpost-dev')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `dev binary not found (${candidates.join(' or ')}). Build it with:\n` +
        '  cd /work/main && npm --prefix frontend run build && go build -tags dev,webkit2_41 -o build/bin/outpost-dev .\n' +
        'and set OUTPOST_DEV_BIN to its path.',
    );
  }
  return found;
}

/**
 * The binary serves frontend/dist from disk, so build it first: the test
 * then always exercises the current source (about 2 s). Set
 * OUTPOST_E2E_SKIP_BUILD=1 to use dist/ as it is.
 */
function build() {
  if (process.env.OUTPOST_E2E_SKIP_BUILD === '1') return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: frontendDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the dev binary exited early (code ${child.exitCode}); see its log`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Starts the binary in its own process group so it and Xvfb can be stopped together. */
function startBinary(bin, port, dataDir, logPath) {
  const args = ['-devserver', `127.0.0.1:${port}`, '-assetdir', join(frontendDir, 'dist'), '-loglevel', 'Warning'];
  const [cmd, argv] = process.env.DISPLAY ? [bin, args] : ['xvfb-run', ['-a', bin, ...args]];
  const log = createWriteStream(logPath);
  const child = spawn(cmd, argv, {
    cwd: repoRoot,
    env: { ...process.env, OUTPOST_DATA_DIR: dataDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function stopBinary(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timedOut = await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
  if (timedOut) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

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
      build();
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
