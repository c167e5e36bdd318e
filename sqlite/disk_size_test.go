package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

// indexShape is what decides whether an index can be replaced by another:
// its table, its columns in order, and whether it is unique or partial
// (those two do more than speed up a lookup, so they are never redundant).
type indexShape struct {
	name, table     string
	columns         []string
	unique, partial bool
}

func storeIndexes(t *testing.T, db *sql.DB) []indexShape {
	t.Helper()
	rows, err := db.Query(`SELECT t.name, il.name, il."unique", il.partial
		FROM sqlite_schema t, pragma_index_list(t.name) il WHERE t.type = 'table' ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	var out []indexShape
	for rows.Next() {
		var ix indexShape
		if err := rows.Scan(&ix.table, &ix.name, &ix.unique, &ix.partial); err != nil {
			t.Fatal(err)
		}
		out = append(out, ix)
	}
	rows.Close()
	for i := range out {
		cols, err := db.Query(`SELECT coalesce(name, '<expr>') FROM pragma_index_info(?) ORDER BY seqno`, out[i].name)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var c string
			cols.Scan(&c)
			out[i].columns = append(out[i].columns, c)
		}
		cols.Close()
	}
	return out
}

// TestNoIndexIsAPrefixOfAnother: an index whose columns lead another index
// of the same table serves no lookup the wider one does not, and costs disk
// and a write on every insert (issue #12: three such indexes on records
// were 7% of a workstation's file after its initial push).
func TestNoIndexIsAPrefixOfAnother(t *testing.T) {
	f := newFixture(t)
	all := storeIndexes(t, f.w.db)
	if len(all) < 10 {
		t.Fatalf("found %d indexes; the listing is broken", len(all))
	}
	for _, narrow := range all {
		if narrow.unique || narrow.partial {
			continue
		}
		for _, wide := range all {
			if wide.name == narrow.name || wide.table != narrow.table || wide.partial ||
				len(wide.columns) < len(narrow.columns) || !slices.Equal(wide.columns[:len(narrow.columns)], narrow.columns) {
				continue
			}
			t.Errorf("index %s %v on %s is a prefix of %s %v: drop it in a migration",
				narrow.name, narrow.columns, narrow.table, wide.name, wide.columns)
		}
	}
}

// TestRecordQueriesStillUseAnIndex: the lookups the dropped indexes served
// (records by kind, by patient, by patient and kind in id order) still go
// through an index, without a full scan of records or a sort.
func TestRecordQueriesStillUseAnIndex(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{
		`SELECT id, version, head_change_id, sealed FROM records WHERE kind = 'patient'`,
		`SELECT ` + clinicalColumns + ` FROM records WHERE kind = 'template' ORDER BY id`,
		`SELECT id FROM records WHERE kind = 'patient' ORDER BY id`,
		`SELECT count(*) FROM records WHERE kind = 'note' AND locked = 1`,
		`SELECT count(*) FROM records WHERE patient_id = 'p'`,
		`DELETE FROM records WHERE patient_id = 'p'`,
		`SELECT ` + clinicalColumns + ` FROM records WHERE patient_id = 'p' AND kind = 'vitals' ORDER BY id DESC`,
		`SELECT ` + clinicalColumns + ` FROM records WHERE patient_id IN ('p', 'q') AND kind = 'encounter' ORDER BY id`,
		`SELECT id, patient_id, version, head_change_id, sealed_summary FROM records WHERE patient_id = 'p' AND kind = 'note' ORDER BY id`,
		`SELECT count(*) FROM records WHERE patient_id = 'p' AND kind IN ('note', 'encounter')`,
		`SELECT id, head_change_id FROM records WHERE kind = 'task' AND patient_id = ''`,
	} {
		plan := queryPlan(t, f.w.db, q)
		if !strings.Contains(plan, "USING") || strings.Contains(plan, "SCAN records") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s\nplan:\n%s\nwant a search through an index, no scan, no sort", q, plan)
		}
	}
}

// queryPlan is SQLite's plan for q with args, one step a line.
func queryPlan(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, detail)
	}
	return b.String()
}

// downgradeTo0017 makes w's store what it was before the 0018 and 0019 migrations:
// the three records indexes back, no change_bodies (a waiting audit batch's
// bytes back in its row) and 0017's change-log guard.
func downgradeTo0017(t *testing.T, db *sql.DB) {
	t.Helper()
	execAll(t, db,
		`CREATE INDEX records_by_kind ON records (kind)`,
		`CREATE INDEX records_by_patient ON records (patient_id)`,
		`CREATE INDEX records_by_patient_kind ON records (patient_id, kind, id)`,
		`DROP TRIGGER changes_sealed_moves_only`,
		`DROP TRIGGER changes_audit_batch_body`,
		`DROP TRIGGER changes_acked_body_gone`,
		`DROP TRIGGER changes_deleted_body_gone`,
		`UPDATE changes SET sealed = (SELECT b.sealed FROM change_bodies b WHERE b.seq = changes.seq)
			WHERE seq IN (SELECT seq FROM change_bodies)`,
		`DROP TABLE change_bodies`,
		`CREATE TRIGGER changes_sealed_moves_only
		BEFORE UPDATE OF sealed ON changes
		WHEN NOT coalesce(
			(NEW.sealed = x'' AND OLD.sealed = (SELECT sealed FROM records WHERE id = OLD.record_id AND head_change_id = OLD.change_id))
			OR (OLD.sealed = x'' AND NEW.sealed = (SELECT sealed FROM records WHERE id = OLD.record_id AND head_change_id = OLD.change_id)),
			0)
		BEGIN
			SELECT RAISE(ABORT, 'the change log is append-only: a change cannot be rewritten');
		END`,
		`DELETE FROM schema_migrations WHERE version IN ('0018_drop_prefix_indexes', '0019_audit_batch_bodies')`)
}

// TestMigrations0018And0019UpgradeAStoreWithData: a workstation whose store was
// made before the 0018 and 0019 migrations (the three indexes present; data and
// changes both pushed and waiting, an audit batch among them, its bytes in
// its row) upgrades on opening; every version of every record still opens,
// the chart reads the same, and it still syncs, the waiting batch whole.
func TestMigrations0018And0019UpgradeAStoreWithData(t *testing.T) {
	ctx := context.Background()
	a, b, doc, p, enc := chartedPair(t)
	editPhone(t, a.admin, p.ID, "+1 555 0100 001")
	must(doc.SaveAllergy(ctx, sampleAllergy(p.ID, "penicillin")))(t)
	a.sync(t)
	must(doc.SaveNoteDraft(ctx, sampleNote(p.ID, enc.ID, "Two days of fever.")))(t)
	must(doc.SaveMedication(ctx, sampleMed(p.ID, "metformin"), ""))(t)
	before := must(doc.ChartSummary(ctx, p.ID))(t)

	if _, err := a.admin.OutboxBatch(ctx, 100, 1<<20); err != nil { // packs the waiting audit entries
		t.Fatal(err)
	}
	batches, err := wireChanges(ctx, a.w.db, `SELECT `+changeWireColumns+` FROM changes
		WHERE kind = ? AND acked_at IS NULL`, kindAuditBatch)
	if err != nil || len(batches) == 0 {
		t.Fatalf("waiting batches: %d, %v; want some", len(batches), err)
	}
	var waiting []int64
	for _, c := range batches {
		b, why := openRemoteAuditBatch(a.admin, &c)
		if why != "" {
			t.Fatalf("waiting batch %s: %s", c.ChangeID, why)
		}
		for _, e := range b.Entries {
			waiting = append(waiting, e.Seq)
		}
	}
	downgradeTo0017(t, a.w.db)
	a.w.Close()
	a.w = openStore(t, a.path, a.clock)
	t.Cleanup(func() { a.w.Close() })
	a.admin = a.signIn(t, "ada", adminPass)

	for _, ix := range storeIndexes(t, a.w.db) {
		if strings.HasPrefix(ix.name, "records_by_") {
			t.Errorf("index %s still there after the upgrade", ix.name)
		}
	}
	if n := countRows(t, a.w, "schema_migrations WHERE version IN ('0018_drop_prefix_indexes', '0019_audit_batch_bodies')"); n != 2 {
		t.Fatalf("0018 and 0019 migrations recorded %d times, want 2", n)
	}
	wantEveryChangeOpens(t, a.admin)
	doc = a.signIn(t, "cleo", clinicianPass)
	after := must(doc.ChartSummary(ctx, p.ID))(t)
	if len(after.Timeline) != len(before.Timeline) || len(after.Allergies) != len(before.Allergies) ||
		len(after.Medications) != len(before.Medications) || len(after.Timeline) == 0 || len(after.Allergies) != 1 {
		t.Fatalf("chart after the upgrade: %d timeline items, %d allergies, %d medications; before %d, %d, %d",
			len(after.Timeline), len(after.Allergies), len(after.Medications),
			len(before.Timeline), len(before.Allergies), len(before.Medications))
	}
	notes := must(doc.Notes(ctx, p.ID))(t)
	if len(notes) != 1 {
		t.Fatalf("notes after the upgrade: %d, want the draft", len(notes))
	}

	a.sync(t)
	b.sync(t)
	shown := remoteAuditSeqs(t, b.w, a.admin.deviceID)
	for _, seq := range waiting {
		if !slices.Contains(shown, seq) {
			t.Fatalf("entry %d, in a batch waiting at the upgrade, did not reach B (B shows %v)", seq, shown)
		}
	}
	got, err := b.admin.OpenPatient(ctx, p.ID)
	if err != nil || got.Phone != "+1 555 0100 001" {
		t.Fatalf("B opens %q, %v; want the phone edited before the upgrade", got.Phone, err)
	}
	var onA, onB int
	q := `SELECT count(*) FROM records WHERE patient_id = ?`
	if err := a.w.db.QueryRow(q, string(p.ID)).Scan(&onA); err != nil {
		t.Fatal(err)
	}
	if err := b.w.db.QueryRow(q, string(p.ID)).Scan(&onB); err != nil {
		t.Fatal(err)
	}
	if onA != 5 || onB != onA {
		t.Fatalf("the patient's records: A %d, B %d after syncing; want 5 on both (the patient, encounter, allergy, note, medication)", onA, onB)
	}
}

// chartedPair is an enrolled pair whose workstation a has a clinician
// (doc, signed in) and a patient with an encounter: what the upgrade tests
// chart before downgrading a's store.
func chartedPair(t *testing.T) (a, b syncingWorkstation, doc *Session, p chart.Patient, enc chart.Encounter) {
	t.Helper()
	_, a, b = enrolledPair(t)
	a.addUser(t, a.admin, "cleo", chart.RoleClinician, clinicianPass)
	doc = a.signIn(t, "cleo", clinicianPass)
	p = register(t, a.admin, samplePatient("Wilhelmina", "Zabriskie"))
	enc = must(doc.SaveEncounter(context.Background(), sampleEncounter(p.ID)))(t)
	return a, b, doc, p, enc
}

func pageSize(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNewStoreHasLargerPages: a new store is made with 8 KiB pages (half a
// row of space left at the end of a 4 KiB page was ~12% of the file), and a
// store made with 4 KiB pages keeps them and still opens and charts.
func TestNewStoreHasLargerPages(t *testing.T) {
	f := newFixture(t)
	if n := pageSize(t, f.w.db); n != chartPageSize {
		t.Fatalf("new store's page size %d, want %d", n, chartPageSize)
	}

	path := t.TempDir() + "/old/chart.db"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, old, `PRAGMA page_size = 4096`, `PRAGMA journal_mode = WAL`,
		`CREATE TABLE made_before (x)`, `DROP TABLE made_before`)
	old.Close()
	w := openStore(t, path, newTestClock())
	defer w.Close()
	if n := pageSize(t, w.db); n != 4096 {
		t.Fatalf("an existing store's page size became %d, want it kept at 4096", n)
	}
	if w.incrementalVacuum { // its freed pages are reused by later writes, as they always were
		t.Fatal("a store made without auto-vacuum is taken for one with it")
	}
	s, _, err := w.CreatePractice(context.Background(), chart.NewPractice{PracticeName: "Old Pages Clinic",
		Admin: chart.NewUser{FullName: "Ada Administrator", Username: "ada", Passphrase: adminPass}})
	if err != nil {
		t.Fatal(err)
	}
	register(t, s.(*Session), samplePatient("Wilhelmina", "Zabriskie"))
}

// ownBatchBytes sums the bytes w holds of its own audit batches, wherever
// they are kept (in the change-log row or waiting in change_bodies).
func ownBatchBytes(t *testing.T, s *Session) (batches, bytes int) {
	t.Helper()
	err := s.w.db.QueryRow(`SELECT count(*), coalesce(sum(length(`+changeSealed("changes")+`)), 0) FROM changes
		WHERE kind = ? AND device_id = ?`, kindAuditBatch, string(s.deviceID)).Scan(&batches, &bytes)
	if err != nil {
		t.Fatal(err)
	}
	return batches, bytes
}

// TestAckedAuditBatchesLetGoOfTheirBytes: a workstation's audit batches
// travel whole, and once the practice server has them the workstation
// keeps no copy (the entries stay in its audit log): B still shows every
// entry, both logs verify against the server's anchor, and a new store
// hands the freed pages back. An unacknowledged batch keeps its bytes.
func TestAckedAuditBatchesLetGoOfTheirBytes(t *testing.T) {
	_, a, b := enrolledPair(t)
	p := register(t, a.admin, samplePatient("Ada", "Okafor"))
	activity(t, a.fixture, p)
	a.sync(t)
	for range 40 { // enough entries that their batch spans pages
		activity(t, a.fixture, p)
	}
	out, err := a.admin.OutboxBatch(context.Background(), 100, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	waiting := 0
	for _, c := range out {
		if c.Kind == kindAuditBatch && len(c.Sealed) > 0 {
			waiting++
		}
	}
	if n, bytes := ownBatchBytes(t, a.admin); waiting == 0 || bytes == 0 || n == 0 {
		t.Fatalf("before the push: %d batches, %d bytes, %d in the outbox with bytes; want them whole", n, bytes, waiting)
	}
	pagesBefore := pragmaInt(t, a.w, "page_count")
	a.sync(t)
	b.sync(t)

	n, bytes := ownBatchBytes(t, a.admin)
	if n < 2 || bytes != 0 {
		t.Fatalf("after the push: A holds %d bytes of its %d acknowledged batches, want none", bytes, n)
	}
	if held := countRows(t, a.w, "change_bodies"); held != 0 {
		t.Fatalf("A still holds %d batch bodies", held)
	}
	free, pagesAfter := waitFreePagesHandedBack(t, a.w)
	if free != 0 || pagesAfter > pagesBefore {
		t.Fatalf("A's file after the push: %d free pages, %d pages (%d before); want the freed pages handed back", free, pagesAfter, pagesBefore)
	}
	sent := packedAuditSeqs(t, b.admin, a.admin.deviceID)
	if got := remoteAuditSeqs(t, b.w, a.admin.deviceID); len(got) < 40 || !slices.Equal(got, slices.Sorted(slices.Values(sent))) {
		t.Fatalf("B shows %d of A's entries, A's batches carried %d", len(got), len(sent))
	}
	for who, w := range map[string]syncingWorkstation{"A": a, "B": b} {
		if v := w.verifyAnchored(t); !v.OK || v.Server.State != chart.AuditServerMatched {
			t.Fatalf("%s's audit check after A let go of its batches: %+v", who, v)
		}
	}
	// Nothing else may empty a change: not a batch still waiting, not another kind.
	activity(t, a.fixture, p)
	if _, err := a.admin.OutboxBatch(context.Background(), 100, 1<<20); err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]string{
		"a waiting batch's body": `DELETE FROM change_bodies`,
		"a record's old version": `UPDATE changes SET sealed = x'' WHERE kind = 'patient'`,
		"a waiting batch's row":  `UPDATE change_bodies SET sealed = x'00'`,
	} {
		if _, err := a.w.db.Exec(q); err == nil {
			t.Errorf("%s: emptied, want refused", name)
		}
	}
}

// waitFreePagesHandedBack waits for the background checkpointer's quiet
// moment to hand w's free pages back (reclaimFreePages), and returns the
// free pages and the pages of the file then.
func waitFreePagesHandedBack(t *testing.T, w *Workstation) (free, pages int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // generous: the box is shared
	for free = pragmaInt(t, w, "freelist_count"); free != 0 && time.Now().Before(deadline); free = pragmaInt(t, w, "freelist_count") {
		time.Sleep(50 * time.Millisecond)
	}
	return free, pragmaInt(t, w, "page_count")
}

// TestRowStampsAreUnixSeconds: once the server has a change, acked_at
// holds the moment in unix seconds (as do a change's created_at and a
// record row's updated_at, rowStamp), on the pushing workstation (its own
// changes) and on the pulling one (every pulled change is stored
// acknowledged), not a 30-character RFC 3339 time no query reads (issue
// #12: 20 bytes a column in every row). The outbox reads only whether
// acked_at is NULL.
func TestRowStampsAreUnixSeconds(t *testing.T) {
	_, a, b := enrolledPair(t)
	p := register(t, a.admin, samplePatient("Ada", "Okafor"))
	activity(t, a.fixture, p)
	a.sync(t)
	b.sync(t)
	for who, w := range map[string]syncingWorkstation{"A": a, "B": b} {
		var n, long, notSeconds int
		err := w.w.db.QueryRow(`SELECT count(*), coalesce(sum(length(acked_at) > 10), 0),
			coalesce(sum(acked_at GLOB '*[^0-9]*' OR CAST(acked_at AS INTEGER) < 1577836800), 0)
			FROM changes WHERE acked_at IS NOT NULL AND device_id = ?`, string(a.admin.deviceID)).
			Scan(&n, &long, &notSeconds)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || long != 0 || notSeconds != 0 {
			t.Errorf("%s: %d of A's changes acknowledged, %d with a long acked_at, %d not unix seconds since 2020", who, n, long, notSeconds)
		}
		for table, column := range map[string]string{"records": "updated_at", "changes": "created_at"} {
			var rows, longRows int // written here (A), pulled and merged (B)
			err = w.w.db.QueryRow(`SELECT count(*), coalesce(sum(`+column+` GLOB '*[^0-9]*' OR length(`+column+`) > 10), 0)
				FROM `+table).Scan(&rows, &longRows)
			if err != nil {
				t.Fatal(err)
			}
			if rows == 0 || longRows != 0 {
				t.Errorf("%s: %d of %d %s have a %s that is not unix seconds", who, longRows, rows, table, column)
			}
		}
	}
	if out, err := a.admin.OutboxBatch(context.Background(), 100, 1<<20); err != nil || len(out) != 0 {
		t.Fatalf("A's outbox after the push: %d changes (%v), want none", len(out), err)
	}
	// A's next edit still travels tagged, and B takes it.
	activity(t, a.fixture, p)
	edit := register(t, a.admin, samplePatient("Grace", "Hopper"))
	a.sync(t)
	b.sync(t)
	if _, err := b.admin.OpenPatient(context.Background(), edit.ID); err != nil {
		t.Fatalf("B after A's second push: %v", err)
	}
}

// TestStoredTimeReadsBothForms: History's fallback time reads a created_at
// written as unix seconds (rowStamp) and one written before as text.
func TestStoredTimeReadsBothForms(t *testing.T) {
	at := time.Date(2026, 12, 6, 0, 10, 0, 0, time.UTC)
	if got, want := storedTime(fmt.Sprint(rowStamp(at))), formatTime(at); got != want {
		t.Errorf("unix seconds: %q, want %q", got, want)
	}
	if old := formatTime(at.Add(123)); storedTime(old) != old {
		t.Errorf("text written before: %q, want it unchanged", storedTime(old))
	}
}

// TestMigration0021UpgradeAStoreWithData: a store made before 0021 (the
// two wide heads indexes) upgrades on opening to the narrow ones; the
// sign-in's index, the chart and its snapshot read as before, the lookups
// go through the new indexes, and the store still syncs.
func TestMigration0021UpgradeAStoreWithData(t *testing.T) {
	ctx := context.Background()
	a, b, doc, p, enc := chartedPair(t)
	register(t, a.admin, samplePatient("Ada", "Okafor"))
	must(doc.SaveNoteDraft(ctx, sampleNote(p.ID, enc.ID, "Two days of fever.")))(t)
	must(doc.SaveAllergy(ctx, sampleAllergy(p.ID, "penicillin")))(t)
	a.sync(t)
	before := must(doc.ChartSummary(ctx, p.ID))(t)
	found := must(a.admin.SearchPatients(ctx, "Zabriskie", 10))(t)

	execAll(t, a.w.db,
		`DROP INDEX records_of_kind`,
		`DROP INDEX records_of_patient`,
		`CREATE INDEX records_heads_by_kind ON records (kind, id, version, head_change_id)`,
		`CREATE INDEX records_heads_by_patient ON records (patient_id, kind, id, version, head_change_id)`,
		`DELETE FROM schema_migrations WHERE version = '0021_record_indexes_narrow'`)
	a.w.Close()
	a.w = openStore(t, a.path, a.clock)
	t.Cleanup(func() { a.w.Close() })
	a.admin = a.signIn(t, "ada", adminPass)

	names := map[string]bool{}
	for _, ix := range storeIndexes(t, a.w.db) {
		names[ix.name] = true
	}
	if names["records_heads_by_kind"] || names["records_heads_by_patient"] || !names["records_of_kind"] || !names["records_of_patient"] {
		t.Fatalf("indexes after the upgrade: %v", names)
	}
	if again := must(a.admin.SearchPatients(ctx, "Zabriskie", 10))(t); len(again) != len(found) || len(found) != 1 {
		t.Fatalf("search after the upgrade: %d, before %d; want 1", len(again), len(found))
	}
	doc = a.signIn(t, "cleo", clinicianPass)
	after := must(doc.ChartSummary(ctx, p.ID))(t)
	if len(after.Timeline) != len(before.Timeline) || len(after.Allergies) != 1 || len(after.Timeline) == 0 {
		t.Fatalf("chart after the upgrade: %d timeline items, %d allergies; before %d, %d",
			len(after.Timeline), len(after.Allergies), len(before.Timeline), len(before.Allergies))
	}
	for q, ix := range map[string]string{
		`SELECT id, version, head_change_id, sealed FROM records WHERE kind = 'patient'`:                                         "records_of_kind",
		`SELECT id, kind, version, head_change_id, sealed FROM records WHERE patient_id = 'p' AND kind IN ('encounter', 'note')`: "records_of_patient",
	} {
		if plan := queryPlan(t, a.w.db, q); !strings.Contains(plan, ix) {
			t.Errorf("%s\nplan:\n%s\nwant it through %s", q, plan, ix)
		}
	}
	editPhone(t, a.admin, p.ID, "+1 555 0100 002")
	a.sync(t)
	b.sync(t)
	if got, err := b.admin.OpenPatient(ctx, p.ID); err != nil || got.Phone != "+1 555 0100 002" {
		t.Fatalf("B opens %q, %v; want the phone edited after the upgrade", got.Phone, err)
	}
}

// TestOwnTagsWaitBesideTheRow: an own change's tag waits in change_tags
// (its row holds none) until the server has the change, travels with it,
// and goes at the acknowledgement; a change written before migration 0022
// (its tag in its row) still travels tagged after the upgrade.
func TestOwnTagsWaitBesideTheRow(t *testing.T) {
	ctx := context.Background()
	_, a, b := enrolledPair(t)
	p := register(t, a.admin, samplePatient("Ada", "Okafor"))
	var inRows, aside int
	if err := a.w.db.QueryRow(`SELECT (SELECT count(*) FROM changes WHERE acked_at IS NULL AND auth IS NOT NULL),
		(SELECT count(*) FROM change_tags)`).Scan(&inRows, &aside); err != nil {
		t.Fatal(err)
	}
	out, err := a.admin.OutboxBatch(ctx, 100, 1<<20)
	if err != nil || len(out) == 0 {
		t.Fatalf("outbox: %d, %v", len(out), err)
	}
	if inRows != 0 || aside == 0 {
		t.Fatalf("waiting own changes: %d tags in their rows, %d beside them; want none and some", inRows, aside)
	}
	for i := range out {
		if err := checkChangeTag(a.admin.key, &out[i]); err != nil {
			t.Fatalf("change %s leaves the outbox without its tag: %v", out[i].ChangeID, err)
		}
	}
	a.sync(t)
	if n := countRows(t, a.w, "change_tags"); n != 0 {
		t.Fatalf("%d tags kept after the acknowledgement", n)
	}

	// A store from before 0022 with a change waiting, its tag in its row.
	editPhone(t, a.admin, p.ID, "+1 555 0100 003")
	execAll(t, a.w.db,
		`DROP TRIGGER changes_tag_aside`,
		`UPDATE changes SET auth = (SELECT g.auth FROM change_tags g WHERE g.seq = changes.seq) WHERE seq IN (SELECT seq FROM change_tags)`,
		`DROP TRIGGER changes_acked_tag_gone`, `DROP TRIGGER changes_deleted_tag_gone`, `DROP TABLE change_tags`,
		`DELETE FROM schema_migrations WHERE version = '0022_change_tags'`)
	a.w.Close()
	a.w = openStore(t, a.path, a.clock)
	t.Cleanup(func() { a.w.Close() })
	a.admin = a.signIn(t, "ada", adminPass)
	a.sync(t)
	b.sync(t)
	if got, err := b.admin.OpenPatient(ctx, p.ID); err != nil || got.Phone != "+1 555 0100 003" {
		t.Fatalf("B opens %q, %v; want the phone edited before the upgrade", got.Phone, err)
	}
}
