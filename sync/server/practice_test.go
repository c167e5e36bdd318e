package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server/storetest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// A new server belongs to no practice. A joining workstation cannot enrol
// before the practice's first workstation binds it; then another practice
// is refused, storing nothing and keeping the code usable, and joiners
// learn the bound practice.
func TestFirstEnrolmentBindsTheServerToItsPractice(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	wantIdentity(t, f, "")

	early := f.code(t, time.Hour)
	_, err := newDeviceClient(t, early).Enroll(ctx, early, "Joiner")
	var e *transport.Error
	if !errors.As(err, &e) || e.Status != 409 || e.Reason != wire.ReasonNoPractice ||
		!strings.Contains(e.Message, "connect the practice's first workstation, then join") {
		t.Fatalf("joining an unbound server: %#v", err)
	}
	wantDevices(t, f, 0)
	wantIdentity(t, f, "")

	first := newDeviceClient(t, early) // the refused join left the code usable
	resp, err := first.EnrollWith(ctx, early, "First", f.practice)
	if err != nil || resp.PracticeID != f.practice {
		t.Fatalf("first enrolment: %+v, %v", resp, err)
	}
	wantIdentity(t, f, f.practice)

	code := f.code(t, time.Hour)
	_, err = newDeviceClient(t, code).EnrollWith(ctx, code, "Stranger", chart.NewPracticeID())
	if !errors.As(err, &e) || e.Status != 401 || e.Code != chart.EUNAUTHORIZED || e.Reason != wire.ReasonWrongPractice ||
		!strings.Contains(e.Message, "this server belongs to another practice") {
		t.Fatalf("another practice: %#v", err)
	}
	wantDevices(t, f, 1)
	wantIdentity(t, f, f.practice)

	joiner := newDeviceClient(t, code) // same code: the refusal did not use it up
	if resp, err := joiner.Enroll(ctx, code, "Joiner"); err != nil || resp.PracticeID != f.practice {
		t.Fatalf("joining after the binding: %+v, %v", resp, err)
	}
	again := f.code(t, time.Hour)
	if _, err := newDeviceClient(t, again).EnrollWith(ctx, again, "Second", f.practice); err != nil {
		t.Fatalf("same practice again: %v", err)
	}
	wantDevices(t, f, 3)
	if _, err := joiner.Push(ctx, storetest.Changes(joiner.DeviceID, 1, "", 8)); err != nil {
		t.Fatalf("the server keeps serving after the refusals: %v", err)
	}
}

func TestEnrolmentWithAMalformedPracticeIsRefused(t *testing.T) {
	f := newFixture(t)
	code := f.code(t, time.Hour)
	c := newDeviceClient(t, code)
	req := wire.EnrollRequest{Code: code.TokenString(), DeviceID: c.DeviceID, DeviceName: "X",
		PublicKey: make([]byte, 32), PracticeID: "not-a-uuid"}
	if status, e := f.send(t, rawRequest{path: "/v1/enroll", body: gzipJSON(t, &req)}); status != 400 || e.Code != wire.CodeInvalid {
		t.Fatalf("malformed practice id: %d %+v", status, e)
	}
	wantIdentity(t, f, "")
	if _, err := c.EnrollWith(context.Background(), code, "X", f.practice); err != nil {
		t.Fatalf("good enrolment after the refusal: %v", err)
	}
}

func wantIdentity(t *testing.T, f *fixture, practice chart.PracticeID) {
	t.Helper()
	p, s, err := f.store.Identity(context.Background())
	if err != nil || p != string(practice) || !chart.ValidID(s) {
		t.Fatalf("identity = %q/%q, %v; want practice %q", p, s, err, practice)
	}
}

func wantDevices(t *testing.T, f *fixture, n int) {
	t.Helper()
	if d, err := f.store.Devices(context.Background()); err != nil || len(d) != n {
		t.Fatalf("%d devices (%v), want %d", len(d), err, n)
	}
}
