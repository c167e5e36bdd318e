package sqlite

import (
	"context"
	"encoding/json"
	"testing"

	"outpost/chart"
)

// TestSetUserRole: an administrator changes another user's role, audited;
// nobody changes their own, and the last active administrator keeps the
// role. The new role applies at the next sign-in and reaches B by sync.
func TestSetUserRole(t *testing.T) {
	ctx := context.Background()
	a, b := practicePair(t)
	nell := a.addUser(t, a.admin, "nell", chart.RoleNurse, "nurse passphrase 1")

	got := must(a.admin.SetUserRole(ctx, nell.ID, chart.RoleClinician))(t)
	if got.Role != chart.RoleClinician || got.ID != nell.ID {
		t.Fatalf("SetUserRole = %+v", got)
	}
	if s := a.signIn(t, "nell", "nurse passphrase 1"); s.User().Role != chart.RoleClinician || !chart.Can(s.User().Role, chart.ActPrescribe) {
		t.Fatalf("nell signs in as %s, want clinician", s.User().Role)
	}
	wantAudit(t, a.signIn(t, "ada", adminPass), chart.AuditUserAdmin, "changed the role of user nell from Nurse to Clinician")
	syncBoth(t, a, b)
	if s := b.signIn(t, "nell", "nurse passphrase 1"); s.User().Role != chart.RoleClinician {
		t.Fatalf("on B nell is %s, want clinician", s.User().Role)
	}

	ada := a.signIn(t, "ada", adminPass)
	_, err := ada.SetUserRole(ctx, ada.User().ID, chart.RoleClinician)
	wantErr(t, err, chart.EINVALID, "")
	_, err = ada.SetUserRole(ctx, nell.ID, "doctor")
	wantErr(t, err, chart.EINVALID, "role")
	_, err = ada.SetUserRole(ctx, chart.UserID(chart.NewUserID()), chart.RoleNurse)
	wantErr(t, err, chart.ENOTFOUND, "")
	_, err = a.signIn(t, "nell", "nurse passphrase 1").SetUserRole(ctx, ada.User().ID, chart.RoleNurse)
	wantErr(t, err, chart.EFORBIDDEN, "")

	// The last active administrator keeps the role, even against a
	// session that still holds the role its user has since lost.
	root2 := a.addUser(t, ada, "root2", chart.RoleAdministrator, "second admin passphrase")
	s2 := a.signIn(t, "root2", "second admin passphrase")
	must(s2.SetUserRole(ctx, ada.User().ID, chart.RoleClinician))(t) // two administrators: allowed
	_, err = ada.SetUserRole(ctx, root2.ID, chart.RoleNurse)         // ada's session still says administrator
	wantErr(t, err, chart.ECONFLICT, "")
	if u := userByID(t, s2, root2.ID); u.Role != chart.RoleAdministrator {
		t.Fatalf("the last administrator became %s", u.Role)
	}
	// An inactive administrator does not count, and may lose the role.
	must(s2.SetUserRole(ctx, ada.User().ID, chart.RoleAdministrator))(t)
	must(s2.SetUserActive(ctx, ada.User().ID, false))(t)
	_, err = ada.SetUserRole(ctx, root2.ID, chart.RoleNurse)
	wantErr(t, err, chart.ECONFLICT, "")
	must(s2.SetUserRole(ctx, ada.User().ID, chart.RoleNurse))(t)
}

func userByID(t *testing.T, s *Session, id chart.UserID) chart.User {
	t.Helper()
	for _, u := range must(s.Users(context.Background()))(t) {
		if u.ID == id {
			return u
		}
	}
	t.Fatalf("no user %s", id)
	return chart.User{}
}

func wantAudit(t *testing.T, s *Session, action chart.AuditAction, detail string) {
	t.Helper()
	for _, e := range must(s.Audit(context.Background(), chart.AuditFilter{Action: action}))(t) {
		if e.Detail == detail {
			return
		}
	}
	t.Fatalf("no %s audit entry %q", action, detail)
}

// TestUserCredentials: an administrator sets anyone's licence number and
// NPI, a user their own, nobody else's; they reach B by sync, and the
// prescriber's open session reads them (OwnProfile) without signing in
// again.
func TestUserCredentials(t *testing.T) {
	ctx := context.Background()
	a, b := practicePair(t)
	cleo := a.addUser(t, a.admin, "cleo", chart.RoleClinician, "clinician passphrase 1")
	nell := a.addUser(t, a.admin, "nell", chart.RoleNurse, "nurse passphrase 1")
	syncBoth(t, a, b)
	onB := b.signIn(t, "cleo", "clinician passphrase 1")

	got := must(a.admin.SetUserCredentials(ctx, cleo.ID, chart.Credentials{LicenceNumber: " CPSO 81234 ", NPI: "1234 567 893"}))(t)
	if got.LicenceNumber != "CPSO 81234" || got.NPI != "1234567893" {
		t.Fatalf("SetUserCredentials = %+v", got)
	}
	_, err := a.admin.SetUserCredentials(ctx, cleo.ID, chart.Credentials{NPI: "1234567890"})
	wantErr(t, err, chart.EINVALID, "npi")
	_, err = a.signIn(t, "nell", "nurse passphrase 1").SetUserCredentials(ctx, cleo.ID, chart.Credentials{LicenceNumber: "X1"})
	wantErr(t, err, chart.EFORBIDDEN, "")
	must(a.signIn(t, "nell", "nurse passphrase 1").SetUserCredentials(ctx, nell.ID, chart.Credentials{LicenceNumber: "RN 5521"}))(t)
	wantAudit(t, a.signIn(t, "ada", adminPass), chart.AuditUserAdmin, "set professional details (licence number, NPI) of user cleo")
	wantAudit(t, a.signIn(t, "ada", adminPass), chart.AuditUserAdmin, "set own professional details (licence number, NPI)")

	syncBoth(t, a, b)
	if p := must(onB.OwnProfile(ctx))(t); p.LicenceNumber != "CPSO 81234" || p.NPI != "1234567893" || p.Role != chart.RoleClinician {
		t.Fatalf("cleo's open session on B reads %+v", p)
	}
	if u := userByID(t, b.admin, nell.ID); u.LicenceNumber != "RN 5521" || u.NPI != "" {
		t.Fatalf("nell on B = %+v", u)
	}

	// Her own change on B reaches A; clearing the NPI clears it there.
	must(onB.SetUserCredentials(ctx, cleo.ID, chart.Credentials{LicenceNumber: "CPSO 81234"}))(t)
	syncBoth(t, a, b)
	if u := userByID(t, a.admin, cleo.ID); u.LicenceNumber != "CPSO 81234" || u.NPI != "" {
		t.Fatalf("cleo on A after her change on B = %+v", u)
	}

	// A profile written before credentials existed (an older Outpost on a
	// third workstation) leaves them as they are.
	writeLegacyUserProfile(t, b.admin, cleo.ID)
	syncBoth(t, a, b)
	if u := userByID(t, a.admin, cleo.ID); u.LicenceNumber != "CPSO 81234" || u.FullName != "Staff cleo" {
		t.Fatalf("cleo on A after an old-format profile = %+v", u)
	}
}

// writeLegacyUserProfile writes user id's profile as a new change the way
// Outpost wrote it before professional credentials: without those fields.
func writeLegacyUserProfile(t *testing.T, s *Session, id chart.UserID) {
	t.Helper()
	ctx := context.Background()
	err := s.w.write(ctx, func(tx *tx) error {
		u, err := loadExistingUser(ctx, tx, id)
		if err != nil {
			return err
		}
		parents, version, err := nextVersion(ctx, tx, kindUser, string(id))
		if err != nil {
			return err
		}
		pt := legacyJSON(t, userProfile{ID: u.ID, Username: u.syncName, FullName: u.FullName, Role: u.Role,
			Active: u.Active, CreatedAt: u.CreatedAt, UpdatedAt: tx.now, Box: u.box}, "licenceNumber", "npi")
		cid := chart.NewChangeID()
		env, err := json.Marshal(userEnvelope{V: userEnvelopeVersion, Profile: s.key.Seal(pt, recordAD(kindUser, string(id), version, cid))})
		if err != nil {
			return err
		}
		return s.pw().appendChange(ctx, tx, kindUser, string(id), version, parents, cid, env)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// legacyJSON is rec's JSON without the fields drop (as an older Outpost,
// which did not know them, wrote it).
func legacyJSON(t *testing.T, rec any, drop ...string) []byte {
	t.Helper()
	raw := must(json.Marshal(rec))(t)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range drop {
		if _, ok := m[f]; !ok {
			t.Fatalf("%T has no field %s to drop", rec, f)
		}
		delete(m, f)
	}
	return must(json.Marshal(m))(t)
}

// TestPracticeContact: the address and phone an administrator sets show in
// every session here and on B after a sync, are audited, and survive a
// practice change written before they existed.
func TestPracticeContact(t *testing.T) {
	ctx := context.Background()
	a, b := practicePair(t)
	p := must(a.admin.SetPracticeContact(ctx, chart.PracticeContact{Address: " 12 Mill Road \n Riverside ", Phone: "+1 613 555 0199"}))(t)
	if p.Address != "12 Mill Road\nRiverside" || p.Phone != "+1 613 555 0199" || p.Name != "Outpost Valley Clinic" {
		t.Fatalf("SetPracticeContact = %+v", p)
	}
	if got := a.admin.Practice(); got.Address != p.Address {
		t.Fatalf("the session shows %+v", got)
	}
	_, err := a.admin.SetPracticeContact(ctx, chart.PracticeContact{Phone: "call us"})
	wantErr(t, err, chart.EINVALID, "phone")
	nurse := a.addUser(t, a.admin, "nell", chart.RoleNurse, "nurse passphrase 1")
	_, err = a.signIn(t, nurse.Username, "nurse passphrase 1").SetPracticeContact(ctx, chart.PracticeContact{})
	wantErr(t, err, chart.EFORBIDDEN, "")
	wantAuditDetailAny(t, a.admin, "set the practice address and phone")

	syncBoth(t, a, b)
	if got := b.admin.Practice(); got.Address != "12 Mill Road\nRiverside" || got.Phone != "+1 613 555 0199" {
		t.Fatalf("B's open session shows %+v", got)
	}
	if got := b.signIn(t, "ada", adminPass).Practice(); got.Phone != "+1 613 555 0199" {
		t.Fatalf("B after signing in again: %+v", got)
	}

	// An older Outpost's practice change (no address, no phone, a new idle
	// lock) takes the idle lock and keeps the contact.
	writeLegacyPractice(t, b.admin, 33)
	syncBoth(t, a, b)
	if got := a.admin.Practice(); got.IdleLockMinutes != 33 || got.Address != "12 Mill Road\nRiverside" || got.Phone == "" {
		t.Fatalf("A after an old-format practice change: %+v", got)
	}
	// Clearing syncs as clearing.
	must(b.admin.SetPracticeContact(ctx, chart.PracticeContact{}))(t)
	syncBoth(t, a, b)
	if got := a.signIn(t, "ada", adminPass).Practice(); got.Address != "" || got.Phone != "" {
		t.Fatalf("A after B cleared the contact: %+v", got)
	}
}

// writeLegacyPractice writes the practice settings with idle lock minutes
// as an older Outpost did: without the address and phone.
func writeLegacyPractice(t *testing.T, s *Session, minutes int) {
	t.Helper()
	ctx := context.Background()
	err := s.w.write(ctx, func(tx *tx) error {
		rec, err := loadPracticeRecord(ctx, tx)
		if err != nil {
			return err
		}
		rec.IdleLockMinutes, rec.UpdatedAt = minutes, tx.now
		parents, version, err := nextVersion(ctx, tx, kindPractice, string(rec.ID))
		if err != nil {
			return err
		}
		cid := chart.NewChangeID()
		sealed := s.key.Seal(legacyJSON(t, rec, "address", "phone"), recordAD(kindPractice, string(rec.ID), version, cid))
		return s.pw().appendChange(ctx, tx, kindPractice, string(rec.ID), version, parents, cid, sealed)
	})
	if err != nil {
		t.Fatal(err)
	}
}
