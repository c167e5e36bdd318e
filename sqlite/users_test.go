package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
)

func TestSeveralUsersAndPassphraseChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := register(t, f.admin, samplePatient("Shared", "Chart"))
	clin := f.addUser(t, f.admin, "cleo", chart.RoleClinician, "clinician passphrase 1")
	_, err := f.admin.AddUser(ctx, chart.NewUser{FullName: "Cleo Again", Username: "CLEO", Role: chart.RoleNurse, Passphrase: "some long passphrase"})
	wantErr(t, err, "conflict", "username")

	s := f.signIn(t, "cleo", "clinician passphrase 1")
	if got, err := s.OpenPatient(ctx, p.ID); err != nil || got.FamilyName != "Chart" {
		t.Fatalf("clinician sees the shared chart: %+v, %v", got, err)
	}

	// Own change: the old passphrase is checked; afterwards only the new works.
	err = s.ChangeOwnPassphrase(ctx, "not my passphrase", "clinician passphrase 2")
	wantErr(t, err, "unauthorized", "oldPassphrase")
	if err := s.ChangeOwnPassphrase(ctx, "clinician passphrase 1", "clinician passphrase 2"); err != nil {
		t.Fatal(err)
	}
	assertOnlyPassphrase(t, f, "cleo", "clinician passphrase 1", "clinician passphrase 2")

	// Administrator reset.
	if err := f.admin.ResetPassphrase(ctx, clin.ID, "short"); err == nil {
		t.Fatal("a too-short reset passphrase was accepted")
	}
	if err := f.admin.ResetPassphrase(ctx, clin.ID, "clinician passphrase 3"); err != nil {
		t.Fatal(err)
	}
	assertOnlyPassphrase(t, f, "cleo", "clinician passphrase 2", "clinician passphrase 3")

	// Recovery-key reset, for a user who forgot theirs.
	err = f.w.RecoverPassphrase(ctx, "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ", "cleo", "clinician passphrase 4")
	wantErr(t, err, "unauthorized", "recoveryKey")
	err = f.w.RecoverPassphrase(ctx, "  "+f.recovery+"\n", "cleo", "clinician passphrase 4")
	if err != nil {
		t.Fatalf("RecoverPassphrase: %v", err)
	}
	assertOnlyPassphrase(t, f, "cleo", "clinician passphrase 3", "clinician passphrase 4")
	// Records were not re-encrypted: the chart still opens for everyone.
	if got, err := f.signIn(t, "cleo", "clinician passphrase 4").OpenPatient(ctx, p.ID); err != nil || got.ID != p.ID {
		t.Fatalf("open after recovery: %v", err)
	}

	entries, err := f.signIn(t, "ada", adminPass).Audit(ctx, chart.AuditFilter{Action: chart.AuditPassphrase})
	if err != nil || len(entries) != 4 { // own change, admin reset, rejected recovery, recovery
		t.Fatalf("passphrase audit entries = %d, %v; want 4", len(entries), err)
	}
}

func assertOnlyPassphrase(t *testing.T, f *fixture, user, old, current string) {
	t.Helper()
	_, err := f.w.SignIn(context.Background(), user, old)
	wantErr(t, err, "unauthorized", "passphrase")
	f.signIn(t, user, current)
}

func TestAdministratorsCannotLockThemselvesOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.admin.SetUserActive(ctx, f.admin.User().ID, false)
	wantErr(t, err, "invalid", "")

	second := f.addUser(t, f.admin, "root2", chart.RoleAdministrator, "second admin passphrase")
	nurse := f.addUser(t, f.admin, "nell", chart.RoleNurse, "nurse passphrase 99")
	if u, err := f.admin.SetUserActive(ctx, nurse.ID, false); err != nil || u.Active {
		t.Fatalf("deactivate nurse: %+v, %v", u, err)
	}
	if u, err := f.admin.SetUserActive(ctx, nurse.ID, true); err != nil || !u.Active {
		t.Fatalf("reactivate nurse: %+v, %v", u, err)
	}
	// With two administrators one may deactivate the other, but the second
	// can then not deactivate the first: someone must stay in charge.
	if _, err := f.admin.SetUserActive(ctx, second.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.SetUserActive(ctx, second.ID, true); err != nil {
		t.Fatal(err)
	}
	s2 := f.signIn(t, "root2", "second admin passphrase")
	if _, err := s2.SetUserActive(ctx, f.admin.User().ID, false); err != nil {
		t.Fatalf("second admin deactivates first: %v", err)
	}
	_, err = s2.SetUserActive(ctx, s2.User().ID, false)
	wantErr(t, err, "invalid", "")
	_, err = s2.SetUserActive(ctx, chart.UserID(chart.NewUserID()), true)
	wantErr(t, err, "not_found", "")

	users, err := s2.Users(ctx)
	if err != nil || len(users) != 3 {
		t.Fatalf("Users = %d, %v", len(users), err)
	}
	if pr, err := s2.SetIdleLockMinutes(ctx, 0); err == nil {
		t.Fatalf("idle lock 0 accepted: %+v", pr)
	}
	if pr, err := s2.SetIdleLockMinutes(ctx, 15); err != nil || pr.IdleLockMinutes != 15 {
		t.Fatalf("SetIdleLockMinutes = %+v, %v", pr, err)
	}
	if got := f.signIn(t, "root2", "second admin passphrase").Practice().IdleLockMinutes; got != 15 {
		t.Fatalf("idle lock after sign-in = %d, want 15", got)
	}
}
