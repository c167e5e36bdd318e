// Package servertest runs a real practice server (the server package's store and
// handlers over TLS) in process, for the tests of the workstation side:
// the sync loop, the store, the app. It can be stopped and restarted on the
// same address with the same certificate, as a server that goes out of
// reach and comes back.
package servertest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// Server is a practice server in process. Its store outlives Stop.
type Server struct {
	Store *server.Store
	Dir   string
	// Practice is the practice Enroll names (EnrollAs names another); the
	// first enrolment binds the server to its practice.
	Practice chart.PracticeID

	// Sync is the protocol server (its ledger, quota and limits).
	Sync *server.Server

	handler http.Handler
	addr    string
	fp      [32]byte

	mu gosync.Mutex
	ts *httptest.Server // nil while stopped
}

// Start opens a fresh server store in a temp dir and serves it over TLS on
// loopback until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t, server.Options{})
}

// StartWith is Start with server options (quota, memory, ...); the
// fingerprint is set here.
func StartWith(t testing.TB, o server.Options) *Server {
	t.Helper()
	dir := t.TempDir()
	store, err := server.Open(context.Background(), filepath.Join(dir, "server.db"))
	if err != nil {
		t.Fatalf("open server store: %v", err)
	}
	s := StartOn(t, store, o)
	s.Dir = dir
	return s
}

// StartOn serves store (SQLite or PostgreSQL), closing it when the test
// ends.
func StartOn(t testing.TB, store *server.Store, o server.Options) *Server {
	t.Helper()
	s := &Server{Store: store, Practice: chart.NewPracticeID()}
	// The handler needs the certificate's fingerprint, known once serving.
	var real http.Handler
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { real.ServeHTTP(w, r) })
	t.Cleanup(func() {
		s.Stop()
		store.Close()
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s.serve(ln)
	s.addr = ln.Addr().String()
	s.fp = sha256.Sum256(s.ts.Certificate().Raw)
	srv, err := server.NewServer(context.Background(), store, slog.New(slog.NewTextHandler(io.Discard, nil)),
		withFingerprint(o, s.fp[:]))
	if err != nil {
		t.Fatalf("start sync server: %v", err)
	}
	s.Sync, real = srv, srv.Handler()
	return s
}

func (s *Server) serve(ln net.Listener) {
	ts := httptest.NewUnstartedServer(s.handler)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	s.mu.Lock()
	s.ts = ts
	s.mu.Unlock()
}

// Addr is host:port.
func (s *Server) Addr() string { return s.addr }

// Fingerprint is the SHA-256 of the server's certificate (the same across
// restarts: httptest's fixed test certificate).
func (s *Server) Fingerprint() [32]byte { return s.fp }

// Stop closes the listener and every connection: the server is out of
// reach until Restart. Safe to call twice.
func (s *Server) Stop() {
	s.mu.Lock()
	ts := s.ts
	s.ts = nil
	s.mu.Unlock()
	if ts != nil {
		ts.CloseClientConnections()
		ts.Close()
	}
}

// Restart serves again on the same address, certificate and store.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	// The port was just released; another process taking it meanwhile is
	// unlikely on loopback, but a few tries cover a slow close.
	for range 50 {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("listen again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// Code issues a single-use enrolment code valid for an hour, as
// `outpost-server enroll` prints it.
func (s *Server) Code(t testing.TB) wire.EnrollmentCode {
	t.Helper()
	return s.CodeFor(t, "")
}

// CodeFor is Code for practice, as `outpost-server enroll -practice`
// makes it: "" the default practice, server.NewPractice a new one.
func (s *Server) CodeFor(t testing.TB, practice string) wire.EnrollmentCode {
	t.Helper()
	tok, err := s.Store.NewEnrollmentTokenFor(context.Background(), practice, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatalf("new enrolment token: %v", err)
	}
	return wire.EnrollmentCode{Addr: s.addr, Fingerprint: s.fp, Token: tok}
}

// Enroll registers device of s.Practice with a new key and returns its
// client.
func (s *Server) Enroll(t testing.TB, device chart.DeviceID, name string) *transport.Client {
	t.Helper()
	return s.EnrollAs(t, s.Practice, device, name)
}

// EnrollAs registers device of practice (a workstation's own practice;
// "" for one joining the practice the server is bound to) with a new key.
func (s *Server) EnrollAs(t testing.TB, practice chart.PracticeID, device chart.DeviceID, name string) *transport.Client {
	t.Helper()
	return s.EnrollWith(t, s.Code(t), practice, device, name)
}

// EnrollWith registers device of practice with code and a new key.
func (s *Server) EnrollWith(t testing.TB, code wire.EnrollmentCode, practice chart.PracticeID, device chart.DeviceID, name string) *transport.Client {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := transport.NewClient(code, device, priv)
	if _, err := c.EnrollWith(context.Background(), code, name, practice); err != nil {
		t.Fatalf("enrol %s: %v", name, err)
	}
	return c
}

// Identity is the sync identity of client c, as a workstation stores it.
func Identity(c *transport.Client, addr string) wire.SyncIdentity {
	return wire.SyncIdentity{ServerAddr: addr, Fingerprint: c.PinnedFingerprint, DeviceID: c.DeviceID,
		PrivateKey: c.PrivateKey, PracticeID: c.PracticeID, EnrolledAt: time.Now()}
}

func withFingerprint(o server.Options, fp []byte) server.Options {
	o.Fingerprint = fp
	return o
}
