// Shared launcher for the browser tests and benchmarks: finds and starts the
// dev-tag binary (Wails dev server mode, serving frontend/dist) on a free
// port, waits for it, stops it and its Xvfb together, and walks a fresh
// workstation through first-run set-up.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(frontendDir, '..');
export const resultsDir = join(frontendDir, 'test-results');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling Google's
// hosts, which this closed network refuses.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The dev binary: $OUTPOST_DEV_BIN (relative to the cwd or the repo root), else build/bin/outpost-dev. */
export function devBinary() {
  const given = process.env.OUTPOST_DEV_BIN;
  const candidates = given ? [resolve(given), resolve(repoRoot, given)] : [join(repoRoot, 'build/bin/outpost-dev')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `dev binary not found (${candidates.join(' or ')}). Build it with:\n` +
        '  npm --prefix frontend run build && go build -tags dev,webkit2_41 -o build/bin/outpost-dev .\n' +
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
export function buildFrontend() {
  if (process.env.OUTPOST_E2E_SKIP_BUILD === '1') return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: frontendDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

export function freePort() {
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

export async function waitForHttp(url, child, timeoutMs = 90_000) {
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
export function startBinary(bin, port, dataDir, logPath, assetDir = join(frontendDir, 'dist')) {
  const args = ['-devserver', `127.0.0.1:${port}`, '-assetdir', assetDir, '-loglevel', 'Warning'];
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

export async function stopBinary(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  const kill = (sig) => { try { process.kill(-child.pid, sig); return true; } catch { return false; } }; // prettier-ignore
  if (!kill('SIGTERM')) return;
  if (await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))])) kill('SIGKILL');
}

/** First run: the practice, a clinician, signed in as them, and one patient. */
export async function setUpClinician(page, url, { birthDate = '1980-03-12' } = {}) {
  const byLabel = (l) => page.getByLabel(l, { exact: true });
  const button = (n) => page.getByRole('button', { name: n, exact: true });
  await page.goto(url);
  await page.getByRole('heading', { name: 'Create a practice' }).waitFor({ timeout: 30_000 });
  const fill = async (fields) => { for (const [l, v] of Object.entries(fields)) await byLabel(l).fill(v); }; // prettier-ignore
  const admin = 'correct horse battery staple';
  await fill({ 'Practice name': 'Riverbend Rural Clinic', 'Full name': 'Dana Admin', Username: 'dana', Passphrase: admin, 'Confirm passphrase': admin });
  await button('Create practice').click();
  await page.getByLabel('I have printed or safely stored the recovery key').check();
  await button('Continue').click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('heading', { name: 'Add a user' }).waitFor();
  await fill({ 'Full name': 'Dr Sam Rivera', Username: 'sam', 'Initial passphrase': 'green valley clinic morning' });
  await byLabel('Role').selectOption('clinician');
  await button('Add user').click();
  await page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'sam' }).waitFor();
  await page.keyboard.press('Control+L');
  await fill({ Username: 'sam', Passphrase: 'green valley clinic morning' });
  await button('Sign in').click();
  await page.getByRole('heading', { name: 'Patients' }).waitFor();
  await page.keyboard.press('Alt+N');
  await page.getByRole('heading', { name: 'Register patient' }).waitFor();
  await fill({ 'Family name': 'Okafor', 'Given name': 'Ada', 'Date of birth': birthDate, Phone: '555 0101', 'City or town': 'Riverbend' });
  await byLabel('Sex').selectOption('female');
  await button('Save').click();
  await page.getByRole('region', { name: 'Patient banner' }).getByText('OKAFOR, Ada').waitFor();
}

// --- The practice server (sync e2e) -----------------------------------

/**
 * The practice server binary: $OUTPOST_SERVER_BIN, else built into
 * build/bin/outpost-server (pure Go, a few seconds when cached).
 */
export const serverBinary = () => goBinary('OUTPOST_SERVER_BIN', 'outpost-server', { CGO_ENABLED: '0' });

/**
 * The hostile enrolled device (cmd/outpost-rogue): $OUTPOST_ROGUE_BIN, else
 * built into build/bin/outpost-rogue.
 */
export const rogueBinary = () => goBinary('OUTPOST_ROGUE_BIN', 'outpost-rogue');

/** The binary $envVar names (relative to the cwd or the repo root), else ./cmd/name built into build/bin. */
function goBinary(envVar, name, env = {}) {
  const given = process.env[envVar];
  if (given) {
    const found = [resolve(given), resolve(repoRoot, given)].find((p) => existsSync(p));
    if (!found) throw new Error(`${envVar}=${given} does not exist`);
    return found;
  }
  const out = join(repoRoot, 'build/bin', name);
  const r = spawnSync('go', ['build', '-o', out, `./cmd/${name}`], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`go build ./cmd/${name} failed`);
  return out;
}

/**
 * Enrols a rogue device with code and pushes what args ask for
 * (-random-patient N, -altered N): its device id and the change ids pushed.
 */
export function runRogue(bin, code, args) {
  const r = spawnSync(bin, ['-code', code, ...args], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`outpost-rogue failed (${r.status}): ${r.stderr}`);
  const device = /^device (\S+)$/m.exec(r.stdout)?.[1];
  const pushed = [...r.stdout.matchAll(/^pushed (\S+) seq \d+: /gm)].map((m) => m[1]);
  if (!device) throw new Error(`unexpected outpost-rogue output: ${r.stdout}`);
  return { device, pushed };
}

/** Runs a server subcommand to completion and returns its stdout. */
export function serverCommand(bin, args) {
  const r = spawnSync(bin, args, { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`outpost-server ${args[0]} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A one-time enrolment code: the first line `outpost-server enroll` prints. */
export function enrollmentCode(bin, dir, addr) {
  const code = serverCommand(bin, ['enroll', '-dir', dir, '-addr', addr]).split('\n')[0].trim();
  if (!/^[A-Za-z0-9_-]{40,}$/.test(code)) throw new Error(`unexpected enrolment code output: ${code}`);
  return code;
}

/** Starts `outpost-server serve` and resolves once it prints that it listens. */
export async function startServer(bin, dir, addr, logPath, timeoutMs = 20_000) {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(bin, ['serve', '-dir', dir, '-addr', addr], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.pipe(log);
  await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`outpost-server did not start within ${timeoutMs / 1000} s (log ${logPath})`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`outpost-server exited early (code ${code}); see ${logPath}`)); }); // prettier-ignore
    child.stdout.on('data', (d) => {
      log.write(d);
      out += d;
      if (out.includes('Listening on')) {
        clearTimeout(timer);
        res();
      }
    });
  });
  return child;
}

export async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))])) child.kill('SIGKILL');
}

// --- Steps ---------------------------------------------------------------

/**
 * Runs one named check: counts it in counts.passed or counts.failed and
 * prints ✓/✗ (with the first lines of the stack). onFail runs after a
 * failure (a screenshot, Escape to close a dialog left open).
 */
/**
 * Types into a code search combobox and picks the first match of what was
 * typed: the list is aria-busy until the last keystroke's results are in.
 */
export async function pickFirstCode(scope, box, typed) {
  await box.pressSequentially(typed, { delay: 20 });
  await scope.locator('[role="listbox"]:not([aria-busy="true"])').getByRole('option').first().click();
}

/** The file name (without extension) of the screenshot taken when step name fails. */
export const failedShot = (name) => `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;

/**
 * Appends an inline <script> to the page and reports whether it ran and
 * which CSP directives refused something meanwhile.
 */
export function injectInlineScript(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const violations = [];
        document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true;';
        document.body.appendChild(s);
        setTimeout(() => resolve({ violations, ran: window.__injected === true }), 300);
      }),
  );
}

/**
 * A step function over runStep that, on failure, screenshots the page
 * pageOf() returns (it may not exist yet) as PREFIX-FAILED-….png and, with
 * escape, presses Escape to close a dialog left open.
 */
export function screenshotSteps(counts, prefix, pageOf, { escape = false } = {}) {
  return (name, fn) =>
    runStep(counts, name, fn, async () => {
      const page = pageOf();
      await page?.screenshot({ path: join(resultsDir, `${prefix}-${failedShot(name)}.png`) });
      if (escape) await page?.keyboard.press('Escape');
    });
}

export async function runStep(counts, name, fn, onFail = async () => {}) {
  const t0 = Date.now();
  try {
    await fn();
    counts.passed++;
    console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    counts.failed++;
    console.log(`  ✗ ${name}\n    ${String(e.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
    await onFail().catch(() => {});
  }
}

/**
 * The whole run of an e2e script over a fresh store: builds the frontend
 * (unless OUTPOST_E2E_SKIP_BUILD), starts the dev binary, opens Chromium,
 * sets up a practice with a signed-in clinician and a patient, runs
 * checks(page, step, url), and always stops everything. Prints
 * `<name> e2e: N passed, M failed` and exits non-zero on any failure.
 * viewport and initScript (run in every page before its scripts) are
 * the browser context's.
 */
/**
 * Bound calls whose replies the page receives late, by method name
 * ("LabInbox") to milliseconds: a test sets one to reproduce a slow
 * backend (a loaded CI box) deterministically. Only for runs started with
 * runE2E's slowCalls option, which routes the Wails IPC socket.
 */
export const slowCalls = new Map();
const heldReplies = new Set();

/** Resolves once every reply held back by slowCalls has reached the page. */
export const heldRepliesDelivered = () => Promise.all([...heldReplies]);

// routeSlowCalls forwards the page's Wails IPC socket ("C"+JSON calls out,
// "c"+JSON replies back) and holds a reply while its call's method is in
// slowCalls.
async function routeSlowCalls(context) {
  await context.routeWebSocket(/\/wails\/ipc$/, (ws) => {
    const server = ws.connectToServer();
    const delayOf = new Map(); // callbackID → ms
    ws.onMessage((m) => {
      if (typeof m === 'string' && m[0] === 'C') {
        const call = JSON.parse(m.slice(1));
        const ms = slowCalls.get(String(call.name).split('.').pop());
        if (ms) delayOf.set(call.callbackID, ms);
      }
      server.send(m);
    });
    server.onMessage((m) => {
      const id = typeof m === 'string' && m[0] === 'c' ? JSON.parse(m.slice(1)).callbackid : undefined;
      const ms = delayOf.get(id);
      if (!ms) return ws.send(m);
      delayOf.delete(id);
      const held = new Promise((done) => setTimeout(() => { ws.send(m); done(); }, ms));
      heldReplies.add(held);
      held.then(() => heldReplies.delete(held));
    });
  });
}

// printLogTail shows the app's last log lines under a failed run: CI keeps
// only what the run printed, and the app's side of a failure is there.
function printLogTail(logPath, lines = 25) {
  if (!existsSync(logPath)) return;
  const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines);
  console.log(`  last ${tail.length} lines of ${logPath}:\n    ${tail.join('\n    ')}`);
}

export async function runE2E(name, checks, { timeoutMs = 15_000, viewport = { width: 1024, height: 768 }, initScript = null, slowCalls: routeCalls = false } = {}) {
  mkdirSync(resultsDir, { recursive: true });
  const counts = { passed: 0, failed: 0 };
  let page = null;
  const step = screenshotSteps(counts, name, () => page, { escape: true });
  const dataDir = mkdtempSync(join(tmpdir(), `outpost-e2e-${name}-`));
  let child = null;
  let browser = null;
  const logPath = join(resultsDir, `outpost-dev-${name}.log`);
  try {
    const bin = devBinary();
    buildFrontend();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    child = startBinary(bin, port, dataDir, logPath);
    await waitForHttp(url, child);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    const context = await browser.newContext({ viewport });
    if (initScript) await context.addInitScript(initScript);
    if (routeCalls) await routeSlowCalls(context);
    page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await setUpClinician(page, url);
    console.log('  ✓ set up: practice, clinician signed in, patient registered');
    await checks(page, step, url);
  } catch (e) {
    counts.failed++;
    console.error(`${name} e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await browser?.close().catch(() => {});
    if (child) await stopBinary(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (counts.failed) printLogTail(logPath);
  console.log(`${name} e2e: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}
