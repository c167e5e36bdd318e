package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

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

func queryPlan(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(`EXPLAIN QUERY PLAN ` + q)
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

// TestPrefixIndexMigrationUpgradesAStoreWithData: a workstation whose store
// was made before migration 0018 (the three indexes present, data and
// changes both pushed and waiting) upgrades on opening; every version of
// every record still opens, the chart reads the same, and it still syncs.
func TestPrefixIndexMigrationUpgradesAStoreWithData(t *testing.T) {
	ctx := context.Background()
	_, a, b := enrolledPair(t)
	a.addUser(t, a.admin, "cleo", chart.RoleClinician, clinicianPass)
	doc := a.signIn(t, "cleo", clinicianPass)
	p := register(t, a.admin, samplePatient("Wilhelmina", "Zabriskie"))
	editPhone(t, a.admin, p.ID, "+1 555 0100 001")
	enc := must(doc.SaveEncounter(ctx, sampleEncounter(p.ID)))(t)
	must(doc.SaveAllergy(ctx, sampleAllergy(p.ID, "penicillin")))(t)
	a.sync(t)
	must(doc.SaveNoteDraft(ctx, sampleNote(p.ID, enc.ID, "Two days of fever.")))(t)
	must(doc.SaveMedication(ctx, sampleMed(p.ID, "metformin"), ""))(t)
	before := must(doc.ChartSummary(ctx, p.ID))(t)

	execAll(t, a.w.db,
		`CREATE INDEX records_by_kind ON records (kind)`,
		`CREATE INDEX records_by_patient ON records (patient_id)`,
		`CREATE INDEX records_by_patient_kind ON records (patient_id, kind, id)`,
		`DELETE FROM schema_migrations WHERE version = '0018_drop_prefix_indexes'`)
	a.w.Close()
	a.w = openStore(t, a.path, a.clock)
	t.Cleanup(func() { a.w.Close() })
	a.admin = a.signIn(t, "ada", adminPass)

	for _, ix := range storeIndexes(t, a.w.db) {
		if strings.HasPrefix(ix.name, "records_by_") {
			t.Errorf("index %s still there after the upgrade", ix.name)
		}
	}
	if n := countRows(t, a.w, "schema_migrations WHERE version = '0018_drop_prefix_indexes'"); n != 1 {
		t.Fatalf("0018 recorded %d times, want once", n)
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
