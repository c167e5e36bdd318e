import { describe, expect, it } from 'vitest';
import { effectiveAllergyStatus } from './allergy';
import { damagedOf, damagedText, isDamaged, unreadablePatientsText } from './damaged';
import { buildTimeline } from './timeline';
import type { Allergy, Encounter, Note } from '../api/chart';

const placeholder = (id: string) => ({ id, patientId: 'p', version: 2, damaged: 'This medication could not be opened: tell your practice administrator.' }) as unknown as Allergy;
const allergy = (id: string, over: Partial<Allergy> = {}) =>
  ({ id, patientId: 'p', version: 1, substance: { system: '', code: '', display: 'Latex' }, verification: 'confirmed', ...over }) as Allergy;

describe('placeholders', () => {
  it('picks out the records that could not be opened, but not retracted ones', () => {
    const list = [allergy('a'), placeholder('b'), { ...placeholder('c'), enteredInError: { at: '', by: '', byName: '', reason: 'x' } }];
    expect(damagedOf(list).map((r) => r.id)).toEqual(['b']);
    expect(damagedOf(null)).toEqual([]);
    expect(isDamaged(list[0])).toBe(false);
  });

  it('titles a placeholder by its kind and shows the store message, or a fallback', () => {
    expect(damagedText('medication', placeholder('b'))).toEqual({
      title: 'Medication could not be opened',
      message: 'This medication could not be opened: tell your practice administrator.',
    });
    expect(damagedText('note', { id: 'x', damaged: ' ' }).message).toMatch(/administrator/);
  });

  it('never says "no known allergies" when an allergy could not be opened', () => {
    expect(effectiveAllergyStatus('none-known', [placeholder('b')])).toBe('unreadable');
    expect(effectiveAllergyStatus('unreadable', [])).toBe('unreadable');
    expect(effectiveAllergyStatus('listed', [placeholder('b'), allergy('a')])).toBe('listed');
    expect(effectiveAllergyStatus('none-known', [])).toBe('none-known');
  });

  it('lists damaged encounters and notes first in the timeline, without their content', () => {
    const enc = { id: 'e1', start: '2026-11-20T09:00', type: 'office', diagnoses: [], reason: 'Cough', location: '', clinicianName: '' } as unknown as Encounter;
    const broken = { id: 'n9', damaged: 'This note could not be opened.' } as unknown as Note;
    const items = buildTimeline([enc], [broken]);
    expect(items.map((i) => [i.id, !!i.damaged])).toEqual([
      ['n9', true],
      ['e1', false],
    ]);
  });

  it('counts unreadable patients for the patient list', () => {
    expect(unreadablePatientsText(0)).toBe('');
    expect(unreadablePatientsText(1)).toBe('1 patient record could not be opened and is not listed; tell your practice administrator.');
    expect(unreadablePatientsText(3)).toMatch(/^3 patient records could not be opened and are not listed/);
  });
});
