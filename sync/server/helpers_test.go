package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

type fixture struct {
	store    *server.Store
	server   *server.Server
	ts       *httptest.Server
	fp       [32]byte
	practice chart.PracticeID // named by enroll: the first enrolment binds the server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, server.Options{})
}

// newFixtureWith starts a server with options o (the fingerprint is set
// here).
func newFixtureWith(t *testing.T, o server.Options) *fixture {
	t.Helper()
	store, err := server.Open(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	// The server needs the certificate's fingerprint, known once serving.
	var real http.Handler
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { real.ServeHTTP(w, r) }))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the pin test's refused handshakes
	ts.StartTLS()
	t.Cleanup(ts.Close)
	fp := sha256.Sum256(ts.Certificate().Raw)
	o.Fingerprint = fp[:]
	server, err := server.NewServer(context.Background(), store, slog.New(slog.NewTextHandler(io.Discard, nil)), o)
	if err != nil {
		t.Fatal(err)
	}
	real = server.Handler()
	return &fixture{store: store, server: server, ts: ts, fp: fp, practice: chart.NewPracticeID()}
}

// code makes a fresh enrolment code for this server.
func (f *fixture) code(t *testing.T, ttl time.Duration) wire.EnrollmentCode {
	t.Helper()
	tok, err := f.store.NewEnrollmentToken(context.Background(), time.Now().Add(ttl))
	if err != nil {
		t.Fatal(err)
	}
	return wire.EnrollmentCode{Addr: f.ts.Listener.Addr().String(), Fingerprint: f.fp, Token: tok}
}

func newDeviceClient(t *testing.T, code wire.EnrollmentCode) *transport.Client {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := transport.NewClient(code, chart.NewDeviceID(), priv)
	c.IncludeOwn = true // these tests read back what they pushed
	return c
}

// enroll makes and enrols a new device.
func (f *fixture) enroll(t *testing.T) *transport.Client {
	t.Helper()
	code := f.code(t, time.Hour)
	c := newDeviceClient(t, code)
	if _, err := c.EnrollWith(context.Background(), code, "Front desk", f.practice); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	return c
}

func (f *fixture) count(t *testing.T) int64 {
	t.Helper()
	n, err := f.store.ChangeCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rawRequest is a hand-built request, for the refusals a correct client
// never makes.
type rawRequest struct {
	path    string
	body    []byte
	headers map[string]string
	signer  *transport.Client // signs body as this device, if set
	signAt  time.Time
}

func gzipJSON(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := wire.Encode(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// send posts r and returns the status and decoded error body (if any).
func (f *fixture) send(t *testing.T, r rawRequest) (int, wire.ErrorBody) {
	t.Helper()
	return f.do(t, f.request(t, r))
}

// request builds r as a v1 request, signed when r.signer is set.
func (f *fixture) request(t *testing.T, r rawRequest) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.ts.URL+r.path, bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(wire.HeaderProtocol, "1")
	if r.signer != nil {
		at := r.signAt
		if at.IsZero() {
			at = time.Now()
		}
		a, err := wire.SignRequest(r.signer.PrivateKey, string(r.signer.DeviceID), audience(r.signer), http.MethodPost, r.path, r.body, at)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set(wire.HeaderDevice, a.DeviceID)
		req.Header.Set(wire.HeaderTimestamp, a.Timestamp)
		req.Header.Set(wire.HeaderNonce, a.Nonce)
		req.Header.Set(wire.HeaderSignature, a.Signature)
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	return req
}

func (f *fixture) do(t *testing.T, req *http.Request) (int, wire.ErrorBody) {
	t.Helper()
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e wire.ErrorResponse
	if resp.StatusCode != http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
			t.Fatalf("status %d with an unreadable error body: %v", resp.StatusCode, err)
		}
	}
	return resp.StatusCode, e.Error
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// audience is the server c signs for.
func audience(c *transport.Client) wire.Audience {
	return wire.Audience{PracticeID: string(c.PracticeID), Fingerprint: c.PinnedFingerprint}
}
