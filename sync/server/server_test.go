package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server/storetest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

func TestPushThenPullInPagesIsIdempotent(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	ctx := context.Background()
	batch := storetest.Changes(c.DeviceID, 1000, chart.NewPatientID(), 64)
	acks, err := c.Push(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range acks {
		if a.ChangeID != batch[i].ChangeID || a.Seq != int64(i+1) {
			t.Fatalf("ack %d = %+v, want seq %d for %s", i, a, i+1, batch[i].ChangeID)
		}
	}
	again, err := c.Push(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if again[i] != acks[i] {
			t.Fatalf("re-push ack %d = %+v, want %+v", i, again[i], acks[i])
		}
	}
	if n := f.count(t); n != 1000 {
		t.Fatalf("%d changes stored after a repeated push, want 1000", n)
	}
	var got []wire.Change
	after, pages := int64(0), 0
	for more := true; more; pages++ {
		page, err := c.Pull(ctx, after, 300, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, after, more = append(got, page.Changes...), page.Next, page.More
	}
	if pages != 4 || len(got) != 1000 || after != 1000 {
		t.Fatalf("pulled %d changes in %d pages ending at %d", len(got), pages, after)
	}
	for i := range got {
		if got[i].ChangeID != batch[i].ChangeID || !bytes.Equal(got[i].Sealed, batch[i].Sealed) || got[i].HLC != batch[i].HLC {
			t.Fatalf("pulled change %d differs from pushed", i)
		}
	}
	if d, _ := f.store.Device(ctx, string(c.DeviceID)); !d.LastSeenAt.IsZero() {
		t.Fatalf("last seen was written per request, before a flush: %+v", d)
	}
	if err := f.server.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if d, _ := f.store.Device(ctx, string(c.DeviceID)); d.LastSeenAt.IsZero() || d.Name != "Front desk" {
		t.Fatalf("device after sync: %+v", d)
	}
}

func TestPullFiltersByPatientButAlwaysSendsPracticeWide(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	ctx := context.Background()
	a, b := chart.NewPatientID(), chart.NewPatientID()
	batch := append(storetest.Changes(c.DeviceID, 3, a, 8), storetest.Changes(c.DeviceID, 4, b, 8)...)
	batch = append(batch, storetest.Changes(c.DeviceID, 2, "", 8)...)
	if _, err := c.Push(ctx, batch); err != nil {
		t.Fatal(err)
	}
	page, err := c.Pull(ctx, 0, 100, []chart.PatientID{a})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 5 || page.More {
		t.Fatalf("got %d changes (more=%v), want patient a's 3 + 2 practice-wide", len(page.Changes), page.More)
	}
	for _, ch := range page.Changes {
		if ch.PatientID != a && ch.PatientID != "" {
			t.Fatalf("patient filter leaked %s", ch.PatientID)
		}
	}
	if page.Next != 9 {
		t.Fatalf("next = %d, want the last matching seq 9", page.Next)
	}
}

func TestPullPageIsCappedBySize(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	ctx := context.Background()
	// Scaled down from the default 16 MiB cap to keep the test fast.
	f.server.MaxPullBytes = 120 << 10
	big := storetest.Changes(c.DeviceID, 3, "", 40<<10) // ~54 KiB each once base64'd
	if _, err := c.Push(ctx, big); err != nil {
		t.Fatal(err)
	}
	page, err := c.Pull(ctx, 0, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 2 || !page.More || page.Next != 2 {
		t.Fatalf("got %d changes, more=%v, next=%d; want a 2-change page and more", len(page.Changes), page.More, page.Next)
	}
}

func TestEnrollmentCodesAreSingleUseAndExpire(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	code := f.code(t, time.Hour)

	bad := newDeviceClient(t, code)
	blank := wire.EnrollRequest{Code: code.TokenString(), DeviceID: bad.DeviceID, DeviceName: "  ",
		PublicKey: bad.PrivateKey.Public().(ed25519.PublicKey)}
	if status, e := f.send(t, rawRequest{path: "/v1/enroll", body: gzipJSON(t, &blank)}); status != 400 || e.Code != wire.CodeInvalid {
		t.Fatalf("blank device name: %d %+v", status, e)
	}
	first := newDeviceClient(t, code)
	if _, err := first.EnrollWith(ctx, code, "Exam room", f.practice); err != nil {
		t.Fatalf("a failed enrolment must leave the code usable: %v", err)
	}
	second := newDeviceClient(t, code)
	if _, err := second.Enroll(ctx, code, "Exam room 2"); !isReason(err, wire.ReasonBadCode) {
		t.Fatalf("reused code: %v", err)
	}
	expiring := f.code(t, time.Hour)
	f.server.Now = func() time.Time { return time.Now().Add(61 * time.Minute) }
	if _, err := newDeviceClient(t, expiring).Enroll(ctx, expiring, "Late"); !isReason(err, wire.ReasonBadCode) {
		t.Fatalf("expired code: %v", err)
	}
	devices, _ := f.store.Devices(ctx)
	if len(devices) != 1 || devices[0].ID != string(first.DeviceID) {
		t.Fatalf("devices = %+v, want only the first", devices)
	}
}

func TestRevokedDeviceIsRefusedWithAClearMessage(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	ctx := context.Background()
	if err := f.store.Revoke(ctx, string(c.DeviceID), time.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := c.Push(ctx, storetest.Changes(c.DeviceID, 1, "", 8))
	var e *transport.Error
	if !errors.As(err, &e) || e.Status != 401 || e.Code != chart.EUNAUTHORIZED ||
		e.Message != "The practice server refused this workstation: it has been revoked. Ask your administrator to enrol it again." {
		t.Fatalf("revoked push: %#v", err)
	}
	if _, err := c.Pull(ctx, 0, 10, nil); !isReason(err, wire.ReasonRevoked) {
		t.Fatalf("revoked pull: %v", err)
	}
	if f.count(t) != 0 {
		t.Fatal("a revoked device's push was stored")
	}
}

func TestWrongPinnedCertificateSendsNothing(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	wrong := *c
	wrong.PinnedFingerprint = make([]byte, 32)
	wrong.HTTP = nil
	_, err := wrong.Push(context.Background(), storetest.Changes(c.DeviceID, 1, "", 8))
	var e *transport.Error
	if !errors.As(err, &e) || e.Status != 0 || e.Code != chart.EUNAUTHORIZED || e.Temporary {
		t.Fatalf("pin mismatch: %#v", err)
	}
	if f.count(t) != 0 {
		t.Fatal("stored a change sent to an unpinned server")
	}
}

func isReason(err error, reason string) bool {
	var e *transport.Error
	return errors.As(err, &e) && e.Status == 401 && e.Reason == reason
}
