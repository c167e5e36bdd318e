package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// A signed request is good for the device, practice and server it was
// signed for only: replayed to another server that knows the same key and
// device id, or sent under another device's id, it is refused and stores
// nothing.
func TestSignatureIsBoundToItsDeviceAndServer(t *testing.T) {
	dirA, dirB := initDir(t), initDir(t)
	a, b := startServer(t, dirA), startServer(t, dirB)
	onA := enrolClient(t, enrolCode(t, dirA, a.addr), nil)
	// The same workstation (key and device id) enrolled with a second
	// server, of another practice.
	parsedB, _ := transport.ParseEnrollmentCode(enrolCode(t, dirB, b.addr))
	onB := transport.NewClient(parsedB, onA.DeviceID, onA.PrivateKey)
	if _, err := onB.EnrollWith(context.Background(), parsedB, "Reception", chart.NewPracticeID()); err != nil {
		t.Fatal(err)
	}
	other, err := enrolWithKey(t, dirA, a.addr, chart.NewDeviceID(), newKey())
	if err != nil {
		t.Fatal(err)
	}
	body := gzipped(t, &wire.PushRequest{Changes: makeChanges(onA.DeviceID, 1, 16)})
	forA := signed(t, onA, audienceOf(onA), "/v1/push", body, time.Now())

	status, e := post(t, onB.BaseURL, onB.PinnedFingerprint, rawRequest{path: "/v1/push", body: bytes.NewReader(body), headers: forA})
	if status != http.StatusUnauthorized || e.Reason != wire.ReasonBadSignature {
		t.Errorf("request for server A replayed to server B: got %d %+v, want 401 bad_signature", status, e)
	}
	asOther := map[string]string{}
	for k, v := range forA {
		asOther[k] = v
	}
	asOther[wire.HeaderDevice] = string(other.DeviceID)
	status, e = post(t, onA.BaseURL, onA.PinnedFingerprint, rawRequest{path: "/v1/push", body: bytes.NewReader(body), headers: asOther})
	if status != http.StatusUnauthorized || e.Reason != wire.ReasonBadSignature {
		t.Errorf("request sent under another device id: got %d %+v, want 401 bad_signature", status, e)
	}
	if na, nb := storedCount(t, dirA), storedCount(t, dirB); na != 0 || nb != 0 {
		t.Fatalf("%d and %d changes stored by refused requests", na, nb)
	}
	if status, e := post(t, onA.BaseURL, onA.PinnedFingerprint, rawRequest{path: "/v1/push", body: bytes.NewReader(body), headers: forA}); status != 200 {
		t.Fatalf("the request where it was meant to go: %d %+v", status, e)
	}
}

// A key is one device: enrolling it again under a new device id is
// refused, and once revoked it is refused under any id, forever.
func TestRevokedKeyCannotComeBackUnderAnotherDeviceID(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	ctx := context.Background()
	_, err := enrolWithKey(t, dir, s.addr, chart.NewDeviceID(), c.PrivateKey)
	if !isReason(err, wire.ReasonKeyInUse) {
		t.Fatalf("the same key under a second device id: got %v, want key_in_use", err)
	}
	runCmd(t, "devices", "revoke", "-dir", dir, string(c.DeviceID))
	again, err := enrolWithKey(t, dir, s.addr, chart.NewDeviceID(), c.PrivateKey)
	var he *transport.Error
	if !errors.As(err, &he) || he.Reason != wire.ReasonKeyInUse || !strings.Contains(he.Message, "new enrolment code") {
		t.Fatalf("the revoked key re-enrolled under a new device id: got %v, want key_in_use", err)
	}
	again.PracticeID = c.PracticeID
	if _, err := again.Push(ctx, makeChanges(again.DeviceID, 1, 8)); !isReason(err, wire.ReasonUnknownDevice) {
		t.Fatalf("a push under the refused id: %v", err)
	}
	if _, err := c.Pull(ctx, 0, 10, nil); !isReason(err, wire.ReasonRevoked) {
		t.Fatalf("the revoked device: %v", err)
	}
	if _, err := enrolWithKey(t, dir, s.addr, chart.NewDeviceID(), newKey()); err != nil {
		t.Fatalf("a new key enrols: %v", err)
	}
}

// A request captured and replayed after the server restarts (clean stop
// or kill -9) is refused; the workstation's own retry is signed anew and
// accepted. A request stamped ahead of the server's clock (a workstation
// clock running fast) stays refused across both kinds of restart.
func TestRestartDoesNotReopenTheReplayWindow(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	ctx := context.Background()
	for _, crash := range []bool{false, true} {
		body := gzipped(t, &wire.PullRequest{Limit: 10})
		now := signed(t, c, audienceOf(c), "/v1/pull", body, time.Now())
		fast := signed(t, c, audienceOf(c), "/v1/pull", body, time.Now().Add(3*time.Minute))
		slightlyFast := signed(t, c, audienceOf(c), "/v1/pull", body, time.Now().Add(time.Second))
		for _, h := range []map[string]string{now, fast, slightlyFast} {
			if status, e := post(t, c.BaseURL, c.PinnedFingerprint, rawRequest{path: "/v1/pull", body: bytes.NewReader(body), headers: h}); status != 200 {
				t.Fatalf("first send: %d %+v", status, e)
			}
		}
		if crash {
			s.kill(t)
		} else if err := s.stop(t); err != nil {
			t.Fatal(err)
		}
		s = startServer(t, dir)
		c.BaseURL, c.HTTP = "https://"+s.addr, nil
		want := map[string]struct {
			h      map[string]string
			reason string
		}{
			"signed before the restart": {now, wire.ReasonRestarted},
			"stamped 3 minutes ahead":   {fast, wire.ReasonReplay},
		}
		// Stamped after or before the new start depending on how long the
		// restart took: refused as a replay (its nonce kept by the clean
		// stop) or as signed before the start; TestNoncesSurviveACleanStop
		// checks the first case exactly.
		want["stamped 1 second ahead"] = struct {
			h      map[string]string
			reason string
		}{slightlyFast, wire.ReasonReplay + "|" + wire.ReasonRestarted}
		for name, w := range want {
			status, e := post(t, c.BaseURL, c.PinnedFingerprint, rawRequest{path: "/v1/pull", body: bytes.NewReader(body), headers: w.h})
			if status != http.StatusUnauthorized || e.Reason == "" || !strings.Contains("|"+w.reason+"|", "|"+e.Reason+"|") {
				t.Errorf("crash=%v: replay of the request %s: got %d %+v, want 401 %s", crash, name, status, e, w.reason)
			}
		}
		if crash {
			afterCrash()
		}
		if _, err := c.Pull(ctx, 0, 10, nil); err != nil {
			t.Fatalf("crash=%v: the workstation's own request after the restart: %v", crash, err)
		}
	}
}

// A device name that would forge a row of `outpost-server devices` or
// reorder its text is refused at enrolment; and names stored before this
// check are listed escaped, one row each.
func TestDeviceNamesCannotForgeTheDevicesListing(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	fake := "Reception\n0190f1a0-0000-7000-8000-0000000000ff  Admin PC  2025-01-01 10:00  never  active"
	for _, name := range []string{fake, "Exam \u202eroom", "Front\u200bdesk"} {
		code, _ := transport.ParseEnrollmentCode(enrolCode(t, dir, s.addr))
		req := wire.EnrollRequest{Code: code.TokenString(), DeviceID: chart.NewDeviceID(), DeviceName: name, PublicKey: newKey().Public().(ed25519.PublicKey)}
		status, e := post(t, c.BaseURL, c.PinnedFingerprint, rawRequest{path: "/v1/enroll", body: bytes.NewReader(gzipped(t, rawEnrol(req)))})
		if status != http.StatusBadRequest || !strings.Contains(e.Message, "invisible characters") {
			t.Errorf("name %q: got %d %+v, want 400 naming the character", name, status, e)
		}
	}
	if n := deviceRows(t, dir); n != 1 {
		t.Fatalf("%d devices after the refused names, want 1", n)
	}
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dbPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{fake, "Exam \u202eroom\tx"} {
		_, err := db.Exec(`INSERT INTO devices (id, name, public_key, enrolled_at) VALUES (?, ?, ?, ?)`,
			string(chart.NewDeviceID()), name, []byte{byte(i)}, "2025-01-01T10:00:00.000000000Z")
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	listing := runCmd(t, "devices", "-dir", dir)
	if n := deviceRows(t, dir); n != 3 || strings.Contains(listing, "\u202e") || strings.Contains(listing, "x\t") ||
		!strings.Contains(listing, `"Reception\n0190f1a0`) || !strings.Contains(listing, `"Exam \u202eroom\tx"`) {
		t.Fatalf("devices listing (%d rows):\n%s", n, listing)
	}
}

// rawEnrol is req as JSON fields, past the client's own name check.
func rawEnrol(req wire.EnrollRequest) map[string]any {
	return map[string]any{"code": req.Code, "deviceId": req.DeviceID, "deviceName": req.DeviceName, "publicKey": req.PublicKey}
}

func newKey() ed25519.PrivateKey {
	_, priv, _ := ed25519.GenerateKey(nil)
	return priv
}

func isReason(err error, reason string) bool {
	var he *transport.Error
	return errors.As(err, &he) && he.Reason == reason
}
