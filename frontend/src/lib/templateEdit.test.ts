import { describe, expect, it } from 'vitest';
import type { Template } from '../api/chart';
import { blankTemplate, canEditTemplates, copyOf, deriveKey, editable, maxKeyLen, move, removeAt, slugify, withKeys } from './templateEdit';

const sec = (label: string, key = '') => ({ key, label, prompt: '', text: '' });

describe('slugify', () => {
  it('lowercases, hyphenates and trims punctuation', () => {
    expect(slugify('  History of present illness / HPI ')).toBe('history-of-present-illness-hpi');
  });
  it('drops accents rather than the letters', () => {
    expect(slugify('Évaluation générale')).toBe('evaluation-generale');
  });
  it('is empty for a label with no letters or digits', () => {
    expect(slugify(' — ')).toBe('');
  });
  it('keeps within the backend key limit without a trailing hyphen', () => {
    const key = slugify('a'.repeat(63) + ' b');
    expect(key.length).toBeLessThanOrEqual(maxKeyLen);
    expect(key.endsWith('-')).toBe(false);
  });
});

describe('deriveKey', () => {
  it('uses the slug when free', () => {
    expect(deriveKey('Plan', new Set())).toBe('plan');
  });
  it('numbers a clash', () => {
    expect(deriveKey('Plan', new Set(['plan', 'plan-2']))).toBe('plan-3');
  });
  it('falls back to "section" for an empty label', () => {
    expect(deriveKey('', new Set(['section']))).toBe('section-2');
  });
  it('stays within the limit when numbering a long key', () => {
    const long = 'x'.repeat(maxKeyLen);
    const key = deriveKey(long, new Set([long]));
    expect(key).toHaveLength(maxKeyLen);
    expect(key.endsWith('-2')).toBe(true);
  });
});

describe('withKeys', () => {
  it('fills empty keys, keeps set ones, and never duplicates', () => {
    const got = withKeys([sec('Plan', 'plan'), sec('Plan'), sec('Assessment', ' assess '), sec('')]);
    expect(got.map((s) => s.key)).toEqual(['plan', 'plan-2', 'assess', 'section']);
  });
  it('does not change its input', () => {
    const input = [sec('Plan')];
    withKeys(input);
    expect(input[0].key).toBe('');
  });
});

describe('move and removeAt', () => {
  const list = ['a', 'b', 'c'];
  it('moves up and down', () => {
    expect(move(list, 1, -1)).toEqual(['b', 'a', 'c']);
    expect(move(list, 1, 1)).toEqual(['a', 'c', 'b']);
  });
  it('ignores moves past either end', () => {
    expect(move(list, 0, -1)).toEqual(list);
    expect(move(list, 2, 1)).toEqual(list);
  });
  it('removes one item without touching the original', () => {
    expect(removeAt(list, 1)).toEqual(['a', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });
});

describe('copyOf', () => {
  const builtIn: Template = { id: 'builtin-soap', name: 'SOAP', kind: 'nursing', sections: [sec('Plan', 'plan')], builtIn: true };
  it('makes a new editable template with the same sections', () => {
    const c = copyOf(builtIn);
    expect(c).toEqual({ id: '', name: 'Copy of SOAP', kind: 'nursing', sections: [sec('Plan', 'plan')], builtIn: false });
    c.sections[0].label = 'Changed';
    expect(builtIn.sections[0].label).toBe('Plan');
  });
  it('gives every section a starting text to edit, even one saved before templates had it', () => {
    // Binding an input to a missing text made Svelte throw (props_invalid_value).
    const old = { ...builtIn, sections: [{ key: 'plan', label: 'Plan', prompt: '' }] };
    expect(editable(old).sections[0].text).toBe('');
    expect(copyOf(old).sections[0].text).toBe('');
  });
  it('a blank template has one empty section', () => {
    expect(blankTemplate().sections).toEqual([sec('')]);
  });
});

describe('canEditTemplates', () => {
  it('is for the roles that write notes', () => {
    expect(['clinician', 'nurse', 'frontdesk', 'administrator', undefined].map(canEditTemplates)).toEqual([true, true, false, false, false]);
  });
});
