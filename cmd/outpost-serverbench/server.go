package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// benchServer is a running `outpost-server serve` in a temporary directory.
type benchServer struct {
	binary, dir, addr string
	cmd               *exec.Cmd
	bound             bool // a workstation has bound it to a practice
	ownsDir           bool // stop removes dir (several processes may share one)
}

// startServer initialises a server in a new temporary directory (init's
// extra flags: initFlags) and serves it.
func startServer(binary string, flags []string, initFlags ...string) (*benchServer, error) {
	dir, err := initServerDir(binary, initFlags)
	if err != nil {
		return nil, err
	}
	s, err := spawnServer(binary, dir, flags)
	if s != nil {
		s.ownsDir = true
	}
	if err != nil {
		os.RemoveAll(filepath.Dir(dir))
	}
	return s, err
}

// initServerDir runs `outpost-server init` in a new temporary directory.
func initServerDir(binary string, initFlags []string) (string, error) {
	tmp, err := os.MkdirTemp("", "outpost-serverbench")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(tmp, "server")
	s := &benchServer{binary: binary}
	if _, err := s.admin(append([]string{"init", "-dir", dir}, initFlags...)...); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return dir, nil
}

// spawnServer runs `outpost-server serve` on dir and a free loopback port.
func spawnServer(binary, dir string, flags []string) (*benchServer, error) {
	s := &benchServer{binary: binary, dir: dir}
	s.cmd = exec.Command(binary, append([]string{"serve", "-dir", s.dir, "-addr", "127.0.0.1:0"}, flags...)...)
	s.cmd.Stderr = io.Discard // one log line per request
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "Listening on https://"); ok {
			s.addr = a
			break
		}
	}
	if s.addr == "" {
		s.stop()
		return nil, fmt.Errorf("the server did not print its address (serve flags %v)", flags)
	}
	go io.Copy(io.Discard, out)
	return s, nil
}

func (s *benchServer) admin(args ...string) (string, error) {
	out, err := exec.Command(s.binary, args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("outpost-server %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (s *benchServer) pid() int { return s.cmd.Process.Pid }

func (s *benchServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
		}
	}
	if s.ownsDir {
		os.RemoveAll(filepath.Dir(s.dir))
	}
}

// status reads one kB field of /proc/PID/status, in bytes.
func (s *benchServer) status(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return -1
}

func (s *benchServer) peak() int64 { return s.status("VmHWM") }
func (s *benchServer) rss() int64  { return s.status("VmRSS") }

// enrol enrols a new workstation; the first names a new practice and
// binds the server, the others join it.
func (s *benchServer) enrol() (*transport.Client, error) {
	code, err := s.code()
	if err != nil {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	c := transport.NewClient(code, chart.NewDeviceID(), priv)
	practice := chart.PracticeID("")
	if !s.bound {
		practice = chart.NewPracticeID()
	}
	if _, err := c.EnrollWith(context.Background(), code, "bench "+string(c.DeviceID)[:8], practice); err != nil {
		return nil, err
	}
	s.bound = true
	return c, nil
}

// code makes an enrolment code (a valid one: bombs to the enrolment
// endpoint then get as far as an anonymous request can).
func (s *benchServer) code() (wire.EnrollmentCode, error) {
	out, err := s.admin("enroll", "-dir", s.dir, "-addr", s.addr)
	if err != nil {
		return wire.EnrollmentCode{}, err
	}
	return transport.ParseEnrollmentCode(strings.SplitN(out, "\n", 2)[0])
}

// fingerprint is the server certificate's, as a code carries it.
func fingerprint(s *benchServer) ([]byte, error) {
	c, err := s.code()
	return c.Fingerprint[:], err
}
