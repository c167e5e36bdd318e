package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/seal"
)

// wantIndexFromRecords builds the sign-in index as a sign-in does and
// checks it holds exactly what opening every record gives; it returns how
// many records the build opened.
func wantIndexFromRecords(t *testing.T, w *Workstation, key *seal.Keyring) indexBuild {
	t.Helper()
	ctx := context.Background()
	got, err := w.buildIndex(ctx, key)
	if err != nil {
		t.Fatalf("buildIndex: %v", err)
	}
	want, wantUnreadable, err := loadPatients(ctx, w.db, key)
	if err != nil {
		t.Fatalf("loadPatients: %v", err)
	}
	byID := func(a, b chart.Patient) int { return strings.Compare(string(a.ID), string(b.ID)) }
	gotPatients := patientsOf(got.entries)
	slices.SortFunc(gotPatients, byID)
	slices.SortFunc(want, byID)
	if !reflect.DeepEqual(gotPatients, want) {
		t.Fatalf("index from the snapshot differs from the records:\n got %d %+v\nwant %d %+v",
			len(gotPatients), gotPatients, len(want), want)
	}
	if !reflect.DeepEqual(got.unreadable, wantUnreadable) {
		t.Fatalf("unreadable = %v, want %v", got.unreadable, wantUnreadable)
	}
	return got
}

// signInAndSnapshot signs ada in and waits for the snapshot the sign-in
// writes in the background.
func signInAndSnapshot(t *testing.T, f *fixture) *Session {
	t.Helper()
	s := f.signIn(t, "ada", adminPass)
	f.w.background.Wait()
	return s
}

func registerMany(t *testing.T, s *Session, n int) []chart.Patient {
	t.Helper()
	out := make([]chart.Patient, n)
	for i := range out {
		out[i] = register(t, s, samplePatient(fmt.Sprintf("Given%d", i), fmt.Sprintf("Family%d", i)))
	}
	return out
}

func editPatient(t *testing.T, s *Session, id chart.PatientID, edit func(p *chart.Patient)) {
	t.Helper()
	p, err := s.OpenPatient(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	edit(&p)
	if _, err := s.UpdatePatient(context.Background(), p); err != nil {
		t.Fatalf("UpdatePatient: %v", err)
	}
}

func TestIndexSnapshotFreshStoreThenCurrent(t *testing.T) {
	f := newFixture(t)
	registerMany(t, f.admin, 12)
	if n := countRows(t, f.w, "index_snapshot"); n != 0 {
		t.Fatalf("a fresh store holds %d snapshot chunks", n)
	}
	if b := wantIndexFromRecords(t, f.w, f.admin.key); b.opened != 12 || !b.stale {
		t.Fatalf("with no snapshot: opened %d (stale %v), want all 12 and a snapshot to write", b.opened, b.stale)
	}
	s := signInAndSnapshot(t, f)
	if n := countRows(t, f.w, "index_snapshot"); n != 1 {
		t.Fatalf("after a sign-in the store holds %d snapshot chunks, want 1", n)
	}
	if b := wantIndexFromRecords(t, f.w, s.key); b.opened != 0 || b.stale {
		t.Fatalf("with a current snapshot: opened %d (stale %v), want none", b.opened, b.stale)
	}
	// Health data: sealed like a record, never plaintext.
	var blob []byte
	if err := f.w.db.QueryRow(`SELECT sealed FROM index_snapshot`).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"Family3", "Given3", "1961-04-12", "555 0100"} {
		if bytes.Contains(blob, []byte(word)) {
			t.Fatalf("the snapshot holds %q in plaintext", word)
		}
	}
}

func TestIndexSnapshotStaleAfterEdits(t *testing.T) {
	f := newFixture(t)
	ps := registerMany(t, f.admin, 20)
	s := signInAndSnapshot(t, f)
	ctx := context.Background()
	editPatient(t, s, ps[0].ID, func(p *chart.Patient) { p.Phone = "+1 555 0199 999" })
	editPatient(t, s, ps[1].ID, func(p *chart.Patient) { p.FamilyName = "Renamed" })
	editPatient(t, s, ps[2].ID, func(p *chart.Patient) { p.Deceased, p.DeceasedDate = true, "2026-01-02" })
	editPatient(t, s, ps[3].ID, func(p *chart.Patient) { p.Inactive = true })
	if _, err := s.MergePatients(ctx, ps[4].ID, ps[5].ID); err != nil {
		t.Fatalf("MergePatients: %v", err)
	}
	registerMany(t, s, 2)
	// Purged (the patient left this workstation's route): the record goes.
	if _, err := f.w.db.Exec(`DELETE FROM records WHERE id = ?`, ps[6].ID); err != nil {
		t.Fatal(err)
	}
	b := wantIndexFromRecords(t, f.w, s.key)
	// 4 edits, the merged record (the survivor's record is unchanged), 2 new.
	if b.opened != 7 || !b.stale || len(b.entries) != 21 {
		t.Fatalf("opened %d (stale %v), %d entries; want 7 opened, stale, 21 entries", b.opened, b.stale, len(b.entries))
	}
	// The next sign-in rewrites it; the one after opens nothing.
	s = signInAndSnapshot(t, f)
	if b := wantIndexFromRecords(t, f.w, s.key); b.opened != 0 || b.stale {
		t.Fatalf("after the rewrite: opened %d (stale %v), want none", b.opened, b.stale)
	}
	// Only a purge since: still stale (the entry is to go), nothing opened.
	if _, err := f.w.db.Exec(`DELETE FROM records WHERE id = ?`, ps[7].ID); err != nil {
		t.Fatal(err)
	}
	if b := wantIndexFromRecords(t, f.w, s.key); b.opened != 0 || !b.stale || len(b.entries) != 20 {
		t.Fatalf("after a purge: opened %d (stale %v), %d entries; want none opened, stale, 20", b.opened, b.stale, len(b.entries))
	}
}

func TestIndexSnapshotDamagedIsIgnored(t *testing.T) {
	for name, damage := range map[string]string{
		"flipped byte":  `UPDATE index_snapshot SET sealed = substr(sealed, 1, 40) || iif(substr(sealed, 41, 1) = x'00', x'01', x'00') || substr(sealed, 42)`,
		"truncated":     `UPDATE index_snapshot SET sealed = substr(sealed, 1, length(sealed) - 5)`,
		"chunk missing": `UPDATE index_snapshot SET chunk = 7`,
		"not a blob":    `UPDATE index_snapshot SET sealed = x'00'`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			registerMany(t, f.admin, 5)
			s := signInAndSnapshot(t, f)
			if _, err := f.w.db.Exec(damage); err != nil {
				t.Fatal(err)
			}
			if b := wantIndexFromRecords(t, f.w, s.key); b.opened != 5 || !b.stale {
				t.Fatalf("damaged: opened %d (stale %v), want all 5 and a rewrite", b.opened, b.stale)
			}
			s = signInAndSnapshot(t, f)
			if b := wantIndexFromRecords(t, f.w, s.key); b.opened != 0 {
				t.Fatalf("after the rewrite: opened %d, want none", b.opened)
			}
		})
	}
}

// A chunk of a layout this build does not know (a later version wrote it)
// authenticates but is ignored.
func TestIndexSnapshotUnknownFormatIsIgnored(t *testing.T) {
	f := newFixture(t)
	registerMany(t, f.admin, 3)
	s := signInAndSnapshot(t, f)
	built, err := f.w.buildIndex(context.Background(), s.key)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := encodeSnapshotChunk(built.entries)
	if err != nil {
		t.Fatal(err)
	}
	pt[len(snapshotMagic)-2] = '9' // "v9"
	if err := f.w.writeIndexSnapshot(context.Background(), [][]byte{s.key.Seal(pt, snapshotAD(0))}); err != nil {
		t.Fatal(err)
	}
	if b := wantIndexFromRecords(t, f.w, s.key); b.opened != 3 || !b.stale {
		t.Fatalf("unknown format: opened %d (stale %v), want all 3", b.opened, b.stale)
	}
}

// A snapshot sealed under an epoch this keyring does not hold is ignored;
// one under an older epoch than the current is used, and rewritten.
func TestIndexSnapshotKeyNotHeld(t *testing.T) {
	f := newFixture(t)
	registerMany(t, f.admin, 4)
	s := signInAndSnapshot(t, f)
	ctx := context.Background()
	built, err := f.w.buildIndex(ctx, s.key)
	if err != nil {
		t.Fatal(err)
	}
	rotated := seal.NewKeyring(s.key.Root())
	k, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	epoch, err := seal.NewEpochID()
	if err != nil {
		t.Fatal(err)
	}
	rotated.Add(epoch, k)
	if err := rotated.SetCurrent(epoch); err != nil {
		t.Fatal(err)
	}
	sealed, err := sealIndexSnapshot(rotated, built.entries)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.w.writeIndexSnapshot(ctx, sealed); err != nil {
		t.Fatal(err)
	}
	if b := wantIndexFromRecords(t, f.w, s.key); b.opened != 4 || !b.stale {
		t.Fatalf("epoch not held: opened %d (stale %v), want all 4", b.opened, b.stale)
	}
	// The rotated ring holds the root epoch too: the root-sealed snapshot
	// rewritten by a sign-in opens under it, and is stale (older epoch).
	s = signInAndSnapshot(t, f)
	if b := wantIndexFromRecords(t, f.w, rotated); b.opened != 0 || !b.stale {
		t.Fatalf("older epoch: opened %d (stale %v), want none opened and a rewrite", b.opened, b.stale)
	}
}

func TestIndexSnapshotPatientsArrivingBySync(t *testing.T) {
	_, a, b := twoStations(t)
	ps := registerMany(t, a.admin, 3)
	a.sync(t)
	b.sync(t)
	bs := signInAndSnapshot(t, b.fixture)
	if got := wantIndexFromRecords(t, b.w, bs.key); got.opened != 0 || len(got.entries) != 3 {
		t.Fatalf("b: opened %d of %d entries, want a current snapshot of 3", got.opened, len(got.entries))
	}
	registerMany(t, a.admin, 2)
	editPatient(t, a.admin, ps[0].ID, func(p *chart.Patient) { p.Phone = "+1 555 0177 777" })
	a.sync(t)
	b.sync(t)
	if got := wantIndexFromRecords(t, b.w, bs.key); got.opened != 3 || len(got.entries) != 5 {
		t.Fatalf("after sync: opened %d of %d entries, want 3 of 5", got.opened, len(got.entries))
	}
	// The snapshot is local: nothing of it travels.
	for _, c := range changeLog(t, b.w, kindPatient) {
		if strings.Contains(c.Kind, "snapshot") {
			t.Fatalf("a change of kind %s left", c.Kind)
		}
	}
}

// Random edits between sign-ins: the index built from the snapshot is the
// index built from the records, every time.
func TestIndexSnapshotEqualsRecordsOverRandomEdits(t *testing.T) {
	f := newFixture(t)
	ps := registerMany(t, f.admin, 30)
	s := f.admin
	r := rand.New(rand.NewPCG(14, 14))
	live := slices.Clone(ps)
	for round := range 8 {
		for range 1 + r.IntN(6) {
			i := r.IntN(len(live))
			switch op := r.IntN(5); op {
			case 0:
				editPatient(t, s, live[i].ID, func(p *chart.Patient) { p.GivenName = fmt.Sprintf("R%dE%d", round, i) })
			case 1:
				editPatient(t, s, live[i].ID, func(p *chart.Patient) { p.Inactive = !p.Inactive })
			case 2:
				live = append(live, register(t, s, samplePatient("New", fmt.Sprintf("Round%d", round))))
			case 3:
				if _, err := f.w.db.Exec(`DELETE FROM records WHERE id = ?`, live[i].ID); err != nil {
					t.Fatal(err)
				}
				live = slices.Delete(live, i, i+1)
			case 4:
				editPatient(t, s, live[i].ID, func(p *chart.Patient) {
					p.Identifiers = append(p.Identifiers, chart.Identifier{System: "urn:test", Value: fmt.Sprint(round)})
				})
			}
		}
		wantIndexFromRecords(t, f.w, s.key)
		if r.IntN(2) == 0 {
			s = signInAndSnapshot(t, f)
		}
	}
}

// A backup copies the snapshot with the records it was taken from; a
// restore brings both back, and the records written after the backup
// (and the snapshot entries for them) are gone together.
func TestIndexSnapshotAfterRestore(t *testing.T) {
	c := newBackedUpClinic(t)
	first := c.signIn(t, "ada", adminPass)
	c.w.background.Wait()
	run := c.backUp(t, c.admin)
	editPatient(t, c.desk, c.patient.ID, func(p *chart.Patient) { p.Phone = "+1 555 0166 666" })
	register(t, c.desk, samplePatient("Written", "Afterbackup"))
	second := c.signIn(t, "ada", adminPass)
	c.w.background.Wait()
	for _, s := range []*Session{c.admin, c.doc, c.nurse, c.desk, first, second} {
		must(0, s.Lock(ctxb))(t)
	}
	r := must(c.w.OpenRestore(ctxb, run.Path, nil))(t)
	must(r.Unlock(ctxb, "ada", adminPass))(t)
	must(r.Commit(ctxb, true))(t)
	desk := c.signIn(t, "desk", deskPass)
	c.w.background.Wait()
	b := wantIndexFromRecords(t, c.w, desk.key)
	if b.opened != 0 {
		t.Errorf("the restored snapshot was not used: %d records opened", b.opened)
	}
	for _, e := range b.entries {
		if e.patient.ID == c.patient.ID && e.patient.Phone == "+1 555 0166 666" {
			t.Fatal("the restored index shows the phone edited after the backup")
		}
	}
	if got := must(desk.SearchPatients(ctxb, "Afterbackup", 10))(t); len(got) != 0 {
		t.Fatalf("the restored index finds a patient registered after the backup: %v", got)
	}
}

// A patient record damaged on disk after the snapshot was taken (same
// version, same change, other bytes) is opened and reported unreadable, as
// at a sign-in without a snapshot, never shown from the snapshot.
func TestIndexSnapshotRecordDamagedSinceIsOpened(t *testing.T) {
	f := newFixture(t)
	patients := registerMany(t, f.admin, 5)
	s := signInAndSnapshot(t, f)
	if _, err := f.w.db.Exec(`UPDATE records SET sealed = substr(sealed, 1, 30) || iif(substr(sealed, 31, 1) = x'00', x'01', x'00') || substr(sealed, 32)
		WHERE id = ?`, string(patients[2].ID)); err != nil {
		t.Fatal(err)
	}
	b := wantIndexFromRecords(t, f.w, s.key)
	if _, bad := b.unreadable[patients[2].ID]; len(b.unreadable) != 1 || !bad {
		t.Fatalf("unreadable %v; want the damaged record opened and reported", b.unreadable)
	}
}
