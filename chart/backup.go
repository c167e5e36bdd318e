package chart

import (
	"context"
	"path/filepath"
	"strings"
	"time"
)

// BackupSettings are this workstation's backups: where, when and how many
// to keep. They stay on the workstation (the folder is a drive plugged
// into this machine) and never sync.
type BackupSettings struct {
	// Folder is where backups go: a USB drive, an external disk, a shared
	// folder. "" until an administrator chooses one.
	Folder string `json:"folder"`
	// DailyAt is the local time of the daily backup, "HH:MM"; "" for none.
	DailyAt string `json:"dailyAt"`
	// OnQuit backs up when Outpost closes.
	OnQuit bool `json:"onQuit"`
	// Generations kept: the newest backup of each of the last KeepDaily
	// days, KeepWeekly weeks and KeepMonthly months.
	KeepDaily   int `json:"keepDaily"`
	KeepWeekly  int `json:"keepWeekly"`
	KeepMonthly int `json:"keepMonthly"`
	// WarnDays: the status strip warns once the last good backup is older.
	WarnDays int `json:"warnDays"`
}

// DefaultBackupSettings: daily at 18:00 and on quitting, 7 days, 4 weeks,
// 12 months, a warning after 2 days. No folder until one is chosen.
var DefaultBackupSettings = BackupSettings{DailyAt: "18:00", OnQuit: true, KeepDaily: 7, KeepWeekly: 4,
	KeepMonthly: 12, WarnDays: 2}

// Validate trims the folder and checks every field, reporting them all.
func (s *BackupSettings) Validate() error {
	var p Problems
	s.Folder = strings.TrimSpace(s.Folder)
	s.DailyAt = strings.TrimSpace(s.DailyAt)
	if s.Folder != "" && !filepath.IsAbs(s.Folder) {
		p.Add(FieldError("folder", "Give the backup folder's full path, for example /media/usb/outpost-backups."))
	}
	if s.DailyAt != "" {
		if _, err := time.Parse("15:04", s.DailyAt); err != nil {
			p.Add(FieldError("dailyAt", "Give the time of the daily backup as hours and minutes, for example 18:00."))
		}
	}
	for _, r := range []struct {
		field, what string
		v, lo, hi   int
	}{
		{"keepDaily", "Daily backups kept", s.KeepDaily, 1, 366},
		{"keepWeekly", "Weekly backups kept", s.KeepWeekly, 0, 520},
		{"keepMonthly", "Monthly backups kept", s.KeepMonthly, 0, 1200},
		{"warnDays", "The warning", s.WarnDays, 1, 365},
	} {
		if r.v < r.lo || r.v > r.hi {
			p.Add(FieldError(r.field, "%s must be between %d and %d.", r.what, r.lo, r.hi))
		}
	}
	return p.Err()
}

// BackupCounts are what a backup holds, by name (patients, records,
// changes, auditEntries, users, attachments, signedNotes).
type BackupCounts map[string]int64

// BackupInfo is one backup file as a person chooses among them.
type BackupInfo struct {
	Path            string       `json:"path"`
	FileName        string       `json:"fileName"`
	Size            int64        `json:"size"`
	PracticeID      PracticeID   `json:"practiceId"`
	PracticeName    string       `json:"practiceName"`
	WorkstationID   DeviceID     `json:"workstationId"`
	WorkstationName string       `json:"workstationName"`
	CreatedAt       time.Time    `json:"createdAt"`
	Counts          BackupCounts `json:"counts"`
	// Problem says why the file cannot be used ("" when it reads).
	Problem string `json:"problem"`
}

// BackupCheck is what verifying a backup found.
type BackupCheck struct {
	OK bool `json:"ok"`
	// Problem names what is wrong ("" when OK).
	Problem string       `json:"problem"`
	Counts  BackupCounts `json:"counts"`
	// SealsChecked: every record was opened with the practice key (needs
	// someone signed in); RecordsOpened counts them.
	SealsChecked  bool  `json:"sealsChecked"`
	RecordsOpened int64 `json:"recordsOpened"`
	// AuditEntries is the length of the audit chain that verified.
	AuditEntries int64 `json:"auditEntries"`
}

// BackupRun is one backup as the status remembers it.
type BackupRun struct {
	At         time.Time    `json:"at"`
	Path       string       `json:"path"`
	Size       int64        `json:"size"`
	Counts     BackupCounts `json:"counts"`
	Seconds    float64      `json:"seconds"`
	Check      BackupCheck  `json:"check"`
	Error      string       `json:"error"`      // "" for a good backup
	Unattended bool         `json:"unattended"` // by the schedule or on quitting, not "Back up now"
}

// BackupStatus is the status strip's view of this workstation's backups.
type BackupStatus struct {
	Settings BackupSettings `json:"settings"`
	// LastGood is the newest backup written and verified; nil if none.
	LastGood *BackupRun `json:"lastGood"`
	// LastFailed is the newest attempt that failed after LastGood; nil if
	// none.
	LastFailed *BackupRun `json:"lastFailed"`
	// FolderMissing: the folder is chosen but not there (the drive is not
	// plugged in).
	FolderMissing bool `json:"folderMissing"`
	// Overdue: no good backup for Settings.WarnDays days or more.
	Overdue bool `json:"overdue"`
}

// BackupProgress is how far a backup or verification is: Phase is
// copying, checking, sealing, verifying, extracting or opening.
type BackupProgress struct {
	Phase    string  `json:"phase"`
	Fraction float64 `json:"fraction"`
}

// RestorePreview is what a backup holds, shown before restoring it.
type RestorePreview struct {
	Backup BackupInfo  `json:"backup"`
	Check  BackupCheck `json:"check"`
	// Unlocked: a passphrase or the recovery key opened it.
	Unlocked bool `json:"unlocked"`
	// Replaces names the practice this workstation holds now ("" when it
	// holds none): restoring puts that chart aside.
	Replaces string `json:"replaces"`
	// OtherWorkstation: the backup was taken on another workstation than
	// the one this holds (restoring over a different chart).
	OtherWorkstation bool `json:"otherWorkstation"`
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	// Aside is where the replaced chart was kept ("" when there was none).
	Aside string `json:"aside"`
	// CatchUp: the workstation syncs with a practice server and will pull
	// back what it wrote after the backup.
	CatchUp bool `json:"catchUp"`
}

// Restore is a backup being restored: checked and extracted, then unlocked
// with a passphrase or the recovery key, then put in place. Cancel drops
// it without touching the chart.
type Restore interface {
	Preview() RestorePreview
	Unlock(ctx context.Context, username, passphrase string) (RestorePreview, error)
	UnlockWithRecoveryKey(ctx context.Context, recoveryKey, username, newPassphrase string) (RestorePreview, error)
	// Commit replaces this workstation's chart with the backup; a chart
	// already here is replaced only with replace set (and kept aside).
	Commit(ctx context.Context, replace bool) (RestoreResult, error)
	Cancel() error
}
