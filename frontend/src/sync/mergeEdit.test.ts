import { describe, expect, it } from 'vitest';
import { mergeModel, mergedValue } from './mergeEdit';

describe('mergeModel', () => {
  it('gives strings one textarea prefilled with the shown value', () => {
    const m = mergeModel('555 0101', ['555 0199']);
    expect(m).toEqual({ type: 'text', text: '555 0101' });
    expect(mergedValue(m)).toBe('555 0101');
  });
  it('treats a cleared value beside a string as text', () => {
    expect(mergeModel(null, ['x'])).toEqual({ type: 'text', text: '' });
  });
  it('gives objects of strings one input per key any value has', () => {
    const m = mergeModel({ name: 'Ben', phone: '1' }, [{ name: 'Benjamin', relationship: 'son' }]);
    expect(m.type).toBe('object');
    if (m.type !== 'object') return;
    expect(m.parts).toEqual([
      { key: 'name', label: 'Name', text: 'Ben' },
      { key: 'phone', label: 'Phone', text: '1' },
      { key: 'relationship', label: 'Relationship', text: '' },
    ]);
    m.parts[2].text = 'son';
    expect(mergedValue(m)).toEqual({ name: 'Ben', phone: '1', relationship: 'son' });
  });
  it('gives note sections one textarea per section and keeps keys and labels', () => {
    const shown = [{ key: 's', label: 'Subjective', text: 'Cough' }];
    const other = [
      { key: 's', label: 'Subjective', text: 'Cough, fever' },
      { key: 'p', label: 'Plan', text: 'Fluids' },
    ];
    const m = mergeModel(shown, [other]);
    expect(m.type).toBe('sections');
    expect(mergedValue(m)).toEqual([
      { key: 's', label: 'Subjective', text: 'Cough' },
      { key: 'p', label: 'Plan', text: '' },
    ]);
  });
  it('refuses to hand-merge other JSON (numbers, nested objects, mixed types)', () => {
    expect(mergeModel(3, [4]).type).toBe('none');
    expect(mergeModel({ a: { b: 'c' } }, [{ a: 'x' }]).type).toBe('none');
    expect(mergeModel('text', [{ a: 'x' }]).type).toBe('none');
    expect(mergedValue({ type: 'none' })).toBeUndefined();
  });
});
