// This workstation's backups: typed wrappers over the generated bindings of
// app.Backups and the backup:status event.
import * as B from '../../wailsjs/go/app/Backups';
import type { chart } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type { BackupCheck, BackupInfo, BackupSettings, BackupStatus, RestorePreview, RestoreResult } from './backupTypes';
import { call } from './errors';

// Checking a backup reads the whole file from a USB drive and opens every
// record; a restore writes the whole chart. Neither should give up at the
// default 60 s on a large practice's slow stick.
const longCallMs = 30 * 60_000;

const as = <T>(p: Promise<unknown>) => p as Promise<T>;

export const status = () => call(() => as<BackupStatus>(B.Status()));
export const settings = () => call(() => as<BackupSettings>(B.Settings()));
export const saveSettings = (s: BackupSettings) =>
  call(() => as<BackupSettings>(B.SaveSettings(s as unknown as chart.BackupSettings)));
export const backUpNow = () => call(() => B.BackUpNow());
export const list = (folder: string) => call(() => as<BackupInfo[] | null>(B.List(folder.trim()))).then((r) => r ?? []);
export const verify = (path: string) => call(() => as<BackupCheck>(B.Verify(path)), longCallMs);
export const chooseFolder = () => call(() => B.ChooseFolder(), longCallMs);
export const chooseFile = () => call(() => B.ChooseFile(), longCallMs);

export const openRestore = (path: string) => call(() => as<RestorePreview>(B.OpenRestore(path.trim())), longCallMs);
export const unlockRestore = (username: string, passphrase: string) =>
  call(() => as<RestorePreview>(B.UnlockRestore(username, passphrase)), longCallMs);
export const unlockRestoreWithRecoveryKey = (recoveryKey: string, username: string, newPassphrase: string) =>
  call(() => as<RestorePreview>(B.UnlockRestoreWithRecoveryKey(recoveryKey.trim(), username, newPassphrase)), longCallMs);
export const restore = (replace: boolean) => call(() => as<RestoreResult>(B.Restore(replace)), longCallMs);
export const cancelRestore = () => call(() => B.CancelRestore());

/** Calls fn with every status the backend announces; returns the unsubscribe. */
export function onStatus(fn: (s: BackupStatus) => void): () => void {
  return EventsOn('backup:status', (data: unknown) => {
    if (typeof data === 'object' && data !== null && 'status' in data) fn(data as BackupStatus);
  });
}
