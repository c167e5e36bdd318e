// End-to-end test of the inbox and billing basics (issue #11): the real
// practice server binary and two real workstations (dev binaries), driven
// through their UIs with Chromium.
//
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/worklist.mjs
//
// A creates the practice and connects it; its administrator adds a
// clinician and a nurse and the practice's first (made-up) service code.
// B joins and the nurse signs in there. On A the clinician writes the nurse
// a task about a patient; after sync it is in her inbox on B (the top bar
// counts it), she marks it done and the count goes. Then on A the clinician
// bills a visit: a superbill with the visit's ICD-10-CM diagnosis and the
// service, printed (the PDF read with pdftotext), and the day's totals.
// Prints `worklist e2e: N passed, M failed`.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickFirstCode, resultsDir } from './launch.mjs';
import { createAndConnect, joinPractice, runWorkstations, syncUntilOn } from './workstations.mjs';

const timeout = 20_000;
const admin = { practice: 'Riverbend Rural Clinic', fullName: 'Dana Admin', username: 'dana', passphrase: 'correct horse battery staple' };
const samPass = 'green valley clinic morning';
const nellPass = 'nell walks the river road';
const taskText = 'Call Mrs Okafor back about her potassium';

function workstation(page, name) {
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (n, scope = page) => scope.getByRole('button', { name: n, exact: true });
  const strip = page.getByRole('region', { name: 'Sync status' });
  const topbar = page.getByRole('navigation', { name: 'Main' });
  return {
    name,
    page,
    byLabel,
    button,
    strip,
    inboxButton: topbar.getByRole('button', { name: /^Inbox/ }),
    async fill(fields, scope = page) {
      for (const [l, v] of Object.entries(fields)) await byLabel(l, scope).fill(v);
    },
    async signIn(user, pass) {
      await page.keyboard.press('Control+L');
      await byLabel('Username').fill(user);
      await byLabel('Passphrase').fill(pass);
      await button('Sign in').click();
      await page.getByRole('heading', { name: 'Patients' }).waitFor();
    },
    /** Sync now until cond() holds: a background sync may already be running. */
    syncUntil: syncUntilOn(page, name, 40_000),
  };
}

async function main() {
  await runWorkstations('worklist', async ({ pages, codes: [codeA, codeB], tmp, step }) => {
    const A = workstation(pages[0], 'A');
    const B = workstation(pages[1], 'B');

    await step('A: a practice, connected; its administrator adds a clinician, a nurse and a made-up service code', async () => {
      await createAndConnect(A.page, admin, codeA, 'Front desk PC');
      await A.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
      for (const [full, user, pass, role] of [['Dr Sam Rivera', 'sam', samPass, 'clinician'], ['Nell Nurse', 'nell', nellPass, 'nurse']]) {
        await A.page.getByRole('heading', { name: 'Add a user' }).waitFor();
        await A.fill({ 'Full name': full, Username: user, 'Initial passphrase': pass });
        await A.byLabel('Role').selectOption(role);
        await A.button('Add user').click();
        await A.page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: user }).waitFor();
      }
      await A.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Billing' }).click();
      await A.page.getByText('No service codes yet.').waitFor();
      await A.button('Add a service code').click();
      const f = A.page.getByRole('form', { name: 'Service code' });
      await A.fill({ Code: 'xmpl-visit', Description: 'Example office visit (made up)', 'Fee ($)': '75' }, f);
      await A.button('Save code', f).click();
      await A.page.getByRole('table', { name: 'Service codes' }).getByRole('row').filter({ hasText: 'XMPL-VISIT' }).getByText('$75.00').waitFor();
      await A.syncUntil('sending the users and the code', async () => (await A.strip.innerText()).includes('No changes waiting'));
    });

    await step('B joins the practice and the nurse signs in there; her inbox is empty', async () => {
      await joinPractice(B.page, codeB, 'Home visit laptop');
      await B.fill({ Username: 'nell', Passphrase: nellPass });
      await B.button('Sign in').click();
      await B.page.getByRole('heading', { name: 'Patients' }).waitFor();
      await B.inboxButton.click();
      await B.page.getByText('No open tasks.').waitFor();
      assert.match(await B.inboxButton.getAttribute('aria-label'), /^Inbox, 0 waiting/);
    });

    await step('A: the clinician registers a patient and writes the nurse a task about her, due tomorrow', async () => {
      await A.signIn('sam', samPass);
      await A.page.keyboard.press('Alt+N');
      await A.page.getByRole('heading', { name: 'Register patient' }).waitFor();
      await A.fill({ 'Family name': 'Okafor', 'Given name': 'Ada', 'Date of birth': '1958-06-02', Phone: '555 0101', 'City or town': 'Riverbend' });
      await A.byLabel('Sex').selectOption('female');
      await A.button('Save').click();
      await A.page.getByRole('region', { name: 'Patient banner' }).getByText('OKAFOR, Ada').waitFor();
      await A.inboxButton.click();
      const f = A.page.getByRole('form', { name: 'New task' });
      await A.byLabel('Task', f).fill(taskText);
      await A.byLabel('For', f).selectOption({ label: 'Nell Nurse' });
      await f.getByRole('combobox', { name: 'Patient' }).pressSequentially('Okafor', { delay: 20 });
      await f.getByRole('option', { name: /Ada Okafor|OKAFOR/ }).first().click();
      const tomorrow = new Date(Date.now() + 86_400_000);
      const due = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
      await A.byLabel('Due', f).fill(due);
      await A.button('Add task', f).click();
      await A.page.getByRole('status').getByText('Task sent to Nell Nurse.').waitFor();
      await A.page.getByRole('table', { name: 'Tasks I sent' }).getByText(taskText).waitFor();
      await A.syncUntil('sending the task', async () => (await A.strip.innerText()).includes('No changes waiting'));
    });

    await step('a task to a colleague appears in their inbox after sync: B counts it and lists it with the patient', async () => {
      await B.syncUntil('the task arriving', async () => /^Inbox, 1 waiting/.test((await B.inboxButton.getAttribute('aria-label')) ?? ''));
      await B.button('Patients').click();
      await B.inboxButton.click();
      const row = B.page.getByRole('table', { name: 'My tasks' }).getByRole('row').filter({ hasText: taskText });
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, /Ada Okafor|OKAFOR/, 'the task names its patient');
      assert.match(text, /Dr Sam Rivera/, 'and who wrote it');
      await B.page.screenshot({ path: join(resultsDir, 'worklist-inbox.png') });
    });

    await step('the nurse marks it done: it leaves her inbox and the count goes to 0', async () => {
      await B.button(`Mark done: ${taskText}`).click();
      await B.page.getByText('No open tasks.').waitFor();
      await B.page.waitForFunction(() => /^Inbox, 0 waiting/.test(document.querySelector('nav[aria-label="Main"] button[aria-label^="Inbox"]')?.getAttribute('aria-label') ?? ''));
      await B.syncUntil('sending the done task', async () => (await B.strip.innerText()).includes('No changes waiting'));
    });

    await step('A: the clinician bills a visit; the superbill carries its diagnosis and the service, and prints', async () => {
      await A.button('Patients').click();
      await A.byLabel('Search patients').fill('Okafor');
      await A.page.locator('section[aria-busy="false"] #patient-results tbody tr').filter({ hasText: 'OKAFOR' }).first().click();
      const chart = A.page.getByRole('region', { name: 'Clinical chart' });
      await chart.getByRole('tab', { name: 'Timeline', exact: true }).click();
      await A.button('New encounter', chart).click();
      const f = A.page.getByRole('form', { name: 'New encounter' });
      await A.byLabel('Reason for visit', f).fill('Sore throat');
      await pickFirstCode(f, f.getByRole('combobox', { name: /Diagnosis/ }), 'pharyngitis');
      await A.button('Add diagnosis', f).click();
      await A.button('Save encounter', f).click();
      await f.waitFor({ state: 'detached' });
      await A.button('Superbill for this visit', chart).click();
      const dlg = A.page.getByRole('dialog', { name: 'Superbill' });
      await dlg.getByText(/^J02/).first().waitFor();
      await dlg.getByLabel('Bill XMPL-VISIT').check();
      await dlg.getByLabel('Units of XMPL-VISIT').fill('2');
      await dlg.getByLabel('Superbill total').getByText('$150.00').waitFor();
      await A.button('Save superbill', dlg).click();
      await dlg.getByRole('status').getByText('Superbill saved.').waitFor();
      await A.button('Print superbill', dlg).click();
      const viewer = A.page.getByRole('dialog', { name: 'Print superbill' });
      const link = viewer.getByRole('link', { name: /^Download / });
      await link.waitFor();
      const bytes = await A.page.evaluate(async (href) => Array.from(new Uint8Array(await (await fetch(href)).arrayBuffer())), await link.getAttribute('href'));
      const pdf = join(tmp('outpost-e2e-wl-pdf-'), 'superbill.pdf');
      writeFileSync(pdf, Buffer.from(bytes));
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      for (const want of ['Superbill', 'Ada Okafor', 'Diagnoses (ICD-10-CM)', 'J02', 'XMPL-VISIT', 'Example office visit (made up)', '$75.00', 'Total', '$150.00', 'Dr Sam Rivera']) {
        assert.ok(text.includes(want), `the superbill lacks "${want}":\n${text}`);
      }
      await A.button('Close', viewer).click();
      await A.button('Close', dlg).click();
    });

    await step("Billing shows the day's totals: one superbill, $150.00, two units of the code", async () => {
      await A.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Billing' }).click();
      await A.page.getByLabel('Day summary').getByText('$150.00').waitFor();
      assert.match(await A.page.getByLabel('Day summary').innerText(), /^1 superbill, total \$150\.00/);
      const row = A.page.getByRole('table', { name: 'Totals by service' }).getByRole('row').filter({ hasText: 'XMPL-VISIT' });
      assert.match(await row.innerText(), /2\s+\$150\.00/);
    });
  }, { viewport: { width: 1100, height: 800 } });
}

await main();
