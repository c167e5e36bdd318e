// Pure helpers behind the template editor: section keys, reordering and
// the copy a user starts from. Kept out of the component so they are tested.
import type { NoteKind, Template } from '../api/chart';

export type TemplateSection = Template['sections'][number];

/** The backend's limit on a section key (chart.MaxCodeLen). */
export const maxKeyLen = 64;

/** "History of present illness" -> "history-of-present-illness". */
export function slugify(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxKeyLen)
    .replace(/-+$/, '');
}

/** A key for label that no other section uses: "plan", "plan-2", ... */
export function deriveKey(label: string, taken: ReadonlySet<string>): string {
  const base = slugify(label) || 'section';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const key = base.slice(0, maxKeyLen - suffix.length) + suffix;
    if (!taken.has(key)) return key;
  }
}

/**
 * Fills in every empty key from its label, leaving keys the user (or the
 * original template) set alone, so notes written from it keep matching.
 */
export function withKeys(sections: readonly TemplateSection[]): TemplateSection[] {
  const taken = new Set(sections.map((s) => s.key.trim()).filter(Boolean));
  return sections.map((s) => {
    const key = s.key.trim();
    if (key) return { ...s, key };
    const derived = deriveKey(s.label, taken);
    taken.add(derived);
    return { ...s, key: derived };
  });
}

/** A copy of list with item i moved by delta (-1 up, +1 down); out of range is a no-op. */
export function move<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  const out = [...list];
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return out;
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, k) => k !== i);
}

export const blankSection = (): TemplateSection => ({ key: '', label: '', prompt: '', text: '' });

/** A section copy whose every field is a string, as the editor's inputs need. */
const sectionCopy = (s: TemplateSection): TemplateSection => ({ ...s, text: s.text ?? '' });

export function blankTemplate(kind: NoteKind = 'clinical'): Template {
  return { id: '', name: '', kind, sections: [blankSection()], builtIn: false };
}

/** A new, editable template starting from t (a built-in or the practice's own). */
export function copyOf(t: Template): Template {
  return {
    id: '',
    name: `Copy of ${t.name}`.slice(0, 200),
    kind: t.kind,
    sections: t.sections.map(sectionCopy),
    builtIn: false,
  };
}

/** A deep copy for editing, so cancelling leaves the list untouched. */
export function editable(t: Template): Template {
  return { ...t, sections: t.sections.map(sectionCopy) };
}

/** Who writes notes, and so who may see and edit templates (chart.ActWriteClinical). */
export function canEditTemplates(role: string | undefined): boolean {
  return role === 'clinician' || role === 'nurse';
}
