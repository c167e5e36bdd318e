// End-to-end test of the appointment book (Outpost issue #11) in Chromium
// against the real dev binary: the administrator adds a nurse; the
// clinician books a home visit in the nurse's book and two office visits
// in one slot of his own (marked as a double booking), checks a patient in,
// sees the nurse's day, reorders nothing but prints it (the PDF is read
// with pdftotext), and finds the bookings on the patient's chart.
//
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/schedule.mjs
// Prints `schedule e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsDir, runE2E } from './launch.mjs';

const pad = (n) => String(n).padStart(2, '0');
// Everything is booked for tomorrow, so it stays upcoming whenever the test runs.
const next = new Date();
next.setDate(next.getDate() + 1);
const today = `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`;

runE2E('schedule', async (page, step) => {
  const tmp = mkdtempSync(join(tmpdir(), 'outpost-schedule-'));
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const signInAs = async (user, pass) => {
    await page.keyboard.press('Control+L');
    await byLabel('Username').fill(user);
    await byLabel('Passphrase').fill(pass);
    await button('Sign in').click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
  };
  const schedule = () => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  const table = () => page.getByRole('table', { name: `Appointments of ${today}` });

  async function book({ withWhom, type, time, reason }) {
    await button('Book appointment').click();
    const f = page.getByRole('form', { name: 'Book an appointment' });
    await byLabel('Patient', f).fill('Okafor');
    await button('Choose', f.getByRole('list', { name: 'Matching patients' })).first().click();
    await f.getByLabel('With').selectOption({ label: withWhom });
    await f.getByLabel('Type').selectOption({ label: type });
    await f.getByLabel('Date').fill(today);
    await f.getByLabel('Time').fill(time);
    await f.getByLabel('Minutes').fill('30');
    await f.getByLabel('Reason').fill(reason);
    await button('Book', f).click();
    await page.getByRole('status').getByText(`Ada Okafor booked for ${today} ${time}.`).waitFor();
  }

  try {
    await step('the administrator adds a nurse, who has a book', async () => {
      await signInAs('dana', 'correct horse battery staple');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
      await page.getByRole('heading', { name: 'Add a user' }).waitFor();
      await byLabel('Full name').fill('Nell Nurse');
      await byLabel('Username').fill('nell');
      await byLabel('Initial passphrase').fill('lantern meadow river stone');
      await byLabel('Role').selectOption('nurse');
      await button('Add user').click();
      await page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'nell' }).waitFor();
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).count(), 0,
        'the administrator has no appointment book to open');
      await signInAs('sam', 'green valley clinic morning');
    });

    await step('the clinician books a home visit for the nurse and two office visits in one slot: both marked double booked', async () => {
      await schedule();
      await page.getByRole('heading', { name: 'Schedule' }).waitFor();
      await page.getByLabel('Day', { exact: true }).fill(today);
      await book({ withWhom: 'Nell Nurse', type: 'Home visit', time: '14:00', reason: 'Leg ulcer dressing' });
      await book({ withWhom: 'Dr Sam Rivera', type: 'Office', time: '09:00', reason: 'Blood pressure review' });
      await book({ withWhom: 'Dr Sam Rivera', type: 'Office', time: '09:15', reason: 'Repeat prescription' });
      await page.getByLabel('Whose book').selectOption({ label: 'Dr Sam Rivera' });
      await table().getByRole('row').filter({ hasText: '09:15' }).waitFor();
      assert.equal(await table().getByText('Double booked').count(), 2, 'both bookings of the slot are marked');
      await page.getByRole('note').getByText(/Double bookings are marked/).waitFor();
      await page.screenshot({ path: join(resultsDir, 'schedule-double-booking.png') });
    });

    await step('check in: the booking shows checked in and can be checked out', async () => {
      const row = table().getByRole('row').filter({ hasText: '09:00' });
      await button('Check in Ada Okafor', row).click();
      await row.getByRole('cell', { name: 'Checked in', exact: true }).waitFor();
      await button('Check out Ada Okafor', row).waitFor();
    });

    await step('reschedule the 09:15 booking to 10:00: the double booking is gone; then a no-show and a cancellation', async () => {
      const row = table().getByRole('row').filter({ hasText: '09:15' });
      await button('Reschedule Ada Okafor', row).click();
      const f = page.getByRole('form', { name: 'Reschedule' });
      await f.getByLabel('Time').fill('10:00');
      await button('Save', f).click();
      await page.getByRole('status').getByText(`Ada Okafor rescheduled to ${today} 10:00.`).waitFor();
      await table().getByRole('row').filter({ hasText: '10:00' }).waitFor();
      assert.equal(await table().getByText('Double booked').count(), 0, 'no overlap once moved');
      const moved = table().getByRole('row').filter({ hasText: '10:00' });
      await button('No-show Ada Okafor', moved).click();
      await moved.getByRole('cell', { name: 'No-show', exact: true }).waitFor();
      await button('Undo no-show of Ada Okafor', moved).click();
      await button('Cancel Ada Okafor', moved).click();
      await moved.getByRole('cell', { name: 'Cancelled', exact: true }).waitFor();
    });

    await step("tomorrow's call list names the bookings still to remind (not the cancelled one) and prints", async () => {
      await button(`Call list for ${today}`).click();
      const calls = page.getByRole('table', { name: 'Calls to make' });
      await calls.getByText('Ada Okafor').first().waitFor();
      const rows = await calls.getByRole('row').allInnerTexts();
      assert.ok(rows.some((r) => r.includes('14:00')), `the home visit is to be reminded: ${rows}`);
      assert.ok(!rows.some((r) => r.includes('10:00')), `the cancelled booking is not: ${rows}`);
      await button('Print', page.getByRole('dialog', { name: `Call list for ${today}` })).click();
      await page.getByRole('link', { name: /^Download / }).waitFor();
      await page.keyboard.press('Escape');
    });

    await step('the week view lists the three bookings under today', async () => {
      await page.getByLabel('Whose book').selectOption({ label: 'Every book' });
      await page.getByRole('tab', { name: 'Week' }).click();
      const week = page.getByLabel(/^Week from /);
      await week.getByText('Ada Okafor').first().waitFor();
      assert.equal(await week.getByText('Ada Okafor').count(), 3, 'three bookings, the cancelled one struck through');
      await page.getByRole('tab', { name: 'Day' }).click();
    });

    await step("the nurse's day lists the home visit with the patient's town, and prints as a home-visit sheet", async () => {
      await page.getByLabel('Whose book').selectOption({ label: 'Nell Nurse' });
      const day = page.getByRole('region', { name: 'Home visits of Nell Nurse' });
      const visits = day.getByRole('list', { name: "Order of the day's home visits" });
      await visits.getByText('Ada Okafor').waitFor();
      await visits.getByText('Riverbend').waitFor();
      await button('Move Ada Okafor earlier', visits).waitFor();
      await page.screenshot({ path: join(resultsDir, 'schedule-nurse-day.png') });
      await button('Print home-visit sheet', day).click();
      const viewer = page.getByRole('dialog', { name: 'Home-visit sheet' });
      const link = viewer.getByRole('link', { name: /^Download / });
      await link.waitFor();
      const b64 = await page.evaluate(async (href) => {
        const buf = new Uint8Array(await (await fetch(href)).arrayBuffer());
        let s = '';
        for (const x of buf) s += String.fromCharCode(x);
        return btoa(s);
      }, await link.getAttribute('href'));
      const pdf = join(tmp, 'sheet.pdf');
      writeFileSync(pdf, Buffer.from(b64, 'base64'));
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      for (const want of ['Home visit sheet', 'Visit 1 of 1', `${today} 14:00 for 30 min`, 'Riverbend', 'Ada']) {
        assert.ok(text.includes(want), `the sheet lacks "${want}":\n${text}`);
      }
      await button('Close', viewer).click();
    });

    await step("the patient's chart lists her upcoming appointments", async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click();
      await page.getByRole('heading', { name: 'Patients' }).waitFor();
      await page.getByText('Okafor', { exact: false }).first().click();
      const mine = page.getByRole('list', { name: 'Upcoming appointments' });
      await mine.getByText(`${today} 14:00`).waitFor();
      assert.equal(await mine.getByRole('listitem').count(), 3);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
