package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"

	"outpost/sync/transport"
	"outpost/sync/wire"
)

// site is where one practice's workstations sync: the server processes
// they round-robin over, and how an administrator makes an enrolment code
// there (practice "": the first workstation of a new practice).
type site struct {
	servers []*benchServer
	code    func(practice string) (wire.EnrollmentCode, error)
}

// fleet is every server process of a load run.
type fleet struct {
	servers []*benchServer
	sites   []site // one per practice
	dirs    []string
}

func (f *fleet) stop() {
	var wg gosync.WaitGroup
	for _, s := range f.servers {
		wg.Add(1)
		go func() { defer wg.Done(); s.stop() }()
	}
	wg.Wait()
	for _, d := range f.dirs {
		os.RemoveAll(filepath.Dir(d))
	}
}

// sqliteFleet is the embedded default: one server process, with its own
// SQLite store, per practice (a box in each clinic's back office).
func sqliteFleet(binary string, practices int, flags []string) (*fleet, error) {
	f := &fleet{servers: make([]*benchServer, practices), sites: make([]site, practices)}
	err := forEach(practices, 8, func(i int) error {
		s, err := startServer(binary, flags)
		if err != nil {
			return err
		}
		f.servers[i] = s
		f.sites[i] = site{servers: []*benchServer{s}, code: func(string) (wire.EnrollmentCode, error) { return s.code() }}
		return nil
	})
	if err != nil {
		f.servers = nonNil(f.servers)
		f.stop()
		return nil, err
	}
	return f, nil
}

// postgresFleet is processes server processes on one PostgreSQL database
// (url), serving every practice; each practice's workstations use them all,
// round-robin, as behind a load balancer. The processes share one data
// directory (its TLS certificate): workstations pin one fingerprint.
func postgresFleet(binary, url string, practices, processes int, flags []string) (*fleet, error) {
	if err := checkMultiPractice(binary); err != nil {
		return nil, err
	}
	dir, err := initServerDir(binary, []string{"-store", url})
	if err != nil {
		return nil, err
	}
	f := &fleet{dirs: []string{dir}}
	for range processes {
		s, err := spawnServer(binary, dir, append([]string{"-store", url}, flags...))
		if err != nil {
			f.stop()
			return nil, err
		}
		f.servers = append(f.servers, s)
	}
	admin := f.servers[0]
	code := func(practice string) (wire.EnrollmentCode, error) {
		if practice == "" {
			practice = "new"
		}
		out, err := admin.admin("enroll", "-dir", dir, "-store", url, "-addr", admin.addr, "-practice", practice)
		if err != nil {
			return wire.EnrollmentCode{}, err
		}
		return transport.ParseEnrollmentCode(strings.SplitN(out, "\n", 2)[0])
	}
	for range practices {
		f.sites = append(f.sites, site{servers: f.servers, code: code})
	}
	return f, nil
}

// checkMultiPractice refuses, with the reason, a binary without the
// PostgreSQL store and multi-practice enrolment (its usage names neither
// -store nor -practice).
func checkMultiPractice(binary string) error {
	var out bytes.Buffer
	cmd := exec.Command(binary)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Run() // no arguments: usage, exit 2
	usage := out.String()
	if !strings.Contains(usage, "-store") || !strings.Contains(usage, "-practice") {
		return errors.New("this outpost-server has no -store/-practice flags (PostgreSQL and several practices per " +
			"server, issue #13): the postgres modes need a binary built with them; -store sqlite runs now")
	}
	return nil
}

// forEach runs f(0..n-1), at most par at once, and returns the first error.
func forEach(n, par int, f func(i int) error) error {
	sem := make(chan struct{}, par)
	errs := make([]error, n)
	var wg gosync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func nonNil(ss []*benchServer) []*benchServer {
	var out []*benchServer
	for _, s := range ss {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// cpuSeconds is user+system CPU time of the process so far (from
// /proc/PID/stat, in clock ticks of 1/100 s).
func (s *benchServer) cpuSeconds() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.pid()))
	if err != nil {
		return -1
	}
	// The command name (field 2) may hold spaces; fields count from after it.
	rest := string(b[bytes.LastIndexByte(b, ')')+2:])
	fields := strings.Fields(rest)
	var utime, stime float64
	fmt.Sscan(fields[11], &utime)
	fmt.Sscan(fields[12], &stime)
	return (utime + stime) / 100
}
