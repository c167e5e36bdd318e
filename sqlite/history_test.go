package sqlite

import (
	"context"
	"encoding/json"
	"testing"

	"outpost/chart"
)

func TestHistoryAndChangeLog(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	nurse := f.addUser(t, f.admin, "nora", chart.RoleNurse, "nurse passphrase 77")
	v1 := register(t, f.admin, samplePatient("Hist", "Ory"))
	if v1.Version != 1 || v1.MRN == "" || v1.UpdatedBy != f.admin.User().ID {
		t.Fatalf("registered %+v", v1)
	}
	v2 := v1
	v2.Phone = "555 0100 222"
	v2, err := f.admin.UpdatePatient(ctx, v2)
	if err != nil || v2.Version != 2 || v2.MRN != v1.MRN || !v2.CreatedAt.Equal(v1.CreatedAt) {
		t.Fatalf("update 1: %+v, %v", v2, err)
	}
	ns := f.signIn(t, "nora", "nurse passphrase 77")
	v3 := v2
	v3.Address.City = "Ruby Valley"
	v3, err = ns.UpdatePatient(ctx, v3)
	if err != nil || v3.Version != 3 {
		t.Fatalf("update 2: %+v, %v", v3, err)
	}

	hist, err := ns.PatientHistory(ctx, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 {
		t.Fatalf("history has %d versions, want 3", len(hist))
	}
	for i, want := range []struct {
		version int64
		by      string
		city    string
	}{{3, "Staff nora", "Ruby Valley"}, {2, "Ada Administrator", "Elko"}, {1, "Ada Administrator", "Elko"}} {
		h := hist[i]
		if h.Version != want.version || h.Patient.Version != want.version || h.ChangedByName != want.by || h.Patient.Address.City != want.city {
			t.Errorf("history[%d] = version %d by %q city %q; want %+v", i, h.Version, h.ChangedByName, h.Patient.Address.City, want)
		}
	}
	if hist[0].ChangedBy != nurse.ID || hist[2].Patient.Phone == hist[1].Patient.Phone {
		t.Errorf("history content wrong: %+v", hist)
	}

	rows, err := f.w.db.Query(`SELECT change_id, version, parents, hlc, device_id FROM changes WHERE record_id = ? ORDER BY seq`, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var prevID, prevHLC string
	n := 0
	for rows.Next() {
		var id, parents, hlc, device string
		var version int64
		if err := rows.Scan(&id, &version, &parents, &hlc, &device); err != nil {
			t.Fatal(err)
		}
		var ps []string
		if err := json.Unmarshal([]byte(parents), &ps); err != nil {
			t.Fatalf("parents %q: %v", parents, err)
		}
		n++
		if version != int64(n) {
			t.Errorf("change %d has version %d", n, version)
		}
		if n == 1 && len(ps) != 0 || n > 1 && (len(ps) != 1 || ps[0] != prevID) {
			t.Errorf("change %d parents = %v, want [%s]", n, ps, prevID)
		}
		if hlc <= prevHLC || device == "" {
			t.Errorf("change %d hlc %q not after %q (device %q)", n, hlc, prevHLC, device)
		}
		prevID, prevHLC = id, hlc
	}
	if n != 3 {
		t.Fatalf("%d changes for 3 writes", n)
	}
	var head string
	f.w.db.QueryRow(`SELECT head_change_id FROM records WHERE id = ?`, v1.ID).Scan(&head)
	if head != prevID {
		t.Fatalf("records.head_change_id = %s, want latest change %s", head, prevID)
	}
	var stored, last string // the last change may be an audit record's (audit_sync.go)
	f.w.db.QueryRow(`SELECT value FROM meta WHERE key = 'hlc'`).Scan(&stored)
	f.w.db.QueryRow(`SELECT hlc FROM changes ORDER BY seq DESC LIMIT 1`).Scan(&last)
	if stored != last || last < prevHLC {
		t.Fatalf("persisted HLC %q, want the last change's %q (not before %q)", stored, last, prevHLC)
	}
}

func TestSearchAndDuplicates(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := register(t, f.admin, samplePatient("Dupli", "Cate"))
	hits, err := f.admin.SearchPatients(ctx, "dupli", 0)
	if err != nil || len(hits) != 1 || hits[0].ID != p.ID {
		t.Fatalf("search = %+v, %v", hits, err)
	}
	dups, err := f.admin.DuplicateCandidates(ctx, samplePatient("Dupli", "Cate"))
	if err != nil || len(dups) != 1 || dups[0].Patient.ID != p.ID {
		t.Fatalf("duplicates = %+v, %v", dups, err)
	}
	// The index survives a new sign-in (rebuilt from the sealed records).
	s := f.signIn(t, "ada", adminPass)
	if hits, err := s.SearchPatients(ctx, "cate", 1000); err != nil || len(hits) != 1 {
		t.Fatalf("search after sign-in = %+v, %v", hits, err)
	}
	searches, err := s.Audit(ctx, chart.AuditFilter{Action: chart.AuditSearch})
	if err != nil || len(searches) != 3 {
		t.Fatalf("search audit entries = %d, %v; want 3", len(searches), err)
	}
}
