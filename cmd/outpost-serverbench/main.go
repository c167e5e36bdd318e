// Command outpost-serverbench measures the practice server under abuse
// and under load: the real outpost-server binary, started in a temporary
// directory, gets (1) gzip bombs, eight at once to every endpoint, while
// its peak resident memory (VmHWM) is read from /proc; (2) thousands of
// signed requests from several workstations at a fixed concurrency, timed
// one by one; and (3, -phases load) practices × workstations syncing a
// clinic day each, on one SQLite server per practice or on server
// processes sharing one PostgreSQL, checked at the end for every change
// stored once and delivered to its practice only. Every request goes to
// 127.0.0.1 only. Figures are in docs/benchmarks.md.
//
//	go build -o /tmp/outpost-server ./cmd/outpost-server
//	go run ./cmd/outpost-serverbench -server /tmp/outpost-server
//	go run ./cmd/outpost-serverbench -server /tmp/outpost-server -phases load [-store sqlite|postgres -pg URL -processes 3]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

func main() {
	server := flag.String("server", "", "path of the outpost-server binary to measure (required)")
	phases := flag.String("phases", "bombs,signed", "what to run: bombs, signed, or both; or load alone")
	endpoints := flag.String("bomb-endpoints", "enroll,pull,push", "endpoints to bomb (enroll alone works against any server version)")
	perEndpoint := flag.Int("bombs", 8, "concurrent bombs per endpoint")
	rounds := flag.Int("rounds", 3, "rounds of bombs of each kind")
	requests := flag.Int("requests", 20000, "signed requests")
	concurrency := flag.Int("concurrency", 100, "signed requests in flight")
	devices := flag.Int("devices", 10, "workstations sending the signed requests")
	pushShare := flag.Float64("push-share", 0.5, "share of the signed requests that are pushes (the rest pull)")
	serveFlags := flag.String("serve-flags", "", "extra flags for `outpost-server serve`, space-separated")
	var lc loadConfig
	flag.StringVar(&lc.store, "store", "sqlite", "load: sqlite (one server per practice) or postgres (every practice on -processes servers)")
	flag.StringVar(&lc.pgURL, "pg", "", "load: postgres://… URL of an empty PostgreSQL database on loopback (-store postgres)")
	flag.IntVar(&lc.processes, "processes", 1, "load: server processes sharing the PostgreSQL store (workstations round-robin over them)")
	flag.IntVar(&lc.practices, "practices", 100, "load: practices")
	flag.IntVar(&lc.workstations, "workstations", 10, "load: workstations per practice")
	flag.IntVar(&lc.visits, "visits", 24, "load: visits each workstation syncs (one push of its changes, then pulls)")
	flag.DurationVar(&lc.duration, "duration", 10*time.Minute, "load: time bound of the syncing (enrolment not counted)")
	flag.IntVar(&lc.pullLimit, "pull-limit", 500, "load: changes per pull page")
	flag.Parse()
	if *server == "" {
		fmt.Fprintln(os.Stderr, "outpost-serverbench: -server is required (go build -o /tmp/outpost-server ./cmd/outpost-server)")
		os.Exit(2)
	}
	lc.serveFlags = strings.Fields(*serveFlags)
	var err error
	if *phases == "load" {
		err = load(*server, lc)
	} else {
		err = run(*server, *phases, strings.Split(*endpoints, ","), *perEndpoint, *rounds,
			signedLoad{requests: *requests, concurrency: *concurrency, devices: *devices, pushShare: *pushShare}, lc.serveFlags)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "outpost-serverbench:", err)
		os.Exit(1)
	}
}

func run(binary, phases string, endpoints []string, perEndpoint, rounds int, load signedLoad, serveFlags []string) error {
	srv, err := startServer(binary, serveFlags)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Printf("server %s (pid %d), resident at start: %s\n", binary, srv.pid(), mib(srv.rss()))
	if strings.Contains(phases, "bombs") {
		start := time.Now()
		res, err := bombs(srv, endpoints, perEndpoint, rounds)
		if err != nil {
			return err
		}
		fmt.Printf("bombs: %d sent in %s, replies %v\n", res.sent, time.Since(start).Round(time.Millisecond), res.statuses)
		fmt.Printf("bombs: server peak resident memory (VmHWM) %s, resident after %s\n", mib(srv.peak()), mib(srv.rss()))
	}
	if strings.Contains(phases, "signed") {
		r, err := signed(srv, load)
		if err != nil {
			return err
		}
		r.print(load)
		fmt.Printf("signed: server peak resident memory (VmHWM) %s\n", mib(srv.peak()))
	}
	return nil
}

func numCPU() int { return runtime.NumCPU() }

func mib(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
