package app_test

import (
	"context"
	"testing"

	"outpost/app"
	"outpost/chart"
)

// TestMergeThroughTheApp: the bound methods preview, merge, list and undo
// on a real store, refuse a malformed id in words, and refuse a front
// desk user behind the UI.
func TestMergeThroughTheApp(t *testing.T) {
	a := newApp(t, app.Options{Events: &recorder{}})
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	reg := func(phone string) chart.Patient {
		p, err := a.Patients.Register(chart.Patient{GivenName: "Ivo", FamilyName: "Brandt", BirthDate: "2001-02-03", Phone: phone})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	keep, dup := reg("555 0101"), reg("555 0102")
	if _, err := a.Patients.Merge(string(keep.ID), "not an id"); code(err) != chart.EINVALID {
		t.Fatalf("a malformed id: %v", err)
	}
	pre, err := a.Patients.PreviewMerge(string(keep.ID), string(dup.ID))
	if err != nil || pre.Reason == "" || len(pre.Differences) != 1 {
		t.Fatalf("preview %+v, %v", pre, err)
	}
	if _, err := a.Patients.Merge(string(keep.ID), string(dup.ID)); err != nil {
		t.Fatal(err)
	}
	if found, _ := a.Patients.FindWith("Brandt", false); found.Total != 1 {
		t.Fatalf("after the merge the list holds %d, want the kept chart only", found.Total)
	}
	if found, _ := a.Patients.FindWith("Brandt", true); found.Total != 2 {
		t.Fatalf("with inactive the list holds %d, want both", found.Total)
	}
	if p, err := a.Patients.UndoMerge(string(dup.ID)); err != nil || p.Merged != nil {
		t.Fatalf("undo: %+v, %v", p.Merged, err)
	}
	if _, err := a.Admin.AddUser(chart.NewUser{FullName: "Fran Desk", Username: "fran", Role: chart.RoleFrontDesk, Passphrase: "front desk passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session.SignIn("fran", "front desk passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Patients.Merge(string(keep.ID), string(dup.ID)); code(err) != chart.EFORBIDDEN {
		t.Fatalf("the front desk merged: %v", err)
	}
}
