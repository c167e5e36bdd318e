// Autosave for drafts. Typing never waits on a save: edits are kept here,
// saved in the background after a pause (debounce) or at once on flush
// (blur, sign), one save at a time so an older save can never land after a
// newer one, and each save is based on the version the previous one returned.
import type { AppError } from '../api/errors';

export type AutosaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error' | 'stopped';

export interface AutosaveStatus {
  state: AutosaveState;
  /** When the last save succeeded. */
  savedAt: Date | null;
  error: AppError | null;
}

export interface Versioned {
  id: string;
  version: number;
}

export interface AutosaveOptions<T extends Versioned> {
  save: (doc: T) => Promise<T>;
  /** Quiet time after the last edit before saving. */
  delayMs?: number;
  /** Wait before retrying a save that failed for a passing reason. */
  retryMs?: number;
  now?: () => Date;
  onStatus?: (s: AutosaveStatus) => void;
  /** Every successful save, with the record as the store returned it. */
  onSaved?: (doc: T) => void;
}

/** Errors that another attempt will not fix: stop, or wait for the next edit. */
const fatal = new Set(['conflict', 'forbidden', 'locked', 'unauthorized', 'not_found', 'integrity']);

export class Autosaver<T extends Versioned> {
  private base: T;
  private pending: T | null = null;
  private wanted = false;
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private status: AutosaveStatus = { state: 'idle', savedAt: null, error: null };
  private readonly delayMs: number;
  private readonly retryMs: number;

  constructor(
    saved: T,
    private readonly opts: AutosaveOptions<T>,
  ) {
    this.base = saved;
    this.delayMs = opts.delayMs ?? 3000;
    this.retryMs = opts.retryMs ?? 5000;
  }

  /** The record as last saved (its id and version are what the next save is based on). */
  get saved(): T {
    return this.base;
  }

  get current(): AutosaveStatus {
    return this.status;
  }

  /** True while something typed is not yet stored. */
  get dirty(): boolean {
    return this.pending !== null || this.status.state === 'saving';
  }

  /** Records the latest content and (re)starts the debounce. */
  edit(doc: T): void {
    if (this.status.state === 'stopped') return;
    this.pending = doc;
    this.setStatus({ state: this.running ? 'saving' : 'pending', error: null });
    this.schedule(this.delayMs);
  }

  /** Saves now (after any save in flight); resolves when nothing is pending or a save failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    if (this.status.state === 'stopped') return Promise.resolve();
    this.wanted = true;
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops all timers; nothing more is saved. */
  dispose(): void {
    clearTimeout(this.timer);
    this.setStatus({ state: 'stopped', error: null });
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  private async run(): Promise<void> {
    while (this.wanted && this.pending && this.status.state !== 'stopped') {
      this.wanted = false;
      const doc = { ...this.pending, id: this.base.id, version: this.base.version };
      this.pending = null;
      this.setStatus({ state: 'saving', error: null });
      try {
        const saved = await this.opts.save(doc);
        this.base = saved;
        this.opts.onSaved?.(saved);
        this.setStatus({ state: this.pending ? 'pending' : 'saved', savedAt: this.now(), error: null });
      } catch (e) {
        // Keep what was typed: newer edits if any, else what failed to save.
        this.pending ??= doc;
        this.fail(e as AppError);
        return;
      }
    }
  }

  private fail(err: AppError): void {
    if (this.status.state === 'stopped') return;
    if (err.code === 'conflict') {
      // Someone signed it (or saved over it): editing this draft is over.
      this.setStatus({ state: 'stopped', error: err });
      return;
    }
    this.setStatus({ state: 'error', error: err });
    // A passing failure (timeout, internal) is retried; the rest wait for the next edit.
    if (!fatal.has(err.code) && err.code !== 'invalid') this.schedule(this.retryMs);
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  private setStatus(s: Partial<AutosaveStatus>): void {
    this.status = { ...this.status, ...s };
    this.opts.onStatus?.(this.status);
  }
}

/** "Saved 10:42", "Saving…", "Not saved: …" for the status line. */
export function autosaveLabel(s: AutosaveStatus): string {
  const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  switch (s.state) {
    case 'saving':
      return 'Saving…';
    case 'pending':
      return s.savedAt ? `Saved ${hhmm(s.savedAt)} · editing…` : 'Not saved yet';
    case 'saved':
      return s.savedAt ? `Saved ${hhmm(s.savedAt)}` : 'Saved';
    case 'error':
      return `Not saved: ${s.error?.message ?? 'unknown error'}`;
    case 'stopped':
      return s.error ? `Not saved: ${s.error.message}` : 'Closed';
    default:
      return '';
  }
}

/**
 * Why a draft cannot be signed now, or '' when its latest text is stored.
 * A save the store refused (an over-long section, say) will not succeed by
 * waiting, so its message is what the person needs to read.
 */
export function unsignableReason(s: AutosaveStatus, dirty: boolean): string {
  if ((s.state === 'error' || s.state === 'stopped') && s.error) {
    const fix = s.error.code === 'invalid' ? ' Correct it, then sign.' : '';
    return `The note was not signed: ${s.error.message}${fix}`;
  }
  if (dirty || s.state === 'error' || s.state === 'stopped') {
    return 'The latest text is not saved yet, so the note was not signed. Try again in a moment.';
  }
  return '';
}
