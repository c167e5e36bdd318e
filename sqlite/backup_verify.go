package sqlite

// Verifying a backup: the file's checksum and SQLite's integrity check
// (package backup/snapshot), the audit chain (which needs no key), and,
// with someone signed in, every current record and attachment opened with
// the practice key — through the same openers the store reads with.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"outpost/backup"
	snap "outpost/backup/snapshot"
	"outpost/chart"
	"outpost/seal"
)

// verifyBatch is how many records are opened per hold of the session's
// read lock, so that a lock (idle or by hand) waits for one batch at most.
const verifyBatch = 500

// VerifyBackupCopy checks the database copy at path (a backup's SQLite
// image, never changed) with this session's key: every current record and
// attachment must open, and the copy's audit chain must verify. It needs
// no role: it shows nothing, and proves a backup can be restored.
func (s *Session) VerifyBackupCopy(ctx context.Context, path string) (chart.BackupCheck, error) {
	db, err := snap.OpenReadOnly(path)
	if err != nil {
		return chart.BackupCheck{}, err
	}
	defer db.Close()
	return checkChart(ctx, s, db)
}

// checkCopy verifies the copy at path: its audit chain, and with s its
// records. The copy's integrity and counts were checked already.
func (w *Workstation) checkCopy(ctx context.Context, s *Session, path string) (chart.BackupCheck, error) {
	if s == nil {
		db, err := snap.OpenReadOnly(path)
		if err != nil {
			return chart.BackupCheck{}, err
		}
		defer db.Close()
		return checkChart(ctx, nil, db)
	}
	return s.VerifyBackupCopy(ctx, path)
}

// checkChart walks the audit chain of db and, with s, opens its records.
// A session that locks meanwhile leaves the seals unchecked, not failed.
func checkChart(ctx context.Context, s *Session, db *sql.DB) (chart.BackupCheck, error) {
	var c chart.BackupCheck
	v, err := verifyAudit(ctx, db, s.auditRoot())
	if err != nil {
		return c, err
	}
	c.AuditEntries = v.Entries
	if !v.OK {
		c.Problem = "its audit log does not verify: " + v.Problem
		return c, nil
	}
	if s != nil {
		if err := s.openAll(ctx, db, &c); err != nil && chart.ErrorCode(err) != chart.ELOCKED {
			return c, err
		}
	}
	c.OK = c.Problem == ""
	return c, nil
}

// openAll opens every current record and attachment of db, batch by batch,
// and sets c.SealsChecked once all opened; the first that does not open is
// c.Problem.
func (s *Session) openAll(ctx context.Context, db *sql.DB, c *chart.BackupCheck) error {
	if err := s.samePractice(ctx, db); err != nil {
		c.Problem = chart.ErrorMessage(err)
		return nil
	}
	for _, q := range []struct {
		query string
		open  func(r recordRow) error
	}{
		{`SELECT id, kind, patient_id, version, head_change_id, sealed FROM records WHERE id > ? ORDER BY id LIMIT ?`, s.openCopiedRecord},
		{`SELECT id, 'attachment', '', version, '', sealed FROM attachment_data WHERE id > ? ORDER BY id LIMIT ?`, s.openCopiedAttachment},
	} {
		if err := s.openRows(ctx, db, q.query, q.open, c); err != nil || c.Problem != "" {
			return err
		}
	}
	c.SealsChecked = true
	return nil
}

func (s *Session) openRows(ctx context.Context, db *sql.DB, query string, open func(recordRow) error, c *chart.BackupCheck) error {
	after := ""
	for {
		batch, err := readRecordRows(ctx, db, query, after)
		if err != nil || len(batch) == 0 {
			return err
		}
		after = batch[len(batch)-1].id
		if err := s.openBatch(batch, open, c); err != nil || c.Problem != "" {
			return err
		}
	}
}

// openBatch opens rows under the session's read lock.
func (s *Session) openBatch(rows []recordRow, open func(recordRow) error, c *chart.BackupCheck) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return err
	}
	for _, r := range rows {
		if err := open(r); err != nil {
			c.Problem = fmt.Sprintf("its %s %s does not open with the practice key", nounFor(r.kind), r.id)
			return nil
		}
		c.RecordsOpened++
	}
	return nil
}

// openCopiedRecord opens one current record as the store reads its kind.
// Kinds this version does not read (none written today) are skipped.
func (s *Session) openCopiedRecord(r recordRow) error {
	if r.kind == kindPatient {
		_, err := openPatient(s.key, r.id, r.version, r.head, r.sealed)
		return err
	}
	m, ok := kindMergers[r.kind]
	if !ok {
		return nil
	}
	_, err := m.open(s.key, storedVersion{kind: r.kind, id: r.id, patientID: r.patientID, version: r.version,
		cid: r.head, sealed: r.sealed})
	return err
}

func (s *Session) openCopiedAttachment(r recordRow) error {
	pt, err := s.key.Open(r.sealed, attachmentAD(r.id, r.version))
	clear(pt)
	if err != nil {
		return recordIntegrityError(chart.KindAttachment, r.id)
	}
	return nil
}

func readRecordRows(ctx context.Context, db *sql.DB, query, after string) ([]recordRow, error) {
	rows, err := db.QueryContext(ctx, query, after, verifyBatch)
	if err != nil {
		return nil, fmt.Errorf("read the copy's records: %w", err)
	}
	defer rows.Close()
	var out []recordRow
	for rows.Next() {
		var r recordRow
		if err := rows.Scan(&r.id, &r.kind, &r.patientID, &r.version, &r.head, &r.sealed); err != nil {
			return nil, fmt.Errorf("read the copy's records: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// samePractice refuses a copy of another practice: the key would open
// nothing, and saying so is clearer than naming the first record.
func (s *Session) samePractice(ctx context.Context, db *sql.DB) error {
	m, err := readMeta(ctx, db, metaPracticeID, metaPracticeName)
	if err != nil {
		return fmt.Errorf("read the copy's practice: %w", err)
	}
	if m[metaPracticeID] != string(s.Practice().ID) {
		return chart.Errorf(chart.EINVALID, "it is a backup of another practice (%s), which this practice's key does not open", m[metaPracticeName])
	}
	return nil
}

// VerifyBackup checks the backup file at path: its checksum, integrity and
// counts, its audit chain and, with s signed in, every record's seal. A
// damaged file is a check with a Problem (not an error). A verified file
// that is the last good backup has its status brought up to date (a backup
// taken while locked gets its seals checked at the next sign-in).
func (w *Workstation) VerifyBackup(ctx context.Context, s chart.Session, path string,
	progress func(chart.BackupProgress)) (chart.BackupCheck, error) {
	c, err := VerifyBackupFile(ctx, path, filepath.Dir(w.path), sessionOf(s), progress)
	if err == nil && c.OK {
		w.markVerified(ctx, path, c)
	}
	return c, err
}

// VerifyBackupFile checks the backup file at path as VerifyBackup does,
// extracting its database into a temporary folder under scratch (a local
// disk: the chart's folder). s may be nil: the seals are then not checked.
func VerifyBackupFile(ctx context.Context, path, scratch string, s *Session,
	progress func(chart.BackupProgress)) (chart.BackupCheck, error) {
	tmp, err := os.MkdirTemp(scratch, ".verify-")
	if err != nil {
		return chart.BackupCheck{}, diskError(fmt.Errorf("verify backup: %w", err))
	}
	defer os.RemoveAll(tmp)
	copyPath := filepath.Join(tmp, "chart.db")
	m, err := backup.Extract(path, copyPath, func(done, total int64) {
		report(progress, "extracting", float64(done)/float64(max(total, 1)))
	})
	if k := backup.KindOf(err); k == backup.Damaged || k == backup.NotBackup {
		return chart.BackupCheck{Problem: chart.ErrorMessage(backupError(err))}, nil
	}
	if err != nil {
		return chart.BackupCheck{}, diskError(backupError(err))
	}
	report(progress, "checking", 0)
	counts, err := snap.Check(ctx, copyPath, backupCounts, m.Counts)
	if err != nil {
		var be *backup.Error
		if errors.As(err, &be) {
			return chart.BackupCheck{Counts: chart.BackupCounts(counts), Problem: be.Message}, nil
		}
		return chart.BackupCheck{}, err
	}
	db, err := snap.OpenReadOnly(copyPath)
	if err != nil {
		return chart.BackupCheck{}, err
	}
	defer db.Close()
	c, err := checkChart(ctx, s, db)
	c.Counts = chart.BackupCounts(counts)
	return c, err
}

// markVerified updates the last good backup's check when path is it.
func (w *Workstation) markVerified(ctx context.Context, path string, c chart.BackupCheck) {
	var good chart.BackupRun
	if ok, err := readMetaJSON(ctx, w, metaBackupLastGood, &good); err != nil || !ok || good.Path != path {
		return
	}
	if good.Check.SealsChecked && !c.SealsChecked {
		return
	}
	good.Check = c
	w.recordBackupRun(ctx, metaBackupLastGood, good)
}

// auditRoot is the key the audit chain's MACs derive from, or nil without
// a session (or once it locked): the chain is then walked by its hashes
// alone.
func (s *Session) auditRoot() *seal.Key {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.key == nil {
		return nil
	}
	return s.key.Root()
}
