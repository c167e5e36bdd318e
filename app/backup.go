package app

import (
	"context"

	"outpost/chart"
)

// Backups is bound to the frontend: the backup status in the strip,
// Admin → Backups (folder, schedule, generations, Back up now, verify) and
// "Restore from a backup" on the first-run screen. Backups run in the
// background (backup_run.go); a restore is a short dialogue of calls
// (backup_restore.go).
type Backups struct {
	a *App
	backupRun
	restoring
}

// BackupStore is the workstation's backups; the SQLite workstation
// implements it (asserted in main.go's wiring through App.ws).
type BackupStore interface {
	BackupSettings(ctx context.Context) (chart.BackupSettings, error)
	BackupStatus(ctx context.Context) (chart.BackupStatus, error)
	BackUp(ctx context.Context, s chart.Session, unattended bool, progress func(chart.BackupProgress)) (chart.BackupRun, error)
	ListBackups(ctx context.Context, dir string) ([]chart.BackupInfo, error)
	VerifyBackup(ctx context.Context, s chart.Session, path string, progress func(chart.BackupProgress)) (chart.BackupCheck, error)
	OpenRestore(ctx context.Context, path string, progress func(chart.BackupProgress)) (chart.Restore, error)
}

// backupSettingsSetter is the session's side: only an administrator may
// change where and when this workstation backs up.
type backupSettingsSetter interface {
	SetBackupSettings(ctx context.Context, st chart.BackupSettings) (chart.BackupSettings, error)
}

// EventBackupStatus carries a BackupStatus whenever a backup starts,
// moves on (at most about ten times a second) or ends, and when the
// settings change.
const EventBackupStatus = "backup:status"

// BackupStatus is what the status strip and Admin → Backups show.
type BackupStatus struct {
	Status chart.BackupStatus `json:"status"`
	// Running: a backup or a verification is under way; Phase and
	// Fraction say how far.
	Running  bool    `json:"running"`
	Phase    string  `json:"phase"`
	Fraction float64 `json:"fraction"`
	// Available is false on a store without backups (never in the app).
	Available bool `json:"available"`
}

func (b *Backups) store() (BackupStore, error) {
	st, ok := b.a.ws.(BackupStore)
	if !ok {
		return nil, chart.Errorf(chart.EINTERNAL, "This workstation cannot make backups.")
	}
	return st, nil
}

// Status is the backup status; it needs no sign-in (the strip shows it
// while locked too).
func (b *Backups) Status() (BackupStatus, error) {
	return ready(b.a, func(ctx context.Context) (BackupStatus, error) { return b.snapshot(ctx), nil })
}

// Settings returns this workstation's backup settings.
func (b *Backups) Settings() (chart.BackupSettings, error) {
	return call(b.a, func(ctx context.Context, _ chart.Session) (chart.BackupSettings, error) { return b.settings(ctx) })
}

// SaveSettings saves this workstation's backup settings (administrators).
func (b *Backups) SaveSettings(st chart.BackupSettings) (chart.BackupSettings, error) {
	return callAs(b.a, "change backup settings", func(ctx context.Context, s backupSettingsSetter) (chart.BackupSettings, error) {
		return b.saved(s.SetBackupSettings(ctx, st))
	})
}

// BackUpNow starts a backup in the background (administrators) and
// returns; EventBackupStatus reports its progress and outcome.
func (b *Backups) BackUpNow() error {
	return errOnly(call(b.a, func(ctx context.Context, s chart.Session) (done, error) { return noResult(b.start(s)) }))
}

// List lists the backups in folder, newest first, whatever practice they
// are of; it needs no sign-in (the first-run screen restores from them).
func (b *Backups) List(folder string) ([]chart.BackupInfo, error) {
	return list(ready(b.a, func(ctx context.Context) ([]chart.BackupInfo, error) { return b.list(ctx, folder) }))
}

func (b *Backups) list(ctx context.Context, folder string) ([]chart.BackupInfo, error) {
	st, err := b.store()
	if err != nil {
		return nil, err
	}
	return st.ListBackups(ctx, folder)
}

// Verify checks a backup file with the signed-in session's key.
func (b *Backups) Verify(path string) (chart.BackupCheck, error) {
	return call(b.a, func(ctx context.Context, s chart.Session) (chart.BackupCheck, error) { return b.verify(ctx, s, path) })
}

// ChooseFolder asks for a folder with the system's dialog ("" when
// cancelled).
func (b *Backups) ChooseFolder() (string, error) {
	return ready(b.a, func(ctx context.Context) (string, error) {
		return b.a.dialogs().ChooseFolder(ctx, "Choose the backup folder")
	})
}

// ChooseFile asks for a backup file with the system's dialog ("" when
// cancelled).
func (b *Backups) ChooseFile() (string, error) {
	return ready(b.a, func(ctx context.Context) (string, error) {
		return b.a.dialogs().ChooseFile(ctx, "Choose a backup to restore", "Outpost backups (*.outpost-backup)", "*.outpost-backup")
	})
}
