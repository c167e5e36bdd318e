package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

// snapshot counts the rows that a refused action must not touch.
type snapshot struct{ records, changes, users int }

func takeSnapshot(t *testing.T, w *Workstation) snapshot {
	return snapshot{countRows(t, w, "records"), countRows(t, w, "changes"), countRows(t, w, "users")}
}

func TestBadPatientInputChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	existing := register(t, f.admin, chart.Patient{MRN: "AB-1234", GivenName: "Existing", FamilyName: "Patient",
		BirthDate: "1970-01-01"})
	edited := existing
	edited.Phone = "555 0100 111"
	if _, err := f.admin.UpdatePatient(ctx, edited); err != nil {
		t.Fatal(err)
	}
	tomorrow := f.clock.Now().AddDate(0, 0, 2).Format(time.DateOnly)

	cases := []struct {
		name, code, field string
		do                func() error
	}{
		{"empty given name", "invalid", "givenName", func() error {
			p := samplePatient("   ", "Family")
			_, err := f.admin.RegisterPatient(ctx, p)
			return err
		}},
		{"oversized family name", "invalid", "familyName", func() error {
			_, err := f.admin.RegisterPatient(ctx, samplePatient("Given", strings.Repeat("x", chart.MaxNameLen+1)))
			return err
		}},
		{"oversized directions", "invalid", "address.directions", func() error {
			p := samplePatient("Given", "Family")
			p.Address.Directions = strings.Repeat("turn left ", 300)
			_, err := f.admin.RegisterPatient(ctx, p)
			return err
		}},
		{"invalid date of birth", "invalid", "birthDate", func() error {
			p := samplePatient("Given", "Family")
			p.BirthDate = "1999-02-30"
			_, err := f.admin.RegisterPatient(ctx, p)
			return err
		}},
		{"future date of birth", "invalid", "birthDate", func() error {
			p := samplePatient("Given", "Family")
			p.BirthDate = tomorrow
			_, err := f.admin.RegisterPatient(ctx, p)
			return err
		}},
		{"duplicate MRN on register", "conflict", "mrn", func() error {
			p := samplePatient("Given", "Family")
			p.MRN = " ab-1234 " // normalised to the existing MRN
			_, err := f.admin.RegisterPatient(ctx, p)
			return err
		}},
		{"stale version on update", "conflict", "", func() error {
			_, err := f.admin.UpdatePatient(ctx, existing) // still version 1; the store has 2
			return err
		}},
		{"invalid field on update", "invalid", "phone", func() error {
			p := edited
			p.Version, p.Phone = 2, "call me maybe"
			_, err := f.admin.UpdatePatient(ctx, p)
			return err
		}},
		{"update of unknown patient", "not_found", "", func() error {
			p := samplePatient("Ghost", "Patient")
			p.ID, p.Version = chart.NewPatientID(), 1
			_, err := f.admin.UpdatePatient(ctx, p)
			return err
		}},
		{"open of malformed id", "not_found", "", func() error {
			_, err := f.admin.OpenPatient(ctx, "../../etc/passwd")
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := takeSnapshot(t, f.w)
			wantErr(t, tc.do(), tc.code, tc.field)
			if after := takeSnapshot(t, f.w); after != before {
				t.Fatalf("rows changed: before %+v, after %+v", before, after)
			}
		})
	}
	// The duplicate MRN is also refused when an edit moves onto it.
	other := register(t, f.admin, samplePatient("Other", "Patient"))
	other.MRN = "AB-1234"
	_, err := f.admin.UpdatePatient(ctx, other)
	wantErr(t, err, "conflict", "mrn")
}

func TestBadSignInsAreRefusedAuditedAndChangeNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	register(t, f.admin, samplePatient("Some", "Patient"))
	f.addUser(t, f.admin, "gone", chart.RoleNurse, "nurse passphrase 1")
	gone, _, _ := loadUser(ctx, f.w.db, "username", "gone")
	if _, err := f.admin.SetUserActive(ctx, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, f.w)
	auditBefore := countRows(t, f.w, "audit_log")

	_, err := f.w.SignIn(ctx, "ada", "wrong passphrase here")
	if de := wantErr(t, err, "unauthorized", "passphrase"); de.Message != "That passphrase is not right. Check Caps Lock and try again." {
		t.Fatalf("wrong passphrase message %q", de.Message)
	}
	_, err = f.w.SignIn(ctx, " Nobody ", adminPass)
	if de := wantErr(t, err, "unauthorized", "username"); de.Message != "No user named “nobody” on this workstation." {
		t.Fatalf("unknown user message %q", de.Message)
	}
	_, err = f.w.SignIn(ctx, "gone", "nurse passphrase 1")
	if de := wantErr(t, err, "unauthorized", ""); de.Message != "This account is deactivated; ask your practice administrator." {
		t.Fatalf("deactivated message %q", de.Message)
	}
	_, err = f.w.SignIn(ctx, "ada", "")
	wantErr(t, err, "invalid", "passphrase")
	_, err = f.w.SignIn(ctx, "  ", adminPass)
	wantErr(t, err, "invalid", "username")
	if after := takeSnapshot(t, f.w); after != before {
		t.Fatalf("rows changed: before %+v, after %+v", before, after)
	}
	if n := countRows(t, f.w, "audit_log") - auditBefore; n != 3 {
		t.Fatalf("%d audit entries for 3 failed sign-ins", n)
	}
	entries, err := f.admin.Audit(ctx, chart.AuditFilter{Action: chart.AuditSignInFailed})
	if err != nil || len(entries) != 3 {
		t.Fatalf("sign-in failures in audit: %d, %v", len(entries), err)
	}
	// Usernames are normalised at sign-in.
	if _, err := f.w.SignIn(ctx, "  ADA ", adminPass); err != nil {
		t.Fatalf("sign in with upper-case username: %v", err)
	}
}

func TestSignInThrottlesAfterRepeatedFailures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fail := func() *chart.Error {
		t.Helper()
		_, err := f.w.SignIn(ctx, "ada", "not the passphrase")
		return wantErr(t, err, "unauthorized", "passphrase")
	}
	for range freeAttempts - 1 {
		fail()
	}
	if de := fail(); !strings.Contains(de.Message, "5 seconds") {
		t.Fatalf("fifth failure message %q does not give the 5 s wait", de.Message)
	}
	// Throttled: even the right passphrase is refused, and scrypt is not run
	// (the wrapped key is not read: corrupt it to prove it).
	var wrapped []byte
	f.w.db.QueryRow(`SELECT wrapped_key FROM users WHERE username = 'ada'`).Scan(&wrapped)
	f.w.db.Exec(`UPDATE users SET wrapped_key = x'00' WHERE username = 'ada'`)
	_, err := f.w.SignIn(ctx, "ada", adminPass)
	if de := wantErr(t, err, "unauthorized", "passphrase"); !strings.Contains(de.Message, "Wait") {
		t.Fatalf("throttled message %q gives no wait", de.Message)
	}
	f.w.db.Exec(`UPDATE users SET wrapped_key = ? WHERE username = 'ada'`, wrapped)
	var failures int
	f.w.db.QueryRow(`SELECT failed_attempts FROM users WHERE username = 'ada'`).Scan(&failures)
	if failures != freeAttempts {
		t.Fatalf("throttled attempt counted: failed_attempts = %d", failures)
	}

	f.clock.Advance(6 * time.Second)
	if de := fail(); !strings.Contains(de.Message, "10 seconds") { // sixth: 5 s·2
		t.Fatalf("sixth failure message %q", de.Message)
	}
	f.clock.Advance(11 * time.Second)
	s := f.signIn(t, "ada", adminPass)
	f.w.db.QueryRow(`SELECT failed_attempts FROM users WHERE username = 'ada'`).Scan(&failures)
	if failures != 0 {
		t.Fatalf("success did not reset the counter: %d", failures)
	}
	refused, err := s.Audit(ctx, chart.AuditFilter{Action: chart.AuditSignInFailed})
	if err != nil || len(refused) != 7 {
		t.Fatalf("audited failures = %d (%v), want 7 (6 wrong + 1 throttled)", len(refused), err)
	}
}

func TestLockoutSchedule(t *testing.T) {
	for n, want := range map[int]time.Duration{0: 0, 4: 0, 5: 5 * time.Second, 6: 10 * time.Second,
		9: 80 * time.Second, 10: 160 * time.Second, 11: 5 * time.Minute, 500: 5 * time.Minute} {
		if got := lockoutFor(n); got != want {
			t.Errorf("lockoutFor(%d) = %v, want %v", n, got, want)
		}
	}
}
