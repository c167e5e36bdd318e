import { fieldMessages, type AppError } from '../api/errors';

export interface FormErrors {
  /** Message per dotted field path, shown next to that input, in screen order. */
  fields: Record<string, string>;
  /** What belongs to no input on this form, shown in the form-level alert. */
  form: string | null;
}

export const noErrors = (): FormErrors => ({ fields: {}, form: null });

/**
 * formErrors places every problem of a backend error: next to its field when
 * the form has an input for it, otherwise in the form-level alert (so no
 * message is lost). knownFields is the form's fields in the order they
 * appear on screen; fields keeps that order, so the first key is the first
 * field to fix and a summary lists them as the eye meets them.
 */
export function formErrors(err: AppError, knownFields: readonly string[]): FormErrors {
  const byField = new Map<string, string>();
  const loose: string[] = [];
  for (const { field, message } of fieldMessages(err)) {
    if (field && knownFields.includes(field)) {
      if (!byField.has(field)) byField.set(field, message);
    } else if (!loose.includes(message)) {
      loose.push(message);
    }
  }
  const fields: Record<string, string> = {};
  for (const f of knownFields) {
    const m = byField.get(f);
    if (m !== undefined) fields[f] = m;
  }
  return { fields, form: loose.length ? loose.join(' ') : null };
}

/** The errors of fields as a list in knownFields' (screen) order, for a summary. */
export function errorList(fields: Record<string, string>, knownFields: readonly string[]): { field: string; message: string }[] {
  return knownFields.filter((f) => fields[f]).map((f) => ({ field: f, message: fields[f] }));
}

/** A DOM-safe id for a field's input, e.g. "address.city" -> "f-address-city". */
export function fieldId(path: string, prefix = 'f'): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Moves focus to the first field with an error, once the form has re-rendered. */
export function focusFirstError(fields: Record<string, string>, prefix = 'f'): void {
  const first = Object.keys(fields)[0];
  if (first === undefined || typeof document === 'undefined') return;
  queueMicrotask(() => document.getElementById(fieldId(first, prefix))?.focus());
}
