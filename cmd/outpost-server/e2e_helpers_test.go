package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"outpost/chart"
	"outpost/internal/pgtest"
	"outpost/sync/clock"
	"outpost/sync/server"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// serverBinary is built once by TestMain: the tests run the real program.
var serverBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "outpost-server-test")
	if err != nil {
		panic(err)
	}
	serverBinary = filepath.Join(dir, "outpost-server")
	build := exec.Command("go", "build", "-o", serverBinary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // also proves it builds without cgo
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic("build outpost-server: " + err.Error())
	}
	code := pgtest.Main(m) // stops the PostgreSQL the tests started, if any
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCmd runs one admin subcommand of the binary and returns its stdout.
func runCmd(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(serverBinary, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("outpost-server %v: %v\n%s", args, err, errOut.String())
	}
	return out.String()
}

// runningServer is a running `outpost-server serve`.
type runningServer struct {
	cmd     *exec.Cmd
	addr    string
	metrics string // host:port of -metrics, if given
	stderr  *syncBuffer
	done    chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer starts serve on a free loopback port, with any further
// flags, and waits for the address it prints.
func startServer(t *testing.T, dir string, flags ...string) *runningServer {
	t.Helper()
	s := &runningServer{stderr: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(serverBinary, append([]string{"serve", "-dir", dir, "-addr", "127.0.0.1:0"}, flags...)...)
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "Metrics on http://"); ok {
			s.metrics = strings.TrimSuffix(a, "/metrics")
		}
		if a, ok := strings.CutPrefix(lines.Text(), "Listening on https://"); ok {
			s.addr = a
			break
		}
	}
	if s.addr == "" {
		s.cmd.Process.Kill()
		t.Fatalf("server did not print its address; stderr:\n%s", s.stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() { s.cmd.Process.Kill(); <-s.done })
	return s
}

// stop sends SIGTERM and returns the exit error (nil for a clean stop).
func (s *runningServer) stop(t *testing.T) error {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
		return nil
	}
}

// kill sends SIGKILL: no shutdown code runs, as in a power cut.
func (s *runningServer) kill(t *testing.T) {
	t.Helper()
	s.cmd.Process.Kill()
	err := <-s.done
	s.done <- err
}

// afterCrash waits out the margin a server restarted after a crash keeps
// (it refuses requests signed in its first server.RestartMargin; a
// workstation retries them): the kill tests then check the first retry.
func afterCrash() { time.Sleep(server.RestartMargin) }

// initDir runs init and returns the data dir.
func initDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "server")
	out := runCmd(t, "init", "-dir", dir)
	if !strings.Contains(out, "Certificate SHA-256 fingerprint: ") {
		t.Fatalf("init printed %q", out)
	}
	return dir
}

// enrolCode runs enroll (with any further flags: -store, -practice) and
// returns the code, which it prints on its first line.
func enrolCode(t *testing.T, dir, addr string, flags ...string) string {
	t.Helper()
	out := runCmd(t, append([]string{"enroll", "-dir", dir, "-addr", addr}, flags...)...)
	return strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
}

// enrolClient enrols a new device with code, sending through rt,
// naming a new practice: the server must be unbound or already bound to it.
func enrolClient(t *testing.T, code string, rt http.RoundTripper) *transport.Client {
	t.Helper()
	parsed, err := transport.ParseEnrollmentCode(code)
	if err != nil {
		t.Fatal(err)
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	c := transport.NewClient(parsed, chart.NewDeviceID(), priv)
	c.IncludeOwn = true // these tests read back what they pushed
	if rt != nil {
		c.HTTP = &http.Client{Transport: rt, Timeout: time.Minute}
	}
	if _, err := c.EnrollWith(context.Background(), parsed, "Reception", chart.NewPracticeID()); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	return c
}

func makeChanges(dev chart.DeviceID, n, sealedLen int) []wire.Change {
	out := make([]wire.Change, n)
	user, patient := chart.NewUserID(), chart.NewPatientID()
	for i := range out {
		sealed := make([]byte, sealedLen)
		rand.Read(sealed)
		out[i] = wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewPatientID()), Kind: "vitals",
			PatientID: patient, Version: 1, DeviceID: dev, UserID: user,
			HLC: clock.Timestamp{Wall: time.Now().UnixMilli(), Logical: uint32(i)}.String(), Sealed: sealed}
	}
	return out
}

// pullAll pulls everything in pages of pageSize.
func pullAll(t *testing.T, c *transport.Client, pageSize int) []wire.Change {
	t.Helper()
	var all []wire.Change
	after := int64(0)
	for {
		page, err := c.Pull(context.Background(), after, pageSize, nil)
		if err != nil {
			t.Fatal(err)
		}
		all, after = append(all, page.Changes...), page.Next
		if !page.More {
			return all
		}
	}
}

// recorder keeps a copy of every request body it forwards.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent bytes.Buffer
	// v2 holds the protocol 2 bodies by path, to be decoded (their
	// metadata is deflated inside the frame).
	v2 []recordedFrame
}

type recordedFrame struct {
	path string
	body []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		if req.Header.Get(wire.HeaderProtocol) == "2" {
			r.v2 = append(r.v2, recordedFrame{req.URL.Path, body})
		} else {
			r.sent.Write(body)
		}
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	return r.next.RoundTrip(req)
}
