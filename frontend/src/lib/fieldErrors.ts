import type { AppError } from '../api/errors';

export interface FormErrors {
  /** Message per dotted field path, shown next to that input. */
  fields: Record<string, string>;
  /** What belongs to no input on this form, shown in the form-level alert. */
  form: string | null;
}

export const noErrors = (): FormErrors => ({ fields: {}, form: null });

/**
 * formErrors places a backend error: next to its field when the form has an
 * input for it, otherwise in the form-level alert (so no message is lost).
 */
export function formErrors(err: AppError, knownFields: readonly string[]): FormErrors {
  if (err.field && knownFields.includes(err.field)) {
    return { fields: { [err.field]: err.message }, form: null };
  }
  return { fields: {}, form: err.message };
}

/** A DOM-safe id for a field's input, e.g. "address.city" -> "f-address-city". */
export function fieldId(path: string, prefix = 'f'): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
