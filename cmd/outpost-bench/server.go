package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// server is the real outpost-server binary, started as an administrator
// would: init, serve, and one enroll per workstation.
type server struct {
	bin, dir string
	cmd      *exec.Cmd
	addr     string
	profiles bool // serve -cpuprofile: SIGUSR1 toggles a profile
	profiled int  // profiles toggled so far
}

func startServer(bin, dir string) (*server, error) {
	s := &server{bin: bin, dir: dir}
	if out, err := exec.Command(bin, "init", "-dir", dir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("outpost-server init: %v: %s", err, out)
	}
	serve := []string{"serve", "-dir", dir, "-addr", "127.0.0.1:0"}
	// OUTPOST_BENCH_CPUPROFILE=DIR: the server profiles each measured step
	// too (profile.go in outpost-server; (*bench).measure signals it).
	if pdir := os.Getenv("OUTPOST_BENCH_CPUPROFILE"); pdir != "" {
		serve = append(serve, "-cpuprofile", pdir)
		s.profiles = true
	}
	s.cmd = exec.Command(bin, serve...)
	s.cmd.Stderr = os.Stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("outpost-server serve: %w", err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening on https://"); ok {
				addr <- a
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case s.addr = <-addr:
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, fmt.Errorf("outpost-server serve did not say where it listens within 30 s")
	}
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// toggleProfile starts (or stops) the server's CPU profile of a step, and
// returns the profile's number (server-N.pprof), 0 without -cpuprofile.
// On stop it waits a moment: the profile is written after the signal.
func (s *server) toggleProfile(start bool) int {
	if !s.profiles {
		return 0
	}
	if start {
		s.profiled++
	}
	s.cmd.Process.Signal(syscall.SIGUSR1)
	if !start {
		time.Sleep(500 * time.Millisecond)
	}
	return s.profiled
}

// enrollCode runs `outpost-server enroll` for a workstation that reaches
// the server at addr (the proxy).
func (s *server) enrollCode(addr string) (string, error) {
	out, err := exec.Command(s.bin, "enroll", "-dir", s.dir, "-addr", addr).Output()
	if err != nil {
		return "", fmt.Errorf("outpost-server enroll: %w", err)
	}
	line, _, _ := bytes.Cut(out, []byte("\n"))
	return strings.TrimSpace(string(line)), nil
}

func (s *server) dbPath() string { return filepath.Join(s.dir, "server.db") }

func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}
