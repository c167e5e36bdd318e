package transport

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// replyServer answers every request with status and body, counting them.
func replyServer(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	return ts, &hits
}

func clientFor(ts *httptest.Server, fp []byte) *Client {
	_, priv, _ := ed25519.GenerateKey(nil)
	return &Client{BaseURL: ts.URL, PinnedFingerprint: fp, DeviceID: chart.NewDeviceID(), PrivateKey: priv,
		PracticeID: chart.NewPracticeID()}
}

func TestPinningRefusesAnyOtherCertificate(t *testing.T) {
	ts, hits := replyServer(t, 500, `{"error":{"code":"internal","message":"boom"}}`)
	fp := sha256.Sum256(ts.Certificate().Raw)

	_, err := clientFor(ts, fp[:]).Pull(context.Background(), 0, 10, nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != 500 || !e.Temporary || e.Code != chart.EINTERNAL {
		t.Fatalf("pinned server's 500: %#v", err)
	}
	wrong := fp
	wrong[0] ^= 1
	_, err = clientFor(ts, wrong[:]).Pull(context.Background(), 0, 10, nil)
	if !errors.As(err, &e) || e.Status != 0 || e.Temporary || !strings.Contains(e.Message, "does not match") {
		t.Fatalf("wrong fingerprint: %#v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("%d requests reached the handler, want only the pinned one", hits.Load())
	}
}

func TestServerRefusalsBecomeActionableMessages(t *testing.T) {
	cases := []struct {
		status    int
		body      string
		code      string
		temporary bool
		says      string
	}{
		{426, `{"error":{"code":"incompatible","message":"x"}}`, chart.EINVALID, false, "Update Outpost"},
		{401, `{"error":{"code":"unauthorized","message":"x","reason":"clock_skew"}}`, chart.EUNAUTHORIZED, false, "Correct the date and time"},
		{401, `{"error":{"code":"unauthorized","message":"x","reason":"unknown_device"}}`, chart.EUNAUTHORIZED, false, "enrolment code"},
		{401, `{"error":{"code":"unauthorized","message":"x","reason":"replay"}}`, chart.EUNAUTHORIZED, true, "try again"},
		{413, `{"error":{"code":"too_large","message":"x"}}`, chart.EINVALID, false, "too large"},
		{502, `<html>bad gateway</html>`, chart.EINTERNAL, true, "safe on this workstation"},
		{401, `{"error":{"code":"unauthorized","message":"x","reason":"restarted"}}`, chart.EUNAUTHORIZED, true, "try again"},
		{401, `{"error":{"code":"unauthorized","message":"x","reason":"key_in_use"}}`, chart.EUNAUTHORIZED, false, "new enrolment code"},
		{503, `{"error":{"code":"busy","message":"x"}}`, chart.EINTERNAL, true, "busy"},
		{507, `{"error":{"code":"too_large","reason":"quota","message":"It holds 4.0 GiB; ask for a larger -device-quota."}}`, chart.EINVALID, false, "larger -device-quota"},
	}
	for _, tc := range cases {
		ts, _ := replyServer(t, tc.status, tc.body)
		fp := sha256.Sum256(ts.Certificate().Raw)
		_, err := clientFor(ts, fp[:]).Push(context.Background(), []wire.Change{validChange()})
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code || e.Temporary != tc.temporary || !strings.Contains(e.Message, tc.says) {
			t.Errorf("%d %s: got %#v", tc.status, tc.body, err)
		}
	}
}

// A busy server is not a failure: the error says so and carries when to
// come back.
func TestBusyReplyCarriesRetryAfter(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"error":{"code":"busy","message":"x"}}`)
	}))
	ts.StartTLS()
	t.Cleanup(ts.Close)
	fp := sha256.Sum256(ts.Certificate().Raw)
	_, err := clientFor(ts, fp[:]).Pull(context.Background(), 0, 10, nil)
	var e *Error
	if !errors.As(err, &e) || !e.Busy || !e.Temporary || e.RetryAfter != 3*time.Second {
		t.Fatalf("got %#v", err)
	}
}

func TestParseEnrollmentCodeGivesAHumanError(t *testing.T) {
	_, err := ParseEnrollmentCode("not a code")
	var e *Error
	if !errors.As(err, &e) || e.Code != chart.EINVALID || !strings.Contains(e.Message, "enrolment code is not valid") {
		t.Fatalf("got %#v", err)
	}
	if !errors.Is(err, wire.ErrInvalid) {
		t.Fatal("the cause should stay inspectable")
	}
}

func TestMalformedOutgoingChangeIsRefusedLocally(t *testing.T) {
	ts, hits := replyServer(t, 200, ``)
	fp := sha256.Sum256(ts.Certificate().Raw)
	bad := validChange()
	bad.Sealed = nil
	_, err := clientFor(ts, fp[:]).Push(context.Background(), []wire.Change{bad})
	var e *Error
	if !errors.As(err, &e) || e.Code != chart.EINVALID || hits.Load() != 0 {
		t.Fatalf("got %#v after %d requests", err, hits.Load())
	}
}

func validChange() wire.Change {
	return wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewPatientID()), Kind: "note",
		Version: 1, DeviceID: chart.NewDeviceID(), UserID: chart.NewUserID(),
		HLC: clock.Timestamp{Wall: 1}.String(), Sealed: []byte{1}}
}
