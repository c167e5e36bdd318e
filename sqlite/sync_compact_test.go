package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
)

// headCopies counts the records whose current row and head change both
// hold the same bytes: the second copy migration 0017 does away with.
func headCopies(t *testing.T, w *Workstation) int {
	t.Helper()
	n, err := countHeadCopies(w)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func countHeadCopies(w *Workstation) (n int, err error) {
	err = w.db.QueryRow(`SELECT count(*) FROM records r JOIN changes c ON c.change_id = r.head_change_id
		WHERE length(c.sealed) > 0 AND c.sealed = r.sealed`).Scan(&n)
	return n, err
}

// wantEveryChangeOpens: every version of every record s's workstation
// holds opens under s's key, its bytes read through changeSealed.
func wantEveryChangeOpens(t *testing.T, s *Session) {
	t.Helper()
	if err := openEveryVersion(s); err != nil {
		t.Fatal(err)
	}
}

func openEveryVersion(s *Session) error {
	rows, err := s.w.db.Query(`SELECT kind, record_id, version, change_id, ` + changeSealed("changes") + `
		FROM changes WHERE record_id IN (SELECT id FROM records)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var kind, id string
		var version int64
		var cid chart.ChangeID
		var sealed []byte
		if err := rows.Scan(&kind, &id, &version, &cid, &sealed); err != nil {
			return err
		}
		if _, err := s.key.Open(sealed, recordAD(kind, id, version, cid)); err != nil {
			return fmt.Errorf("%s %s version %d (change %s) does not open: %w", kind, id, version, cid, err)
		}
		n++
	}
	if err := rows.Err(); err != nil || n == 0 {
		return fmt.Errorf("read %d versions: %v", n, err)
	}
	return nil
}

// TestChangeLogStoresCurrentVersionOnce: a record's current version is
// stored once (in its row), its earlier versions keep their own bytes
// (put back as each newer version replaced the row), and every version
// still opens and shows in the history.
func TestChangeLogStoresCurrentVersionOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.admin
	p := register(t, s, samplePatient("Wilhelmina", "Zabriskie"))
	phones := []string{"+1 555 0100 001", "+1 555 0100 002"}
	for _, ph := range phones {
		editPhone(t, s, p.ID, ph)
	}
	register(t, s, samplePatient("Quennell", "Okonkwo"))
	if n := headCopies(t, f.w); n != 0 {
		t.Fatalf("%d records hold their current version twice (row and change log), want 0", n)
	}
	var blank, kept int
	err := f.w.db.QueryRow(`SELECT count(*) FILTER (WHERE length(sealed) = 0), count(*) FILTER (WHERE length(sealed) > 0)
		FROM changes WHERE record_id = ?`, string(p.ID)).Scan(&blank, &kept)
	if err != nil || blank != 1 || kept != 2 {
		t.Fatalf("patient's change log: %d empty, %d with bytes (%v); want 1 (the current version) and 2", blank, kept, err)
	}
	wantEveryChangeOpens(t, s)
	hist, err := s.PatientHistory(ctx, p.ID)
	if err != nil || len(hist) != 3 {
		t.Fatalf("history: %d versions, %v; want 3", len(hist), err)
	}
	seen := map[string]bool{}
	for _, v := range hist {
		seen[v.Patient.Phone] = true
	}
	if !seen[phones[0]] || !seen[phones[1]] || !seen[p.Phone] {
		t.Fatalf("history shows phones %v, want %q, %q and %q", seen, p.Phone, phones[0], phones[1])
	}
}

// TestChangeLogContentStillCannotBeRewritten: the bytes of a change may
// only move to the record row holding the same bytes and back; anything
// else is refused as before.
func TestChangeLogContentStillCannotBeRewritten(t *testing.T) {
	f := newFixture(t)
	p := register(t, f.admin, samplePatient("Wilhelmina", "Zabriskie"))
	editPhone(t, f.admin, p.ID, "+1 555 0100 001")
	var head, older string
	if err := f.w.db.QueryRow(`SELECT head_change_id FROM records WHERE id = ?`, string(p.ID)).Scan(&head); err != nil {
		t.Fatal(err)
	}
	if err := f.w.db.QueryRow(`SELECT change_id FROM changes WHERE record_id = ? AND change_id != ?`,
		string(p.ID), head).Scan(&older); err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]string{
		"empty an older version":     `UPDATE changes SET sealed = x'' WHERE change_id = '` + older + `'`,
		"rewrite an older version":   `UPDATE changes SET sealed = x'00' WHERE change_id = '` + older + `'`,
		"fill the head with other":   `UPDATE changes SET sealed = x'00' WHERE change_id = '` + head + `'`,
		"fill the head with the old": `UPDATE changes SET sealed = (SELECT sealed FROM changes WHERE change_id = '` + older + `') WHERE change_id = '` + head + `'`,
	} {
		_, err := f.w.db.Exec(q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", name, err)
		}
	}
	wantEveryChangeOpens(t, f.admin)
}

// TestUnpushedChangesKeepTheirBytes: changes stored once still travel
// whole: the outbox sends every version with its bytes and a tag that
// verifies, and the other workstation opens the latest.
func TestUnpushedChangesKeepTheirBytes(t *testing.T) {
	ctx := context.Background()
	_, a, b := twoStations(t)
	p := register(t, a.admin, samplePatient("Wilhelmina", "Zabriskie"))
	editPhone(t, a.admin, p.ID, "+1 555 0100 001")
	if n := headCopies(t, a.w); n != 0 {
		t.Fatalf("A holds %d current versions twice", n)
	}
	out, err := a.admin.Outbox(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	versions := 0
	for i, c := range out {
		if len(c.Sealed) == 0 {
			t.Fatalf("outbox change %s (%s) has no bytes", c.ChangeID, c.Kind)
		}
		if err := checkChangeTag(a.admin.key, &out[i]); err != nil {
			t.Fatalf("outbox change %s (%s): tag: %v", c.ChangeID, c.Kind, err)
		}
		if c.RecordID == string(p.ID) {
			versions++
		}
	}
	if versions != 2 {
		t.Fatalf("outbox holds %d versions of the patient, want 2", versions)
	}
	a.sync(t)
	b.sync(t)
	got, err := b.admin.OpenPatient(ctx, p.ID)
	if err != nil || got.Phone != "+1 555 0100 001" {
		t.Fatalf("B opens %q, %v; want the edited phone", got.Phone, err)
	}
	if n := headCopies(t, b.w); n != 0 {
		t.Fatalf("B holds %d current versions twice after its pull", n)
	}
	wantEveryChangeOpens(t, b.admin)
}

// TestConcurrentEditAfterStoringOnceConflicts: both workstations hold the
// record's current version once; a concurrent edit of it on each still
// merges into a kept conflict on both, with both values in the history.
func TestConcurrentEditAfterStoringOnceConflicts(t *testing.T) {
	ctx := context.Background()
	_, a, b := twoStations(t)
	p := register(t, a.admin, samplePatient("Wilhelmina", "Zabriskie"))
	a.sync(t)
	b.sync(t)
	var blank int
	if err := b.w.db.QueryRow(`SELECT count(*) FROM changes WHERE record_id = ? AND length(sealed) = 0`,
		string(p.ID)).Scan(&blank); err != nil || blank != 1 {
		t.Fatalf("B stores the pulled version %d times in the change log only (%v), want it once, in the row", blank, err)
	}
	editPhone(t, a.admin, p.ID, "+1 555 0111 111")
	editPhone(t, b.admin, p.ID, "+1 555 0222 222")
	a.sync(t)
	rb := b.sync(t)
	ra := a.sync(t)
	if rb.Conflicts != 1 || ra.Conflicts != 1 {
		t.Fatalf("conflicts reported B %d A %d, want 1 each (the phone)", rb.Conflicts, ra.Conflicts)
	}
	for who, s := range map[string]*Session{"A": a.admin, "B": b.admin} {
		if n := countRows(t, s.w, "record_conflicts"); n != 1 {
			t.Fatalf("%s keeps %d conflicted records, want 1", who, n)
		}
		hist, err := s.PatientHistory(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, v := range hist {
			seen[v.Patient.Phone] = true
		}
		if !seen["+1 555 0111 111"] || !seen["+1 555 0222 222"] {
			t.Fatalf("%s history shows %v, want both edits", who, seen)
		}
		wantEveryChangeOpens(t, s)
	}
}

// checkStoredOnce: after the convergence run's rounds, every device holds
// each record's current version once, and every version of every record
// it holds still opens (its bytes are in the change log or in the row).
// The one exception: its own audit batches the server acknowledged keep
// no bytes (0019_audit_batch_bodies.sql), and none may keep them.
func (c *convergeRun) checkStoredOnce() {
	for i, d := range c.devices {
		twice, err := countHeadCopies(d.w)
		var missing, keptBatches int
		if err == nil {
			err = d.w.db.QueryRow(`SELECT
				count(*) FILTER (WHERE NOT ownAcked AND coalesce(length(sealed), 0) = 0),
				count(*) FILTER (WHERE ownAcked AND coalesce(length(sealed), 0) > 0)
				FROM (SELECT `+changeSealed("changes")+` AS sealed,
					kind = ? AND device_id = ? AND acked_at IS NOT NULL AS ownAcked FROM changes)`,
				kindAuditBatch, string(d.admin.deviceID)).Scan(&missing, &keptBatches)
		}
		if err != nil {
			c.fatalf("dev%d: %v", i, err)
		}
		if twice != 0 || missing != 0 || keptBatches != 0 {
			c.fatalf("dev%d holds %d current versions twice, %d changes without their bytes and %d acknowledged own audit batches with theirs",
				i, twice, missing, keptBatches)
		}
		if err := openEveryVersion(d.admin); err != nil {
			c.fatalf("dev%d: %v", i, err)
		}
	}
}
