package sqlite

// Backups of this workstation's chart (issue #15): a consistent snapshot of
// the store — sealed records, so a backup reveals no health data without
// the key — written to the backup folder by package backup/snapshot,
// checked, and kept as generations. Settings and the last results are
// device-local meta: they describe a drive plugged into this machine and
// never sync.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"outpost/backup"
	snap "outpost/backup/snapshot"
	"outpost/chart"
)

// Keys of meta for backups.
const (
	metaBackupSettings   = "backup_settings"
	metaBackupLastGood   = "backup_last_good"
	metaBackupLastFailed = "backup_last_failed"
)

// backupCounts are what a backup records and a restore checks.
var backupCounts = snap.Counts{
	"patients":     `SELECT count(*) FROM records WHERE kind = 'patient'`,
	"records":      `SELECT count(*) FROM records`,
	"signedNotes":  `SELECT count(*) FROM records WHERE kind = 'note' AND locked = 1`,
	"attachments":  `SELECT count(*) FROM attachment_data`,
	"changes":      `SELECT count(*) FROM changes`,
	"auditEntries": `SELECT count(*) FROM audit_log`,
	"users":        `SELECT count(*) FROM users`,
}

// BackupSettings returns this workstation's backup settings (the defaults
// until an administrator saves some).
func (w *Workstation) BackupSettings(ctx context.Context) (chart.BackupSettings, error) {
	st := chart.DefaultBackupSettings
	if _, err := readMetaJSON(ctx, w, metaBackupSettings, &st); err != nil {
		return st, fmt.Errorf("read backup settings: %w", err)
	}
	return st, nil
}

// SetBackupSettings saves this workstation's backup settings
// (administrators; audited).
func (s *Session) SetBackupSettings(ctx context.Context, st chart.BackupSettings) (chart.BackupSettings, error) {
	if err := st.Validate(); err != nil {
		return st, err
	}
	return st, s.saveLocalSetting(ctx, metaBackupSettings, st, fmt.Sprintf(
		"changed this workstation's backups: folder %q, daily at %q, on quitting %t, keep %d daily, %d weekly, %d monthly, warn after %d days",
		st.Folder, st.DailyAt, st.OnQuit, st.KeepDaily, st.KeepWeekly, st.KeepMonthly, st.WarnDays))
}

// saveLocalSetting stores one of this workstation's own settings (kept in
// meta, never synced: each workstation has its own drives and folders),
// for administrators, audited with detail.
func (s *Session) saveLocalSetting(ctx context.Context, key string, v any, detail string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActManagePractice); err != nil {
		return err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("save %s: %w", key, err)
	}
	err = s.w.write(ctx, func(t *tx) error {
		if err := setMeta(ctx, t, key, body); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPracticeSetting, Detail: detail})
	})
	if err != nil {
		return wrapInternal("save "+key, err)
	}
	return nil
}

// BackupStatus is what the status strip shows: the last good backup, a
// failure since, a missing folder, and whether backups are overdue.
func (w *Workstation) BackupStatus(ctx context.Context) (chart.BackupStatus, error) {
	var st chart.BackupStatus
	var err error
	if st.Settings, err = w.BackupSettings(ctx); err != nil {
		return st, err
	}
	var good, failed chart.BackupRun
	if ok, err := readMetaJSON(ctx, w, metaBackupLastGood, &good); err != nil {
		return st, fmt.Errorf("read backup status: %w", err)
	} else if ok {
		st.LastGood = &good
	}
	if ok, err := readMetaJSON(ctx, w, metaBackupLastFailed, &failed); err != nil {
		return st, fmt.Errorf("read backup status: %w", err)
	} else if ok && (st.LastGood == nil || failed.At.After(good.At)) {
		st.LastFailed = &failed
	}
	st.FolderMissing = st.Settings.Folder != "" && backup.FolderError(st.Settings.Folder) != nil
	limit := time.Duration(st.Settings.WarnDays) * 24 * time.Hour
	st.Overdue = st.LastGood == nil || w.now().Sub(st.LastGood.At) >= limit
	return st, nil
}

// BackUp writes a backup of the chart to the settings' folder now, checks
// it and prunes older generations. s, when someone is signed in, opens
// every record of the copy with the practice key; without it (a backup
// while locked, or on quitting) the seals are checked later by
// VerifyBackup. unattended marks a scheduled or on-quit run. Progress may
// be nil. The chart is only read: charting goes on meanwhile.
func (w *Workstation) BackUp(ctx context.Context, s chart.Session, unattended bool,
	progress func(chart.BackupProgress)) (chart.BackupRun, error) {
	return w.backUp(ctx, s, unattended, "", progress)
}

// BackUpTo is an unattended backup into folder, whatever the settings say
// (outpostctl backup -out).
func (w *Workstation) BackUpTo(ctx context.Context, folder string, progress func(chart.BackupProgress)) (chart.BackupRun, error) {
	return w.backUp(ctx, nil, true, folder, progress)
}

func (w *Workstation) backUp(ctx context.Context, s chart.Session, unattended bool, folder string,
	progress func(chart.BackupProgress)) (chart.BackupRun, error) {
	by := sessionOf(s)
	if !unattended {
		if err := by.may(chart.ActManagePractice); err != nil {
			return chart.BackupRun{}, err
		}
	}
	st, err := w.BackupSettings(ctx)
	if err != nil {
		return chart.BackupRun{}, err
	}
	src, err := w.backupSource(ctx)
	if err != nil {
		return chart.BackupRun{}, err
	}
	if folder != "" {
		st.Folder = folder
	}
	start := w.now()
	run := chart.BackupRun{At: start, Unattended: unattended}
	j := snap.Job{DB: w.db, Dir: st.Folder, Source: src, Counts: backupCounts, Kind: backup.KindWorkstation,
		Keep: backup.Policy{Daily: st.KeepDaily, Weekly: st.KeepWeekly, Monthly: st.KeepMonthly}, Now: start,
		Progress: func(p snap.Progress) { report(progress, p.Phase, p.Fraction) }}
	j.Check = func(ctx context.Context, path string) error {
		var cerr error
		run.Check, cerr = w.checkCopy(ctx, by, path)
		if cerr == nil && !run.Check.OK {
			cerr = &backup.Error{Kind: backup.Damaged, Message: "The new backup did not verify: " + run.Check.Problem}
		}
		return cerr
	}
	res, err := snap.Take(ctx, j)
	run.Seconds = time.Since(start).Seconds()
	if err != nil && res.Path == "" {
		run.Error = chart.ErrorMessage(backupError(err))
		w.recordBackupRun(ctx, metaBackupLastFailed, run)
		return run, backupError(err)
	}
	run.Path, run.Size, run.Counts = res.Path, res.Size, chart.BackupCounts(res.Manifest.Counts)
	run.Check.Counts = run.Counts
	w.recordBackupRun(ctx, metaBackupLastGood, run)
	if !unattended {
		by.auditBackup(ctx, run)
	}
	return run, backupError(err) // a pruning failure, after a good backup
}

// may checks that s is signed in with a role that may act; a nil session
// is locked.
func (s *Session) may(act chart.Action) error {
	if s == nil {
		return errLocked()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.check(act)
}

// auditBackup records "Back up now" in the audit log (after the copy: the
// backup holds the log up to the moment it was taken).
func (s *Session) auditBackup(ctx context.Context, run chart.BackupRun) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.key == nil {
		return
	}
	err := s.w.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditExport, Detail: fmt.Sprintf(
			"backed up the chart to %s (%d records, verified)", run.Path, run.Counts["records"])})
	})
	if err != nil {
		slog.Warn("could not audit the backup", "err", err)
	}
}

// ListBackups lists the backups in dir, newest first, whatever practice
// or workstation they are of (the first-run screen restores from them).
func (w *Workstation) ListBackups(ctx context.Context, dir string) ([]chart.BackupInfo, error) {
	return ListBackupFolder(dir)
}

// ListBackupFolder is ListBackups without a store (outpostctl list).
func ListBackupFolder(dir string) ([]chart.BackupInfo, error) {
	files, err := backup.List(dir)
	if err != nil {
		return nil, backupError(err)
	}
	out := make([]chart.BackupInfo, 0, len(files))
	for _, f := range files {
		out = append(out, backupInfo(f.Path, f.Size, f.Manifest, f.Err))
	}
	return out, nil
}

func backupInfo(path string, size int64, m backup.Manifest, err error) chart.BackupInfo {
	info := chart.BackupInfo{Path: path, FileName: filepath.Base(path), Size: size,
		PracticeID: chart.PracticeID(m.PracticeID), PracticeName: m.PracticeName,
		WorkstationID: chart.DeviceID(m.WorkstationID), WorkstationName: m.WorkstationName,
		CreatedAt: m.CreatedAt, Counts: chart.BackupCounts(m.Counts)}
	if err != nil {
		info.Problem = chart.ErrorMessage(backupError(err))
	} else if m.Kind != backup.KindWorkstation {
		info.Problem = "This is a backup of the practice server, not of a workstation: restore it with outpost-server restore."
	}
	return info
}

// backupSource names this workstation's backups.
func (w *Workstation) backupSource(ctx context.Context) (backup.Source, error) {
	m, err := readMeta(ctx, w.db, metaPracticeID, metaPracticeName, metaDeviceID, metaDeviceName)
	if err != nil {
		return backup.Source{}, fmt.Errorf("back up: %w", err)
	}
	if m[metaPracticeID] == "" || m[metaDeviceID] == "" {
		return backup.Source{}, chart.Errorf(chart.ENOTFOUND, "There is no practice on this workstation yet: nothing to back up.")
	}
	return backup.Source{PracticeID: m[metaPracticeID], PracticeName: m[metaPracticeName],
		WorkstationID: m[metaDeviceID], WorkstationName: m[metaDeviceName]}, nil
}

// recordBackupRun remembers a run for the status. A failure to write it
// (this workstation's own disk full) is only logged: the backup stands.
func (w *Workstation) recordBackupRun(ctx context.Context, key string, run chart.BackupRun) {
	body, err := json.Marshal(run)
	if err == nil {
		err = w.write(context.WithoutCancel(ctx), func(t *tx) error {
			if key == metaBackupLastGood {
				if err := deleteMeta(ctx, t, metaBackupLastFailed); err != nil {
					return err
				}
			}
			return setMeta(ctx, t, key, body)
		})
	}
	if err != nil {
		slog.Warn("could not record the backup run", "err", err)
	}
}

// backupError turns the engine's errors into the chart's: the message
// says what to do; the cause stays for the log.
func backupError(err error) error {
	var be *backup.Error
	if !errors.As(err, &be) {
		return err
	}
	code := chart.EINVALID
	if be.Kind == backup.Damaged || be.Kind == backup.Mismatch {
		code = chart.EINTEGRITY
	}
	return errors.Join(chart.Errorf(code, "%s", be.Message), err)
}

func report(progress func(chart.BackupProgress), phase string, f float64) {
	if progress != nil {
		progress(chart.BackupProgress{Phase: phase, Fraction: f})
	}
}

// sessionOf is s as this store's session, or nil (locked, or none).
func sessionOf(s chart.Session) *Session {
	ss, _ := s.(*Session)
	return ss
}

// readMetaJSON decodes the JSON meta value key into v; ok is false when
// there is none.
func readMetaJSON(ctx context.Context, w *Workstation, key string, v any) (ok bool, err error) {
	m, err := readMeta(ctx, w.db, key)
	if err != nil {
		return false, err
	}
	raw, ok := m[key]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}
