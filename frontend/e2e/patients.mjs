// End-to-end test of patient record completeness (Outpost issue #11) in
// Chromium against the real dev binary: a minor is asked for a guardian,
// a bad email is refused with a human message, an inactive patient leaves
// the list until "show inactive", a deceased patient says so on the
// banner (a date of death in the future is refused), and an administrator
// merges two records of one person — the kept chart shows the retired
// record's allergy — then undoes the merge.
//
//   OUTPOST_DEV_BIN=$PWD/build/bin/outpost-dev OUTPOST_E2E_SKIP_BUILD=1 node frontend/e2e/patients.mjs
// Prints `patients e2e: N passed, M failed` and exits non-zero on any failure.

import assert from 'node:assert/strict';
import { pickFirstCode, runE2E } from './launch.mjs';

const adminPass = 'correct horse battery staple';
const docPass = 'green valley clinic morning';

runE2E('patients', async (page, step) => {
  const byLabel = (l, scope = page) => scope.getByLabel(l, { exact: true });
  const button = (name, scope = page) => scope.getByRole('button', { name, exact: true });
  const banner = page.getByRole('region', { name: 'Patient banner' });
  const field = (path) => page.locator(`#f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`);
  const signInAs = async (username, passphrase) => {
    await page.keyboard.press('Control+L');
    await byLabel('Username').fill(username);
    await byLabel('Passphrase').fill(passphrase);
    await button('Sign in').click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
  };
  const toList = () => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click();
  const register = async (family, given, born, anyway = false) => {
    await toList();
    await page.keyboard.press('Alt+N');
    await page.getByRole('heading', { name: 'Register patient' }).waitFor();
    await byLabel('Family name').fill(family);
    await byLabel('Given name').fill(given);
    await byLabel('Date of birth').fill(born);
    await byLabel('Sex').selectOption('female');
    await button('Save').click();
    if (anyway) await button('Register anyway').click();
    await banner.getByText(`${family.toUpperCase()}, ${given}`).waitFor();
    return (await banner.locator('.mono').innerText()).trim(); // the MRN
  };
  const edit = async (fn) => {
    await button('Edit').click();
    await page.getByRole('heading', { name: 'Edit patient' }).waitFor();
    await fn();
  };
  const search = async (q) => {
    await toList();
    await page.getByLabel('Search patients').fill(q);
  };
  const mergeTab = async (q) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Merge patients' }).click();
    await page.getByLabel('Find the two records').fill(q);
  };
  const allergies = async () => {
    const chart = page.getByRole('region', { name: 'Clinical chart' });
    await chart.getByRole('tab', { name: 'Allergies', exact: true }).click();
    return chart;
  };
  let adaMRN = '';
  let dupMRN = '';

  await step('a minor is asked for a guardian; a bad email is refused in words; the guardian shows', async () => {
    await toList();
    await page.keyboard.press('Alt+N');
    await byLabel('Family name').fill('Okafor');
    await byLabel('Given name').fill('Tobi');
    await byLabel('Date of birth').fill('2016-05-01');
    await byLabel('Date of birth').press('Tab');
    await page.locator('#guardian-prompt').getByText(/Under 18/).waitFor();
    await byLabel('Email').fill('tobi@home');
    await byLabel('Guardian name').fill('Ada Okafor');
    await field('guardian.relationship').fill('mother');
    await byLabel('Guardian phone').fill('555 0101');
    assert.equal(await page.locator('#guardian-prompt').count(), 0, 'a named guardian ends the prompt');
    await button('Save').click();
    await page.getByText('An email address looks like name@example.org.').first().waitFor();
    assert.equal(await byLabel('Email').getAttribute('aria-invalid'), 'true');
    await byLabel('Email').fill('tobi@example.org');
    await button('Save').click();
    await banner.getByText('OKAFOR, Tobi').waitFor();
    assert.match(await page.locator('#demo-guardian').innerText(), /Ada Okafor \(mother\)\s*555 0101/);
  });

  await step('an inactive patient leaves the list, and comes back with "show inactive"', async () => {
    await register('Mensah', 'Kofi', '1971-02-03');
    await edit(async () => {
      await page.locator('#f-inactive').check();
      await byLabel('Insurer').fill('Prairie Mutual');
      await byLabel('Member id').fill('PM-4471');
    });
    await button('Save').click();
    await banner.locator('#banner-inactive').waitFor();
    assert.match(await page.locator('#demo-insurance').innerText(), /Prairie Mutual · member PM-4471/);
    await search('Mensah');
    await page.getByText('No patient matches “Mensah”.').waitFor();
    await page.locator('#show-inactive').check();
    const row = page.locator('#patient-results tr').filter({ hasText: 'MENSAH, Kofi' });
    await row.getByText('Inactive', { exact: true }).waitFor();
    await page.locator('#show-inactive').uncheck();
  });

  await step('a date of death in the future is refused; a deceased patient says so on the banner', async () => {
    await register('Bello', 'Grace', '1931-07-09');
    await edit(async () => {
      await page.locator('#f-deceased').check();
      await byLabel('Date of death').fill('2999-01-01');
    });
    await button('Save').click();
    await page.getByText('The date of death is in the future.').first().waitFor();
    await byLabel('Date of death').fill('1930-01-01');
    await button('Save').click();
    await page.getByText('The date of death is before the date of birth.').first().waitFor();
    await byLabel('Date of death').fill('2025-06-01');
    await button('Save').click();
    await banner.locator('#banner-deceased').getByText('Deceased 1 Jun 2025').waitFor();
  });

  await step('a second record of Ada Okafor is registered and an allergy charted on it', async () => {
    await search('Okafor');
    await page.locator('#patient-results tr').filter({ hasText: 'OKAFOR, Ada' }).first().click();
    adaMRN = (await banner.locator('.mono').innerText()).trim();
    dupMRN = await register('Okafor', 'Ada', '1980-03-12', true);
    const chart = await allergies();
    await button('Add allergy', chart).click();
    const f = page.getByRole('form', { name: 'New allergy' });
    await pickFirstCode(f, f.getByRole('combobox', { name: /Substance/ }), 'penicillin');
    await byLabel('Reaction', f).fill('hives');
    await button('Save allergy', f).click();
    await f.waitFor({ state: 'detached' });
    assert.notEqual(adaMRN, dupMRN);
  });

  await step('an administrator previews and merges the two records', async () => {
    await signInAs('dana', adminPass);
    await mergeTab('Okafor');
    await button(`Keep OKAFOR, Ada MRN ${adaMRN}`).click();
    await button(`Retire OKAFOR, Ada MRN ${dupMRN}`).click();
    await page.locator('#merge-preview').click();
    const panel = page.locator('#merge-preview-panel');
    await panel.getByText('These look like one person: same name and date of birth.').waitFor();
    await panel.locator('#merge-confirm').click();
    await page.locator('#merge-done').getByText(/was merged into OKAFOR, Ada/).waitFor();
    await button(`Undo the merge of OKAFOR, Ada MRN ${dupMRN}`).waitFor();
  });

  await step('the kept chart shows the retired record’s allergy; the retired record is out of the list', async () => {
    await signInAs('sam', docPass);
    await search('Ada Okafor');
    const rows = page.locator('#patient-results tr').filter({ hasText: 'OKAFOR, Ada' });
    await page.locator('#search-count').getByText('1 found').waitFor();
    await rows.first().click();
    assert.equal((await banner.locator('.mono').innerText()).trim(), adaMRN);
    const chart = await allergies();
    await chart.getByText(/penicillin/i).first().waitFor();
    await search('Ada Okafor');
    await page.locator('#show-inactive').check();
    await page.locator('#patient-results tr').filter({ hasText: 'Merged' }).click();
    await page.locator('#merged-note').waitFor();
    await page.locator('#open-survivor').click();
    await banner.getByText(adaMRN).waitFor();
  });

  await step('the administrator undoes the merge; the kept chart loses the allergy again', async () => {
    await signInAs('dana', adminPass);
    await mergeTab('Okafor');
    await button(`Undo the merge of OKAFOR, Ada MRN ${dupMRN}`).click();
    await page.locator('#merge-done').getByText(/was undone/).waitFor();
    await signInAs('sam', docPass);
    await search('Ada Okafor');
    await page.locator('#search-count').getByText('2 found').waitFor();
    await page.locator('#patient-results tr').filter({ hasText: adaMRN }).click();
    const chart = await allergies();
    await chart.getByRole('tabpanel', { name: 'Allergies' }).getByRole('button', { name: 'Record no known allergies' }).waitFor(); // nothing listed
    assert.equal(await chart.getByText(/penicillin/i).count(), 0, 'the allergy went back with the retired record');
  });
});
