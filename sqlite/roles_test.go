package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
)

func TestRolesAreEnforced(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.addUser(t, f.admin, "desk", chart.RoleFrontDesk, "front desk passphrase")
	nurseUser := f.addUser(t, f.admin, "nina", chart.RoleNurse, "nurse passphrase 12")

	desk := f.signIn(t, "desk", "front desk passphrase")
	p := register(t, desk, samplePatient("Walk", "In"))
	if hits, err := desk.SearchPatients(ctx, "walk", 10); err != nil || len(hits) != 1 || hits[0].ID != p.ID {
		t.Fatalf("front desk search = %+v, %v", hits, err)
	}
	forbidden := map[string]error{}
	_, forbidden["desk Users"] = desk.Users(ctx)
	_, forbidden["desk AddUser"] = desk.AddUser(ctx, chart.NewUser{FullName: "X", Username: "xx", Role: chart.RoleNurse, Passphrase: "long enough pass"})
	_, forbidden["desk SetUserActive"] = desk.SetUserActive(ctx, nurseUser.ID, false)
	forbidden["desk ResetPassphrase"] = desk.ResetPassphrase(ctx, nurseUser.ID, "another long pass")
	_, forbidden["desk Audit"] = desk.Audit(ctx, chart.AuditFilter{})
	_, forbidden["desk VerifyAudit"] = desk.VerifyAudit(ctx)
	_, forbidden["desk SetIdleLockMinutes"] = desk.SetIdleLockMinutes(ctx, 5)

	nurse := f.signIn(t, "nina", "nurse passphrase 12")
	if _, err := nurse.OpenPatient(ctx, p.ID); err != nil {
		t.Fatalf("nurse open: %v", err)
	}
	_, forbidden["nurse Users"] = nurse.Users(ctx)
	_, forbidden["nurse AddUser"] = nurse.AddUser(ctx, chart.NewUser{FullName: "X", Username: "xx", Role: chart.RoleNurse, Passphrase: "long enough pass"})
	forbidden["nurse ResetPassphrase"] = nurse.ResetPassphrase(ctx, nurseUser.ID, "another long pass")
	_, forbidden["nurse Audit"] = nurse.Audit(ctx, chart.AuditFilter{})

	before := countRows(t, f.w, "users")
	for name, err := range forbidden {
		t.Run(name, func(t *testing.T) { wantErr(t, err, "forbidden", "") })
	}
	if countRows(t, f.w, "users") != before {
		t.Fatal("a forbidden call changed the users table")
	}
	// Everyone may change their own passphrase.
	if err := desk.ChangeOwnPassphrase(ctx, "front desk passphrase", "new front desk passphrase"); err != nil {
		t.Fatalf("front desk change own passphrase: %v", err)
	}
}

func TestLockedSessionRefusesEverything(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := register(t, f.admin, samplePatient("Locked", "Out"))
	if err := f.admin.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.admin.Lock(ctx); err != nil {
		t.Fatalf("second Lock: %v", err)
	}
	errs := map[string]error{}
	_, errs["RegisterPatient"] = f.admin.RegisterPatient(ctx, samplePatient("A", "B"))
	_, errs["UpdatePatient"] = f.admin.UpdatePatient(ctx, p)
	_, errs["OpenPatient"] = f.admin.OpenPatient(ctx, p.ID)
	_, errs["PatientHistory"] = f.admin.PatientHistory(ctx, p.ID)
	_, errs["SearchPatients"] = f.admin.SearchPatients(ctx, "", 10)
	_, errs["DuplicateCandidates"] = f.admin.DuplicateCandidates(ctx, p)
	_, errs["Users"] = f.admin.Users(ctx)
	_, errs["Audit"] = f.admin.Audit(ctx, chart.AuditFilter{})
	errs["ChangeOwnPassphrase"] = f.admin.ChangeOwnPassphrase(ctx, adminPass, "whatever passphrase")
	for name, err := range errs {
		de := wantErr(t, err, "locked", "")
		if de.Message != "Outpost is locked. Sign in again." {
			t.Errorf("%s: message %q", name, de.Message)
		}
	}
	if f.admin.key != nil || f.admin.index != nil {
		t.Fatal("Lock left the key or the index in the session")
	}
	locks, err := f.signIn(t, "ada", adminPass).Audit(ctx, chart.AuditFilter{Action: chart.AuditLock})
	if err != nil || len(locks) != 1 {
		t.Fatalf("lock audit entries = %d, %v; want 1", len(locks), err)
	}
}
