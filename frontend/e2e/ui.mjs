// End-to-end checks of clinic-day UI bugs, safe attachments and the window's
// Content-Security-Policy (Outpost issues #8 and #16), against the real dev
// binary in Chromium:
//   - the window's CSP refuses an inline <script> injected into the page;
//   - a note typed and locked at once with Ctrl+L keeps every character;
//   - signing a note with an over-long section says what is wrong;
//   - one click on Sign… right after an over-long section opens the dialog;
//   - Cancel empties the vitals form;
//   - keystrokes right after Alt+N land in the new patient's form;
//   - at 800×600 the Lock button is on screen and locks;
//   - history dialogs show coded values as text, never JSON;
//   - an HTML "attachment" that arrived through the pull path (a store made
//     by `go test -run TestE2EForgedAttachmentStore ./sqlite`) is never
//     rendered; the PDF beside it is;
//   - closing the window (runtime.Quit) saves the draft typed just before;
//   - nothing the app does itself trips the CSP.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev node frontend/e2e/ui.mjs
// OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is. Prints `ui e2e: N passed, M failed`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildFrontend, chromiumArgs, chromiumPath, devBinary, freePort, injectInlineScript, repoRoot, resultsDir, screenshotSteps, setUpClinician, startBinary, stopBinary, waitForHttp } from './launch.mjs'; // prettier-ignore

const timeout = 15_000;
const clinician = { username: 'sam', passphrase: 'green valley clinic morning' };

/** A running dev binary over dataDir; stop() ends it, exited resolves when it ends by itself. */
async function launch(bin, dataDir, name) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = startBinary(bin, port, dataDir, join(resultsDir, `outpost-dev-ui-${name}.log`));
  const exited = new Promise((r) => child.once('exit', r));
  await waitForHttp(url, child);
  return { url, child, exited, stop: () => stopBinary(child) };
}

function helpers(page) {
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (n, scope = page) => scope.getByRole('button', { name: n, exact: true });
  const chart = page.getByRole('region', { name: 'Clinical chart' });
  return {
    byLabel,
    button,
    chart,
    form: (name) => page.getByRole('form', { name }),
    tab: (name) => chart.getByRole('tab', { name, exact: true }).click(),
    async signIn({ username, passphrase }) {
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await byLabel('Username').fill(username);
      await byLabel('Passphrase').fill(passphrase);
      await button('Sign in').click();
      await page.getByRole('heading', { name: 'Patients' }).waitFor();
    },
    async openPatient(query, name) {
      await button('Patients').click();
      await byLabel('Search patients').fill(query);
      await page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: name }).first().click();
      await page.getByRole('region', { name: 'Patient banner' }).getByText(name).waitFor();
    },
    /** Starts a note in the Notes tab and returns its editor. */
    async newNote(title) {
      await chart.getByRole('tab', { name: 'Notes', exact: true }).click();
      await button('New note', chart).click();
      await byLabel('Note title', page.getByRole('form', { name: 'New note' })).fill(title);
      await button('Start note', page.getByRole('form', { name: 'New note' })).click();
      // Another draft's editor may still be open below the form until the
      // new note is stored and selected: wait for the form to go first.
      await page.getByRole('form', { name: 'New note' }).waitFor({ state: 'detached' });
      const editor = page.getByRole('form', { name: 'Edit note' });
      await editor.waitFor();
      return editor;
    },
    /** The text of the first section of the note called title. */
    async noteText(title) {
      await chart.getByRole('tab', { name: 'Notes', exact: true }).click();
      await page.getByRole('complementary', { name: 'Notes list' }).getByRole('button', { name: new RegExp(title) }).click();
      return page.getByRole('form', { name: 'Edit note' }).getByRole('group', { name: 'Note sections' }).locator('textarea').first().inputValue();
    },
  };
}

async function scenario(page, url, bin, dataDir, step) {
  const h = helpers(page);
  const { byLabel, button, chart, form, tab } = h;

  await step('the window has a strict CSP: an inline <script> injected into the page is refused', async () => {
    const csp = (await fetch(url)).headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    assert.equal(scriptSrc, "script-src 'self'", `the window's CSP: ${csp}`);
    const seen = await injectInlineScript(page);
    assert.equal(seen.ran, false, 'the injected inline script ran');
    assert.ok(seen.violations.some((d) => d.startsWith('script-src')), `no script-src violation: ${seen.violations}`);
  });

  await step('typing a note and locking at once with Ctrl+L keeps every character', async () => {
    await h.openPatient('Okafor', 'OKAFOR, Ada');
    const editor = await h.newNote('Lock race');
    const text = 'Seen at home. Last words typed just before locking: ZEBRA-7731';
    await byLabel('Subjective', editor).pressSequentially(text, { delay: 2 });
    await page.keyboard.press('Control+L');
    await h.signIn(clinician);
    await h.openPatient('Okafor', 'OKAFOR, Ada');
    assert.equal(await h.noteText('Lock race'), text);
  });

  await step('signing a note with an over-long section says which section is too long', async () => {
    const editor = await h.newNote('Too long');
    await byLabel('Subjective', editor).fill('x'.repeat(20_001));
    // The autosave has answered (and refused) before Sign… is pressed.
    await editor.getByRole('status').getByText(/^Not saved: The section Subjective is too long/).waitFor();
    await button('Sign…', editor).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this note?' });
    await button('Sign note', dialog).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Subjective.*too long.*20,?000/i);
    assert.doesNotMatch(await alert.innerText(), /try again/i);
    await button('Cancel', dialog).click();
  });

  await step('Sign… clicked at once on leaving an over-long section opens the sign dialog', async () => {
    // One real mouse click, no waits: the click that leaves the section
    // starts the refused save, and what that save changes on screen must not
    // swallow the click (it did since the patient-status merge of #11).
    const dialog = page.getByRole('dialog', { name: 'Sign this note?' });
    for (const [title, answered] of [['Too long, refused', true], ['Too long, in flight', false]]) {
      const editor = await h.newNote(title);
      await byLabel('Subjective', editor).fill('x'.repeat(20_001));
      if (answered) await editor.getByRole('status').getByText(/^Not saved: The section Subjective is too long/).waitFor();
      await button('Sign…', editor).click();
      await dialog.waitFor({ timeout: 2000 }).catch(() => assert.fail(`${title}: one click on Sign… did not open the sign dialog`));
      await button('Cancel', dialog).click();
      await dialog.waitFor({ state: 'hidden' });
    }
  });

  await step('Cancel empties the vitals form', async () => {
    await tab('Vitals');
    await button('Record vitals', chart).click();
    await byLabel('Heart rate', form('Record vitals')).fill('88');
    await byLabel('Systolic', form('Record vitals')).fill('abc');
    await button('Save vitals', form('Record vitals')).click();
    await page.locator('#vit-systolic[aria-invalid="true"]').waitFor();
    await button('Cancel', form('Record vitals')).click();
    await button('Record vitals', chart).click();
    assert.equal(await byLabel('Heart rate', form('Record vitals')).inputValue(), '');
    assert.equal(await byLabel('Systolic', form('Record vitals')).inputValue(), '');
    assert.equal(await page.locator('#vit-systolic[aria-invalid="true"]').count(), 0, 'the old error is gone');
    await button('Cancel', form('Record vitals')).click();
  });

  await step('the first keystrokes after Alt+N land in the new patient form', async () => {
    await button('Patients').click();
    await byLabel('Search patients').click();
    // Within the task that handles Alt+N (microtasks only, so no backend
    // answer can arrive first), the form is there and focused.
    const focused = await page.evaluate(async () => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', code: 'KeyN', altKey: true, bubbles: true, cancelable: true }));
      for (let i = 0; i < 20; i++) await Promise.resolve();
      return document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName;
    });
    assert.equal(focused, 'familyName', 'keys typed right after Alt+N would go astray');
    await button('Cancel').click();
    await byLabel('Search patients').click();
    await page.keyboard.press('Alt+N');
    await page.keyboard.type('Quennell');
    await page.getByRole('heading', { name: 'Register patient' }).waitFor();
    assert.equal(await byLabel('Family name').inputValue(), 'Quennell');
    await button('Cancel').click();
  });

  await step('history dialogs show coded values as text, never JSON', async () => {
    await h.openPatient('Okafor', 'OKAFOR, Ada');
    await tab('Allergies');
    await button('Add allergy', chart).click();
    const f = form('New allergy');
    await byLabel('Substance', f).fill('sulfa drugs');
    await byLabel('Substance', f).press('Escape');
    await byLabel('Reaction', f).fill('rash');
    await button('Save allergy', f).click();
    await page.getByRole('list', { name: 'Allergy list' }).getByText(/sulfa drugs/).waitFor();
    await button('History of sulfa drugs', chart).click();
    const dialog = page.getByRole('dialog', { name: 'History of sulfa drugs' });
    await dialog.getByText('Version 1').waitFor();
    const shown = await dialog.innerText();
    assert.doesNotMatch(shown, /[{}[\]"]/, `raw JSON in the history dialog:\n${shown}`);
    assert.match(shown, /Substance\s+sulfa drugs/);
    await button('Close', dialog).click();
  });

  await step('at 800×600 the whole top bar is on screen and Lock locks', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    const lock = page.getByRole('button', { name: /^Lock/ });
    const box = await lock.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 800 && box.y + box.height <= 600, `Lock is at ${JSON.stringify(box)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
    await page.screenshot({ path: join(resultsDir, 'ui-800x600.png') });
    await lock.click({ trial: false });
    await h.signIn(clinician);
    await page.setViewportSize({ width: 1024, height: 768 });
  });

  await step('closing the window saves the draft typed just before, then locks', async () => {
    await h.openPatient('Okafor', 'OKAFOR, Ada');
    const editor = await h.newNote('Closing');
    const text = 'Typed right before closing the window: OKAPI-5120';
    await byLabel('Subjective', editor).pressSequentially(text, { delay: 2 });
    await page.evaluate(() => window.runtime.Quit());
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    const ended = await Promise.race([bin.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
    assert.ok(ended, 'the app did not quit after locking');
    const again = await launch(bin.path, dataDir, 'reopened');
    try {
      await page.goto(again.url);
      await h.signIn(clinician);
      await h.openPatient('Okafor', 'OKAFOR, Ada');
      assert.equal(await h.noteText('Closing'), text);
    } finally {
      await again.stop();
    }
  });
}

/** An HTML page synced as an attachment (through the pull path) is never rendered. */
async function forgedAttachment(browser, bin, step) {
  await step('an HTML "attachment" that arrived by sync is refused; the PDF beside it shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-e2e-forged-'));
    let app = null;
    try {
      const made = spawnSync('go', ['test', '-count=1', '-run', '^TestE2EForgedAttachmentStore$', './sqlite'], {
        cwd: repoRoot,
        env: { ...process.env, OUTPOST_E2E_FORGED_DIR: dir },
        encoding: 'utf8',
      });
      assert.equal(made.status, 0, `making the forged store failed:\n${made.stdout}${made.stderr}`);
      app = await launch(bin, dir, 'forged');
      const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
      page.setDefaultTimeout(timeout);
      const h = helpers(page);
      await page.goto(app.url);
      await h.signIn({ username: 'cleo', passphrase: 'clinician passphrase 1' });
      await h.openPatient('Quennell', 'QUENNELL, Wilhelmina');
      await h.tab('Results');
      const rows = h.chart.getByRole('table', { name: 'Results' }).locator('tbody tr');
      const forged = rows.filter({ hasText: 'Sodium' });
      for (const name of ['View report 1', 'View report 2']) {
        await h.button(name, forged).click();
        await h.chart.getByRole('alert').getByText(/cannot be shown: it is not a PDF or image/).waitFor();
        assert.equal(await page.locator('object, iframe, embed').count(), 0, 'something was framed');
        assert.equal(await page.title(), 'Outpost', 'the forged page ran');
      }
      await h.button('View report 1', rows.filter({ hasText: 'Potassium' })).click();
      const viewer = page.getByRole('dialog', { name: /^Report: / });
      const pdf = viewer.locator('object[type="application/pdf"]');
      await pdf.waitFor();
      const head = await page.evaluate(async (u) => new TextDecoder().decode((await (await fetch(u)).arrayBuffer()).slice(0, 5)), await pdf.getAttribute('data'));
      assert.equal(head, '%PDF-');
      await h.button('Close', viewer).click();
    } finally {
      await app?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const counts = { passed: 0, failed: 0 };
  let page = null;
  const step = screenshotSteps(counts, 'ui', () => page, { escape: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-e2e-ui-'));
  let app = null;
  let browser = null;
  try {
    const path = devBinary();
    buildFrontend();
    app = await launch(path, dataDir, 'main');
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    page.setDefaultTimeout(timeout);
    const refused = [];
    page.on('console', (m) => /Content Security Policy/.test(m.text()) && refused.push(m.text()));
    await setUpClinician(page, app.url);
    console.log('  ✓ set up: practice, clinician signed in, patient registered');
    await scenario(page, app.url, { path, exited: app.exited }, dataDir, step);
    await forgedAttachment(browser, path, step);
    await step('the app itself never trips the CSP (only the injected script did)', async () => {
      const others = refused.filter((m) => !/inline script/i.test(m));
      assert.deepEqual(others, []);
      assert.ok(refused.length > 0, 'the injected script was not reported');
    });
  } catch (e) {
    counts.failed++;
    console.error(`ui e2e: setup failed: ${process.env.E2E_DEBUG ? e.stack : e.message || e}`);
  } finally {
    await browser?.close().catch(() => {});
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`ui e2e: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

await main();
