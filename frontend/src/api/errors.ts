// The one place that turns a rejected backend call into something the UI
// can show. The Go side rejects with an Error whose message is a JSON string
// {"code","message","field","fields"}; Wails may also reject with the bare
// string. "fields" lists every field problem when validation found several.

export type ErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'locked'
  | 'integrity'
  | 'internal';

export interface FieldMessage {
  /** Dotted form field, e.g. "address.city"; "" for the form as a whole. */
  field: string;
  message: string;
}

export interface AppError {
  code: ErrorCode;
  message: string;
  /** Dotted form field the error belongs to, e.g. "address.city". */
  field?: string;
  /** Every field problem, when the backend found several (the first is also field and message). */
  fields?: FieldMessage[];
}

const codes: readonly ErrorCode[] = [
  'invalid',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'locked',
  'integrity',
  'internal',
];

export const genericMessage =
  'Something went wrong inside Outpost. Nothing was changed. Try again, and if it keeps happening, tell your administrator.';

function fromObject(v: unknown): AppError | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.code !== 'string' || !codes.includes(o.code as ErrorCode)) return null;
  if (typeof o.message !== 'string' || o.message.trim() === '') return null;
  const err: AppError = { code: o.code as ErrorCode, message: o.message };
  if (typeof o.field === 'string' && o.field !== '') err.field = o.field;
  const fields = fieldList(o.fields);
  if (fields.length > 0) err.fields = fields;
  return err;
}

/** The well-formed entries of a "fields" list; anything else is dropped. */
function fieldList(v: unknown): FieldMessage[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x): FieldMessage[] => {
    if (typeof x !== 'object' || x === null) return [];
    const { field, message } = x as Record<string, unknown>;
    if (typeof message !== 'string' || message.trim() === '') return [];
    return [{ field: typeof field === 'string' ? field : '', message }];
  });
}

/** Every field problem of err: its list, or its one field and message. */
export function fieldMessages(err: AppError): FieldMessage[] {
  return err.fields?.length ? err.fields : [{ field: err.field ?? '', message: err.message }];
}

function fromString(s: string): AppError | null {
  const t = s.trim();
  if (!t.startsWith('{')) return null;
  try {
    return fromObject(JSON.parse(t));
  } catch {
    return null;
  }
}

/** decodeError never throws; anything it cannot read becomes "internal". */
export function decodeError(reason: unknown): AppError {
  const decoded = tryDecode(reason, 0);
  if (decoded) return decoded;
  if (typeof console !== 'undefined') console.error('undecodable backend error', reason);
  return { code: 'internal', message: genericMessage };
}

/** Follows Error.cause a few levels, in case a wrapper added its own message. */
function tryDecode(reason: unknown, depth: number): AppError | null {
  if (depth > 3 || reason === undefined || reason === null) return null;
  if (typeof reason === 'string') return fromString(reason);
  if (reason instanceof Error) return fromString(reason.message) ?? tryDecode(reason.cause, depth + 1);
  return fromObject(reason);
}

/**
 * How long a backend call may take before the UI gives up waiting. Wails
 * never settles a call whose arguments Go could not parse; without a limit
 * the screen would say "Saving…" forever.
 */
export const callTimeoutMs = 60_000;

export const timeoutError: AppError = {
  code: 'internal',
  message: 'Outpost did not answer in time. Your last action may not have been saved; check before trying again.',
};

/** call runs a backend call and rethrows its failure as an AppError. */
export async function call<T>(fn: () => Promise<T>, timeoutMs = callTimeoutMs): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError), timeoutMs);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (e) {
    throw e === timeoutError ? timeoutError : decodeError(e);
  } finally {
    clearTimeout(timer);
  }
}

export function isAppError(v: unknown): v is AppError {
  return fromObject(v) !== null;
}
