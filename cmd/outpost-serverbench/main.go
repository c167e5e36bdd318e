// Command outpost-serverbench measures the practice server under abuse:
// the real outpost-server binary, started in a temporary directory, gets
// (1) gzip bombs, eight at once to every endpoint, while its peak resident
// memory (VmHWM) is read from /proc; and (2) thousands of signed requests
// from several workstations at a fixed concurrency, timed one by one.
// Every request goes to 127.0.0.1 only. Figures are in docs/benchmarks.md.
//
//	go build -o /tmp/outpost-server ./cmd/outpost-server
//	go run ./cmd/outpost-serverbench -server /tmp/outpost-server
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	server := flag.String("server", "", "path of the outpost-server binary to measure (required)")
	phases := flag.String("phases", "bombs,signed", "what to run: bombs, signed, or both")
	endpoints := flag.String("bomb-endpoints", "enroll,pull,push", "endpoints to bomb (enroll alone works against any server version)")
	perEndpoint := flag.Int("bombs", 8, "concurrent bombs per endpoint")
	rounds := flag.Int("rounds", 3, "rounds of bombs of each kind")
	requests := flag.Int("requests", 20000, "signed requests")
	concurrency := flag.Int("concurrency", 100, "signed requests in flight")
	devices := flag.Int("devices", 10, "workstations sending the signed requests")
	pushShare := flag.Float64("push-share", 0.5, "share of the signed requests that are pushes (the rest pull)")
	serveFlags := flag.String("serve-flags", "", "extra flags for `outpost-server serve`, space-separated")
	flag.Parse()
	if *server == "" {
		fmt.Fprintln(os.Stderr, "outpost-serverbench: -server is required (go build -o /tmp/outpost-server ./cmd/outpost-server)")
		os.Exit(2)
	}
	if err := run(*server, *phases, strings.Split(*endpoints, ","), *perEndpoint, *rounds,
		signedLoad{requests: *requests, concurrency: *concurrency, devices: *devices, pushShare: *pushShare},
		strings.Fields(*serveFlags)); err != nil {
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

func mib(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
