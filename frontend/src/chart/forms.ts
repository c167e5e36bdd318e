// Form plumbing shared by the chart's forms: a backend error lands next to
// its field (or in the form's alert), and nothing is kept on error.
import { decodeError } from '../api/errors';
import { formErrors } from '../lib/fieldErrors';

export interface FormState {
  fields: Record<string, string>;
  form: string;
  busy: boolean;
  /** Whether the last attempt failed (a void call resolves undefined either way). */
  failed: boolean;
}

export const formState = (): FormState => ({ fields: {}, form: '', busy: false, failed: false });

/** Runs fn with the form busy; on failure places the error and returns undefined. */
export async function attempt<T>(st: FormState, known: readonly string[], fn: () => Promise<T>): Promise<T | undefined> {
  st.busy = true;
  st.fields = {};
  st.form = '';
  st.failed = false;
  try {
    return await fn();
  } catch (e) {
    const placed = formErrors(decodeError(e), known);
    st.fields = placed.fields;
    st.form = placed.form ?? '';
    st.failed = true;
    return undefined;
  } finally {
    st.busy = false;
  }
}

/** Local "YYYY-MM-DDTHH:MM" for now (datetime-local inputs and Go's local times). */
export function nowLocal(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export const today = (d = new Date()) => nowLocal(d).slice(0, 10);

/** "23 Nov 2026 09:30" for a local date-time or an RFC 3339 time. */
export function when(s: string | null | undefined): string {
  if (!s) return '';
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(s);
  const d = local ? new Date(+local[1], +local[2] - 1, +local[3], +(local[4] ?? 0), +(local[5] ?? 0)) : new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  const date = `${d.getDate()} ${month} ${d.getFullYear()}`;
  if (local && !local[4]) return date;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
