package sqlite

import (
	"context"
	"strings"
	"testing"
)

func TestTamperedRecordFailsIntegrityAlone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	victim := register(t, f.admin, samplePatient("Tamper", "Victim"))
	bystander := register(t, f.admin, samplePatient("Safe", "Bystander"))

	var sealed []byte
	if err := f.w.db.QueryRow(`SELECT sealed FROM records WHERE id = ?`, victim.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	sealed[len(sealed)/2] ^= 0x01
	if _, err := f.w.db.Exec(`UPDATE records SET sealed = ? WHERE id = ?`, sealed, victim.ID); err != nil {
		t.Fatal(err)
	}

	_, err := f.admin.OpenPatient(ctx, victim.ID)
	de := wantErr(t, err, "integrity", "")
	if !strings.Contains(de.Message, string(victim.ID)) {
		t.Fatalf("integrity message %q does not name record %s", de.Message, victim.ID)
	}
	if p, err := f.admin.OpenPatient(ctx, bystander.ID); err != nil || p.FamilyName != "Bystander" {
		t.Fatalf("other patient: %+v, %v", p, err)
	}
	// An edit based on the damaged version is refused, not written over it.
	_, err = f.admin.UpdatePatient(ctx, victim)
	wantErr(t, err, "integrity", "")

	// Signing in again works; the damaged record is left out of the index.
	s := f.signIn(t, "ada", adminPass)
	hits, err := s.SearchPatients(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].ID != bystander.ID {
		t.Fatalf("index after sign-in = %+v, want only the bystander", hits)
	}

	// A blob moved onto another record fails too (AD binds it to its id).
	var good []byte
	f.w.db.QueryRow(`SELECT sealed FROM records WHERE id = ?`, bystander.ID).Scan(&good)
	f.w.db.Exec(`UPDATE records SET sealed = ? WHERE id = ?`, good, victim.ID)
	_, err = s.OpenPatient(ctx, victim.ID)
	wantErr(t, err, "integrity", "")
}
