// The "write a merged value" editor's model: which inputs a conflict value
// gets, and the JSON value they make back. Strings get one textarea; objects
// of strings and lists of note sections one textarea per key; any other
// JSON cannot be merged by hand (keep one value or the other).
import { humanize, isSectionList, isStringObject, type Section } from './format';

export interface MergePart {
  key: string;
  label: string;
  text: string;
}

export type MergeModel =
  | { type: 'text'; text: string }
  | { type: 'object'; parts: MergePart[] }
  | { type: 'sections'; parts: MergePart[] }
  | { type: 'none' };

const present = (vs: unknown[]) => vs.filter((v) => v !== null && v !== undefined);

/**
 * The editor for a conflict, prefilled with the shown value. Every key any
 * of the values has gets an input, so nothing offered is out of reach.
 */
export function mergeModel(shown: unknown, others: unknown[]): MergeModel {
  const all = present([shown, ...others]);
  if (all.length === 0 || all.every((v) => typeof v === 'string')) {
    return { type: 'text', text: typeof shown === 'string' ? shown : '' };
  }
  if (all.every(isStringObject)) {
    const base = isStringObject(shown) ? shown : {};
    const keys = unique(all.flatMap((v) => Object.keys(v as Record<string, string>)));
    return { type: 'object', parts: keys.map((k) => ({ key: k, label: humanize(k), text: base[k] ?? '' })) };
  }
  if (all.every(isSectionList)) {
    const base = isSectionList(shown) ? shown : [];
    const sections = unique(all.flatMap((v) => (v as Section[]).map((s) => s.key)));
    const labelOf = (k: string) =>
      (all as Section[][]).flat().find((s) => s.key === k)?.label || humanize(k);
    return {
      type: 'sections',
      parts: sections.map((k) => ({ key: k, label: labelOf(k), text: base.find((s) => s.key === k)?.text ?? '' })),
    };
  }
  return { type: 'none' };
}

/** The JSON value the editor's inputs make. */
export function mergedValue(m: MergeModel): unknown {
  switch (m.type) {
    case 'text':
      return m.text;
    case 'object':
      return Object.fromEntries(m.parts.map((p) => [p.key, p.text]));
    case 'sections':
      return m.parts.map((p): Section => ({ key: p.key, label: p.label, text: p.text }));
    default:
      return undefined;
  }
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}
