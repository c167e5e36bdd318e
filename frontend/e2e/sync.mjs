// End-to-end test of sync: the real practice server binary and two real
// workstations (dev binaries, each with its own data directory), driven
// through their UIs with Chromium.
//
//   OUTPOST_DEV_BIN=build/bin/outpost-dev [OUTPOST_SERVER_BIN=build/bin/outpost-server] node frontend/e2e/sync.mjs
//
// A creates the practice, its administrator connects it with an enrolment
// code and registers a patient; B joins with a second code and signs in as
// A's administrator. With the server stopped both change the same phone
// number; with it back they sync A, B, A and both show the conflict. It is
// resolved on A and, after syncs, is gone on both with the same value:
// on the way each History lists both versions as edited at the same time,
// and an empty merged value is refused until confirmed. Then a rogue
// enrolled device (cmd/outpost-rogue, no practice key) pushes forged
// patient changes: both hold them back, A's next edit still reaches B, and
// the administrator retries and dismisses them under Admin → Held back.
// OUTPOST_SCREENSHOT=1 refreshes docs/sync-conflicts.png (committed; otherwise the shot goes to
// the results directory). OUTPOST_E2E_SKIP_BUILD=1 uses dist/ as it is.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, resultsDir, rogueBinary, runRogue } from './launch.mjs';
import { createAndConnect, joinPractice, runWorkstations, syncUntilOn } from './workstations.mjs';

const timeout = 20_000;
const admin = { practice: 'Riverbend Rural Clinic', fullName: 'Dana Admin', username: 'dana', passphrase: 'correct horse battery staple' };
const phoneA = '555 1111';
const phoneB = '555 2222';
const phoneAfterRogue = '555 3333';

/** Locators and actions on one workstation's page. */
function workstation(page, name) {
  const byLabel = (l) => page.getByLabel(l, { exact: true });
  const button = (n) => page.getByRole('button', { name: n, exact: true });
  const strip = page.getByRole('region', { name: 'Sync status' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  async function openPatient(q) {
    await button('Patients').click();
    await byLabel('Search patients').fill(q);
    const row = page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: 'OKAFOR' });
    await row.first().click();
    await page.getByRole('region', { name: 'Patient banner' }).getByText('OKAFOR, Ada').waitFor();
  }
  return {
    name,
    page,
    byLabel,
    button,
    strip,
    pending: strip.getByTestId('sync-pending'),
    held: strip.getByTestId('sync-held'),
    /** Errors thrown in the page since the start (a Svelte error among them). */
    errors,
    async fill(fields) {
      for (const [l, v] of Object.entries(fields)) await byLabel(l).fill(v);
    },
    openPatient,
    /** The patient's History tab, loaded: the text of each version's row. */
    async history(q) {
      await openPatient(q);
      await page.getByRole('tab', { name: 'History', exact: true }).click();
      const table = page.getByRole('table', { name: 'Version history' });
      await table.waitFor({ timeout: 5000 });
      return table.locator('tbody tr').allInnerTexts();
    },
    async editPhone(phone) {
      await button('Edit').click();
      await page.getByRole('heading', { name: 'Edit patient' }).waitFor();
      await byLabel('Phone').fill(phone);
      await button('Save').click();
      await page.getByRole('region', { name: 'Patient banner' }).getByText(phone).waitFor();
    },
    /** Sync now until cond() holds: a background sync may already be running. */
    syncUntil: syncUntilOn(page, name),
    async conflictsScreen() {
      // Leave and come back so the list is loaded afresh.
      await button('Patients').click();
      await strip.getByRole('button', { name: /^Conflicts/ }).click();
      await page.getByRole('heading', { name: 'Conflicts', exact: true }).waitFor();
    },
  };
}

async function main() {
  await runWorkstations('sync', async ({ pages, server, codes: [codeA, codeB, codeRogue], step }) => {
    const { addr } = server;
    const rogueBin = rogueBinary();
    const A = workstation(pages[0], 'A');
    const B = workstation(pages[1], 'B');
    const shot = async (w, name) => w.page.screenshot({ path: join(resultsDir, `sync-${w.name}-${name}.png`), fullPage: true }).catch(() => {});

    await step('A creates a practice and its administrator connects it with an enrolment code', async () => {
      await createAndConnect(A.page, admin, codeA, 'Front desk PC');
      await A.page.getByText(addr, { exact: true }).waitFor();
      await shot(A, 'connected');
    });

    await step('A registers a patient; Sync now sends it and the strip shows nothing waiting', async () => {
      await A.page.keyboard.press('Alt+N');
      await A.page.getByRole('heading', { name: 'Register patient' }).waitFor();
      await A.fill({ 'Family name': 'Okafor', 'Given name': 'Ada', 'Date of birth': '1980-03-12', Phone: '555 0101', 'City or town': 'Riverbend' });
      await A.byLabel('Sex').selectOption('female');
      await A.button('Save').click();
      await A.page.getByRole('region', { name: 'Patient banner' }).getByText('OKAFOR, Ada').waitFor();
      await A.syncUntil('sending the patient', async () => (await A.pending.innerText()) === 'No changes waiting' && (await A.strip.innerText()).includes('Last synced just now'));
      await A.strip.getByText('Online', { exact: true }).waitFor();
    });

    await step('B joins the practice with a second code, signs in as A\'s administrator and finds the patient', async () => {
      await joinPractice(B.page, codeB, 'Home visit laptop', () => shot(B, 'join'));
      await B.fill({ Username: admin.username, Passphrase: admin.passphrase });
      await B.button('Sign in').click();
      await B.page.getByRole('heading', { name: 'Patients' }).waitFor();
      await B.syncUntil('receiving the patient', async () => {
        // A new query each time: the same text again would not search again.
        await B.byLabel('Search patients').fill('');
        await B.byLabel('Search patients').fill('Okafor');
        await B.page.waitForTimeout(400);
        return (await B.page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: 'OKAFOR' }).count()) > 0;
      });
      await B.openPatient('Okafor');
      await B.page.getByRole('region', { name: 'Patient banner' }).getByText('555 0101').waitFor();
    });

    await step('with the server down, both change the same phone number and keep working offline', async () => {
      await server.stop();
      for (const [w, phone] of [[A, phoneA], [B, phoneB]]) {
        await w.openPatient('Okafor');
        await w.editPhone(phone);
        await w.syncUntil('noticing the server is gone', async () => /Offline|Sync failed/.test(await w.strip.innerText()) && /[1-9]\d* changes? waiting/.test(await w.pending.innerText()));
      }
      await shot(A, 'offline');
    });

    await step('server back: sync A, B, A; both Conflicts screens show the phone conflict', async () => {
      await server.start();
      const settled = (w) => async () => (await w.pending.innerText()) === 'No changes waiting' && (await w.strip.innerText()).includes('Online');
      await A.syncUntil('sending its edit', settled(A));
      await B.syncUntil('sending its edit', settled(B));
      for (const w of [B, A]) {
        await w.syncUntil('showing an open conflict', async () => /Conflicts\s*[1-9]/.test(await w.strip.innerText()));
        await w.conflictsScreen();
        const card = w.page.getByRole('article', { name: 'Demographics — phone' });
        await card.waitFor();
        const text = await card.innerText();
        assert.match(text, new RegExp(phoneA), `${w.name} shows A's value`);
        assert.match(text, new RegExp(phoneB), `${w.name} shows B's value`);
        assert.match(text, /Dana Admin/, `${w.name} says who`);
        // Each value names its workstation as it enrolled, not by its id.
        assert.match(text, /on workstation Front desk PC/, `${w.name} names A`);
        assert.match(text, /on workstation Home visit laptop/, `${w.name} names B`);
      }
      // The chart marks the record with the conflict; the marker opens
      // Conflicts for that record only.
      await A.openPatient('Okafor');
      await A.page.getByRole('button', { name: /^Sync conflict/ }).click();
      await A.page.getByRole('heading', { name: 'Conflicts', exact: true }).waitFor();
      await A.page.getByText(/Showing 1 of 1 conflicts: one record\./).waitFor();
      await A.page.getByRole('article', { name: 'Demographics — phone' }).waitFor();
      const conflictsShot = process.env.OUTPOST_SCREENSHOT === '1' ? join(repoRoot, 'docs/sync-conflicts.png') : join(resultsDir, 'sync-conflicts.png');
      await A.page.screenshot({ path: conflictsShot });
    });

    await step('History on each lists both phone versions as edited at the same time, naming the other workstation', async () => {
      // Each workstation publishes the name it enrolled or joined under
      // (a sealed device record), so the other names it.
      const cases = [[A, phoneA, phoneB, /on workstation “Home visit laptop”/], [B, phoneB, phoneA, /on workstation “Front desk PC”/]];
      for (const [w, mine, theirs, other] of cases) {
        const errorsBefore = w.errors.length;
        const rows = await w.history('Okafor');
        const all = `${w.name}'s History:\n  ${rows.join('\n  ')}`;
        const concurrent = rows.filter((r) => r.includes('edited at the same time'));
        assert.equal(concurrent.length, 2, all);
        assert.ok(concurrent.some((r) => r.includes('on this workstation') && r.includes(`→ ${mine}`)), all);
        const fromOther = concurrent.find((r) => other.test(r) && r.includes(`→ ${theirs}`));
        assert.ok(fromOther, all);
        assert.deepEqual(w.errors.slice(errorsBefore), [], `${w.name}: no error in the page`);
      }
      await shot(A, 'history-concurrent');
    });

    await step('an empty merged phone is refused until confirmed; "Go back" keeps the conflict', async () => {
      await A.conflictsScreen();
      const card = A.page.getByRole('article', { name: 'Demographics — phone' });
      await card.getByRole('button', { name: 'Write a merged value' }).click();
      await card.getByRole('textbox', { name: 'Merged value' }).fill('');
      await card.getByRole('button', { name: 'Save merged value' }).click();
      const ask = card.getByRole('alertdialog');
      await ask.getByRole('button', { name: 'Clear phone', exact: true }).waitFor();
      await shot(A, 'empty-merge');
      await ask.getByRole('button', { name: 'Go back and enter a value' }).click();
      await ask.waitFor({ state: 'detached' });
      await card.getByRole('button', { name: 'Cancel' }).click();
      // Loaded afresh from the store: nothing was resolved.
      await A.conflictsScreen();
      const text = await A.page.getByRole('article', { name: 'Demographics — phone' }).innerText();
      assert.ok(text.includes(phoneA) && text.includes(phoneB), `both values still there:\n${text}`);
      assert.match(await A.strip.innerText(), /Conflicts\s*1/);
    });

    let kept = '';
    await step('A resolves it (keep the other value); after syncs it is gone on both and the phones match', async () => {
      const card = A.page.getByRole('article', { name: 'Demographics — phone' });
      const other = card.locator('.value.other').first();
      kept = (await other.locator('.text').innerText()).trim();
      assert.ok([phoneA, phoneB].includes(kept), `the other value is one of the two phones (${kept})`);
      // The merge editor starts from the shown value; cancelled here.
      await card.getByRole('button', { name: 'Write a merged value' }).click();
      const shownText = (await card.locator('.value.shown .text').innerText()).trim();
      assert.equal(await card.getByRole('textbox', { name: 'Merged value' }).inputValue(), shownText);
      await card.getByRole('button', { name: 'Cancel' }).click();
      await other.getByRole('button', { name: 'Keep this one' }).click();
      await A.page.getByText('No conflicts to review.').waitFor();
      await A.syncUntil('sending the resolution', async () => (await A.pending.innerText()) === 'No changes waiting' && /Conflicts\s*0/.test(await A.strip.innerText()));
      await B.syncUntil('receiving the resolution', async () => /Conflicts\s*0/.test(await B.strip.innerText()));
      await B.conflictsScreen();
      await B.page.getByText('No conflicts to review.').waitFor();
      for (const w of [A, B]) {
        await w.openPatient('Okafor');
        const banner = w.page.getByRole('region', { name: 'Patient banner' });
        await banner.getByText(kept).waitFor();
        const lost = kept === phoneA ? phoneB : phoneA;
        assert.equal(await banner.getByText(lost).count(), 0, `${w.name} no longer shows ${lost}`);
      }
    });

    await step('the day report counts what A sent and received', async () => {
      // Opening charts wrote audit entries, which sync too: send them first.
      await A.syncUntil('sending the audit entries', async () => (await A.pending.innerText()) === 'No changes waiting');
      await A.strip.getByRole('button', { name: 'Day report' }).click();
      const table = A.page.getByRole('table', { name: 'Sync report' });
      await table.waitFor();
      const text = await table.innerText();
      assert.match(text, /Changes sent\s+[1-9]/);
      assert.match(text, /Changes received\s+[1-9]/);
      assert.match(text, /Conflicts found\s+[1-9]/);
      assert.match(text, /Changes still waiting to be sent\s+0/);
      await shot(A, 'day-report');
    });

    await step('a rogue device pushes forged patient changes: both hold them back and A\'s next edit still reaches B', async () => {
      const rogue = runRogue(rogueBin, codeRogue, ['-name', 'Rogue laptop', '-random-patient', '1', '-altered', '1']);
      assert.equal(rogue.pushed.length, 2, 'the rogue pushed two changes');
      await A.openPatient('Okafor');
      await A.editPhone(phoneAfterRogue);
      const heldTwo = (w) => async () => (await w.held.count()) > 0 && /Held back\s*2/.test(await w.held.innerText());
      await A.syncUntil('sending its edit, holding the rogue changes back', async () =>
        (await A.pending.innerText()) === 'No changes waiting' && (await heldTwo(A)()));
      await B.syncUntil('holding the rogue changes back', heldTwo(B));
      await B.syncUntil('receiving the edit made after them', async () => {
        await B.openPatient('Okafor');
        return (await B.page.getByRole('region', { name: 'Patient banner' }).getByText(phoneAfterRogue).count()) > 0;
      });

      // B's administrator: the message names the sender and the reason.
      await B.held.click();
      const items = B.page.getByRole('list', { name: 'Held back changes' }).getByTestId('held-change');
      await items.nth(1).waitFor();
      const from = `A change sent by workstation …${rogue.device.slice(-8)} could not be verified`;
      const untagged = items.filter({ hasText: 'carries no authentication tag' });
      const altered = items.filter({ hasText: 'authentication tag does not match' });
      for (const item of [untagged, altered]) assert.match(await item.innerText(), new RegExp(from));
      await shot(B, 'held-back');

      await altered.getByRole('button', { name: 'Retry', exact: true }).click();
      await B.page.getByText('0 taken in; 1 still held back').waitFor();
      assert.equal(await items.count(), 2, 'a retry leaves both held');

      await untagged.getByRole('button', { name: 'Dismiss…' }).click();
      const reason = 'Forged by a rogue device; its enrolment was revoked.';
      await untagged.getByLabel('Why is it dismissed? (kept in the audit log)').fill(reason);
      await untagged.getByRole('button', { name: 'Dismiss this change' }).click();
      await B.page.getByText('Dismissed. It stays listed under "Show dismissed".').waitFor();
      await untagged.waitFor({ state: 'detached' });
      assert.equal(await items.count(), 1, 'the dismissed one leaves the open list');
      await B.held.getByText('1', { exact: true }).waitFor();
      await B.page.getByLabel('Show dismissed').check();
      const dismissed = B.page.getByRole('list', { name: 'Dismissed changes' }).getByTestId('held-dismissed');
      await dismissed.waitFor();
      const text = await dismissed.innerText();
      assert.ok(text.includes('carries no authentication tag') && text.includes(reason), text);

      // A's administrator sees the same two, from the same sender.
      await A.held.click();
      const onA = A.page.getByRole('list', { name: 'Held back changes' }).getByTestId('held-change');
      await onA.nth(1).waitFor();
      for (const t of await onA.allInnerTexts()) assert.match(t, new RegExp(from));
    });
    await step('the administrator sets the warn-after days for every workstation', async () => {
      await A.button('Admin').click();
      await A.page.getByRole('tab', { name: 'Practice settings' }).click();
      const form = A.page.getByRole('form', { name: 'Sync warning' });
      await form.getByLabel('Warn when a workstation has not synced for (days)').fill('0');
      await form.getByRole('button', { name: 'Save warning' }).click();
      await form.getByRole('alert').or(form.locator('[aria-invalid="true"]')).first().waitFor();
      await form.getByLabel('Warn when a workstation has not synced for (days)').fill('5');
      await form.getByRole('button', { name: 'Save warning' }).click();
      await form.getByText('Workstations now warn their users after 5 days without a sync.').waitFor();
      await A.page.getByText(addr, { exact: true }).waitFor();
    });

    await step('B narrows itself to one patient (a home-visit route)', async () => {
      await B.strip.getByRole('button', { name: 'Patients on this workstation' }).click();
      await B.page.getByRole('heading', { name: 'Patients on this workstation' }).waitFor();
      await B.page.getByLabel('Only these patients').check();
      await B.page.getByText('Nothing changes until you add the first one.').waitFor();
      await B.byLabel('Add a patient').fill('Okafor');
      await B.button('Search').click();
      await B.page.getByRole('button', { name: /^Add OKAFOR, Ada/ }).click();
      const list = B.page.getByRole('table', { name: 'Patients on this workstation' });
      await B.page.getByText(/is now on this workstation/).waitFor();
      const row = list.getByRole('row').filter({ hasText: /Okafor/i });
      await row.waitFor();
      assert.match(await row.innerText(), /Up to date|waiting|fetched/);
      await B.page.getByRole('button', { name: /^Remove /i }).waitFor();
      await shot(B, 'route');
    });
  }, { extraCodes: 1 });
}

await main();
