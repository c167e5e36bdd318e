//go:build unix

package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
)

// profileOnSignal makes SIGUSR1 toggle a CPU profile written to dir
// (serve -cpuprofile DIR): the first signal starts server-1.pprof, the
// next stops and writes it, the third starts server-2.pprof, and so on.
// A developer's tool: outpost-bench brackets each sync step with two
// signals, so the server's side of a step is profiled alone (a profile of
// the server's whole life would mix the initial push with the join).
// The returned stop ends a profile under way and stops listening.
func profileOnSignal(dir string, log *slog.Logger) (stop func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("serve: -cpuprofile: %w", err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		var f *os.File
		n := 0
		end := func() {
			if f != nil {
				pprof.StopCPUProfile()
				f.Close()
				f = nil
			}
		}
		defer end()
		for {
			select {
			case <-done:
				return
			case <-sig:
			}
			if f != nil {
				end()
				continue
			}
			n++
			path := filepath.Join(dir, fmt.Sprintf("server-%d.pprof", n))
			var err error
			if f, err = os.Create(path); err != nil {
				log.Error("cpu profile", "err", err)
				continue
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				log.Error("cpu profile", "err", err)
				f.Close()
				f = nil
			}
		}
	}()
	return func() { signal.Stop(sig); close(done); <-finished }, nil
}
