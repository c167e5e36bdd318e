package sqlite

import (
	"encoding/json"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// TestImportRowsAsPutRecord imports a patient of 498 records (several
// chunks of rows and a partial one) and checks each change row is what
// putRecord and migration 0017 make of a new record: its bytes held once,
// by the record's row, the tag verifying over them, the clock readings
// increasing in the log's order, and none ahead of the persisted clock.
func TestImportRowsAsPutRecord(t *testing.T) {
	f, doc := importClinic(t)
	batch := syntheticPatient(doc.ImportIDs(), 1)
	out := must(doc.ImportPatient(ctxb, batch, chart.ImportOptions{ImportID: "rows", File: "rows.json"}))(t)
	rows := must(f.w.db.QueryContext(ctxb, `SELECT c.change_id, c.record_id, c.kind, c.patient_id, c.version,
		c.parents, c.hlc, c.device_id, c.user_id, c.sealed, `+changeTag("c")+`, r.sealed
		FROM changes c JOIN records r ON r.head_change_id = c.change_id
		WHERE c.patient_id = ? ORDER BY c.seq`, string(out.PatientID)))(t)
	defer rows.Close()
	n, last := 0, ""
	for rows.Next() {
		var c wire.Change
		var parents string
		var stored, held []byte
		if err := rows.Scan(&c.ChangeID, &c.RecordID, &c.Kind, &c.PatientID, &c.Version, &parents, &c.HLC,
			&c.DeviceID, &c.UserID, &stored, &c.Auth, &held); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(parents), &c.Parents); err != nil {
			t.Fatalf("change %s parents %q: %v", c.ChangeID, parents, err)
		}
		if len(stored) != 0 || len(held) == 0 {
			t.Fatalf("change %s holds %d bytes and its record %d: want the bytes once, in the record", c.ChangeID, len(stored), len(held))
		}
		c.Sealed = held
		if err := checkChangeTag(doc.key, &c); err != nil {
			t.Fatalf("change %s (%s): %v", c.ChangeID, c.Kind, err)
		}
		if c.HLC <= last {
			t.Fatalf("change %s stamped %s after %s", c.ChangeID, c.HLC, last)
		}
		last, n = c.HLC, n+1
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := recordsIn(&batch); n != want {
		t.Fatalf("%d changes are their record's head, want %d", n, want)
	}
	if hlc := must(readMeta(ctxb, f.w.db, metaHLC))(t)[metaHLC]; hlc < last {
		t.Fatalf("the persisted clock reads %s, before the last change's %s", hlc, last)
	}
	got := must(doc.PatientRecords(ctxb, out.PatientID, "rows test"))(t)
	if len(got.Results) != len(batch.Results) || len(got.Notes) != len(batch.Notes) {
		t.Fatalf("read back %d results, %d notes; want %d, %d", len(got.Results), len(got.Notes), len(batch.Results), len(batch.Notes))
	}
}
