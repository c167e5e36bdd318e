package sqlite

// Restoring a backup: the file is checked (checksum, SQLite integrity,
// counts, audit chain) and its database extracted beside the chart; it is
// unlocked there with an administrator's passphrase or the recovery key
// (the backup file itself is never changed); then SQLite's online backup
// API copies it over the live store in one transaction, so a crash
// mid-restore leaves the chart as it was. A chart already here is first
// copied aside as chart.db.replaced-<time>.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"

	"outpost/backup"
	snap "outpost/backup/snapshot"
	"outpost/chart"
)

// metaBackupCatchUp: this workstation was restored from a backup and syncs
// with a practice server; its pulls include its own changes (what it wrote
// after the backup) until a sync has completed.
const metaBackupCatchUp = "backup_restore_catchup"

// stagedPrefix names the extracted database of a restore under way.
const stagedPrefix = ".restore-"

type restore struct {
	live    *Workstation
	path    string // the backup file: read, never changed
	staged  string // its database, extracted beside the chart
	preview chart.RestorePreview
	sw      *Workstation // the staged database, opened to unlock it
	s       *Session     // an administrator signed in on it
}

// OpenRestore checks the backup at path and extracts its database beside
// the chart, ready to be unlocked. A damaged file is refused with a message
// naming it (the caller offers another generation). Nothing of the chart
// changes until Commit.
func (w *Workstation) OpenRestore(ctx context.Context, path string, progress func(chart.BackupProgress)) (chart.Restore, error) {
	m, err := backup.ReadManifest(path)
	if err != nil {
		return nil, backupError(err)
	}
	if m.Kind != backup.KindWorkstation {
		return nil, chart.Errorf(chart.EINVALID, "%s is a backup of the practice server, not of a workstation: restore it with outpost-server restore.", filepath.Base(path))
	}
	removeStaged(filepath.Dir(w.path))
	r := &restore{live: w, path: path,
		staged: filepath.Join(filepath.Dir(w.path), stagedPrefix+time.Now().UTC().Format("20060102T150405.000000000")+".db")}
	if err := r.extract(ctx, progress); err != nil {
		r.removeStaged()
		return nil, err
	}
	var size int64
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	r.preview.Backup = backupInfo(path, size, m, nil)
	if err := r.describeLive(ctx, m); err != nil {
		r.removeStaged()
		return nil, err
	}
	return r, nil
}

// extract writes the backup's database to r.staged and checks it: counts
// against the manifest, integrity, audit chain.
func (r *restore) extract(ctx context.Context, progress func(chart.BackupProgress)) error {
	m, err := backup.Extract(r.path, r.staged, func(done, total int64) {
		report(progress, "extracting", float64(done)/float64(max(total, 1)))
	})
	if err != nil {
		return diskError(backupError(err))
	}
	report(progress, "checking", 0)
	counts, err := snap.Check(ctx, r.staged, backupCounts, m.Counts)
	if err != nil {
		return backupError(err)
	}
	c, err := r.live.checkCopy(ctx, nil, r.staged)
	if err != nil {
		return err
	}
	if !c.OK {
		return chart.Errorf(chart.EINTEGRITY, "The backup %s is damaged: %s. Use another backup.", filepath.Base(r.path), c.Problem)
	}
	c.Counts = chart.BackupCounts(counts)
	r.preview.Check = c
	return nil
}

// describeLive says what restoring would replace.
func (r *restore) describeLive(ctx context.Context, m backup.Manifest) error {
	st, err := r.live.Status(ctx)
	if err != nil {
		return err
	}
	if st.HasPractice {
		r.preview.Replaces = cmp.Or(st.PracticeName, "the practice this workstation joined")
		r.preview.OtherWorkstation = string(st.DeviceID) != m.WorkstationID
	}
	return nil
}

func (r *restore) Preview() chart.RestorePreview { return r.preview }

// Unlock signs an administrator in on the extracted copy with their
// passphrase and opens every record of it with the key.
func (r *restore) Unlock(ctx context.Context, username, passphrase string) (chart.RestorePreview, error) {
	if err := r.openStaged(ctx); err != nil {
		return r.preview, err
	}
	s, err := r.sw.SignIn(ctx, username, passphrase)
	if err != nil {
		return r.preview, err
	}
	return r.unlocked(ctx, sessionOf(s))
}

// UnlockWithRecoveryKey sets a new passphrase for username in the restored
// chart with the practice recovery key (for an administrator who forgot
// theirs), then unlocks with it.
func (r *restore) UnlockWithRecoveryKey(ctx context.Context, recoveryKey, username, newPassphrase string) (chart.RestorePreview, error) {
	if err := r.openStaged(ctx); err != nil {
		return r.preview, err
	}
	if err := r.sw.RecoverPassphrase(ctx, recoveryKey, username, newPassphrase); err != nil {
		return r.preview, err
	}
	return r.Unlock(ctx, username, newPassphrase)
}

func (r *restore) unlocked(ctx context.Context, s *Session) (chart.RestorePreview, error) {
	if s.User().Role != chart.RoleAdministrator {
		s.Lock(ctx) //nolint:errcheck // refused either way
		return r.preview, unauthorized("username", "Only an administrator can restore a backup. Sign in with an administrator's username and passphrase.")
	}
	if r.s != nil && r.s != s {
		r.s.Lock(ctx) //nolint:errcheck // replaced by s
	}
	r.s = s
	c, err := checkChart(ctx, s, r.sw.db)
	if err != nil {
		return r.preview, err
	}
	c.Counts = r.preview.Check.Counts
	r.preview.Check, r.preview.Unlocked = c, true
	return r.preview, nil
}

func (r *restore) openStaged(ctx context.Context) error {
	if r.sw != nil {
		return nil
	}
	sw, err := OpenWorkstation(ctx, r.staged, Options{WorkFactor: r.live.workFactor, Now: r.live.now})
	if err != nil {
		return diskError(err)
	}
	r.sw = sw
	return nil
}

// Commit puts the backup in place of this workstation's chart. A chart
// already here (any practice, made or joined) is replaced only with
// replace set, and kept aside first.
func (r *restore) Commit(ctx context.Context, replace bool) (chart.RestoreResult, error) {
	var res chart.RestoreResult
	if r.s == nil || !r.preview.Unlocked {
		return res, chart.Errorf(chart.ELOCKED, "Unlock the backup with an administrator's passphrase or the recovery key first.")
	}
	if !r.preview.Check.OK {
		return res, chart.Errorf(chart.EINTEGRITY, "This backup did not verify (%s): it cannot be restored. Use another backup.", r.preview.Check.Problem)
	}
	if r.live.signedIn() {
		return res, errSignedIn()
	}
	if r.preview.Replaces != "" && !replace {
		return res, chart.Errorf(chart.ECONFLICT, "This workstation holds the chart of %s. Restoring replaces it with the backup "+
			"(the current chart is kept aside as a file). Confirm to go on.", r.preview.Replaces)
	}
	var err error
	if res.CatchUp, err = r.markRestored(ctx); err != nil {
		return res, err
	}
	r.s.Lock(ctx) //nolint:errcheck // audited when it works; the copy is closed next either way
	r.s = nil
	if err := r.sw.Close(); err != nil {
		return res, fmt.Errorf("restore: close the backup's copy: %w", err)
	}
	r.sw = nil
	if res.Aside, err = r.live.replaceWith(ctx, r.staged); err != nil {
		return res, err
	}
	r.removeStaged()
	return res, nil
}

// markRestored audits the restore in the restored chart and, when it syncs
// with a practice server, asks its next pulls to bring back what this
// workstation wrote after the backup.
func (r *restore) markRestored(ctx context.Context) (catchUp bool, err error) {
	_, catchUp, err = r.sw.SyncIdentity(ctx)
	if err != nil {
		return false, err
	}
	// The backup restored from is this chart's last good backup.
	b := r.preview.Backup
	last, err := json.Marshal(chart.BackupRun{At: b.CreatedAt, Path: r.path, Size: b.Size, Counts: b.Counts, Check: r.preview.Check})
	if err != nil {
		return false, err
	}
	s := r.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	err = r.sw.write(ctx, func(t *tx) error {
		if err := setMeta(ctx, t, metaBackupLastGood, last); err != nil {
			return err
		}
		if err := deleteMeta(ctx, t, metaBackupLastFailed); err != nil {
			return err
		}
		if catchUp {
			if err := setMeta(ctx, t, metaBackupCatchUp, []byte("1")); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPracticeSetting, Detail: fmt.Sprintf(
			"restored this workstation's chart from the backup %s taken %s", filepath.Base(r.path),
			r.preview.Backup.CreatedAt.UTC().Format(time.RFC3339))})
	})
	if err != nil {
		return false, wrapInternal("restore", err)
	}
	return catchUp, nil
}

// Cancel drops the restore; the chart was never touched.
func (r *restore) Cancel() error {
	if r.s != nil {
		r.s.Lock(context.Background()) //nolint:errcheck // the copy is deleted next
		r.s = nil
	}
	if r.sw != nil {
		r.sw.Close()
		r.sw = nil
	}
	r.removeStaged()
	return nil
}

func (r *restore) removeStaged() {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(r.staged + suffix)
	}
}

// removeStaged deletes what an interrupted restore left beside the chart.
func removeStaged(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagedPrefix) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func (w *Workstation) signedIn() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.sessions) > 0
}

func errSignedIn() error {
	return chart.Errorf(chart.ECONFLICT, "Someone is signed in on this workstation: lock it, then restore.")
}

// restorer is the part of modernc's driver connection a restore uses.
type restorer interface {
	NewRestore(srcURI string) (*sqlite.Backup, error)
}

// replaceWith copies the database at staged over this store, keeping the
// current chart aside first when it holds a practice. Nobody may be signed
// in. The copy is one transaction of the live database: until it commits,
// every reader sees the old chart, and a crash leaves it.
func (w *Workstation) replaceWith(ctx context.Context, staged string) (aside string, err error) {
	if w.signedIn() {
		return "", errSignedIn()
	}
	st, err := w.Status(ctx)
	if err != nil {
		return "", err
	}
	if st.HasPractice {
		aside = w.path + ".replaced-" + w.now().UTC().Format("20060102T150405Z")
		if _, err := snap.Copy(ctx, w.db, aside, nil, nil); err != nil {
			return "", diskError(fmt.Errorf("restore: keep the current chart aside: %w", err))
		}
	}
	if err := w.restoreFrom(ctx, staged); err != nil {
		return aside, diskError(err)
	}
	return aside, w.reopen(ctx)
}

// restoreFrom copies staged over the live database in one step, waiting
// out a brief write by the sync runner.
func (w *Workstation) restoreFrom(ctx context.Context, staged string) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		rs, ok := dc.(restorer)
		if !ok {
			return errors.New("the SQLite driver offers no online restore")
		}
		b, err := rs.NewRestore(staged)
		if err != nil {
			return err
		}
		for {
			more, err := b.Step(-1)
			if err == nil && !more {
				return b.Finish()
			}
			if err != nil && !busy(err) || ctx.Err() != nil {
				b.Finish()
				return errors.Join(err, ctx.Err())
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	if err != nil {
		return fmt.Errorf("restore: copy the backup into the chart: %w", err)
	}
	// The whole chart went through the WAL: fold it into the file now.
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		slog.Warn("checkpoint after restore", "err", err)
	}
	return nil
}

func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code()&0xff == 5 || se.Code()&0xff == 6) // SQLITE_BUSY, SQLITE_LOCKED
}

// reopen brings the store's memory up to date with the restored file: its
// schema, its clock (never backwards), the practice settings.
func (w *Workstation) reopen(ctx context.Context) error {
	if err := migrate(ctx, w.db, w.now()); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	last, err := loadHLC(ctx, w.db)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := w.clock.Observe(last); err != nil {
		slog.Warn("restored clock not observed", "err", err)
	}
	w.live.Store(nil)
	return nil
}

// RestoreCatchUp says whether this workstation, restored from a backup,
// still has to pull back what it wrote after that backup.
func (w *Workstation) RestoreCatchUp(ctx context.Context) (bool, error) {
	m, err := readMeta(ctx, w.db, metaBackupCatchUp)
	if err != nil {
		return false, fmt.Errorf("read restore catch-up: %w", err)
	}
	_, ok := m[metaBackupCatchUp]
	return ok, nil
}

// EndRestoreCatchUp records that a sync has pulled everything back.
func (w *Workstation) EndRestoreCatchUp(ctx context.Context) error {
	return w.write(ctx, func(t *tx) error { return deleteMeta(ctx, t, metaBackupCatchUp) })
}
