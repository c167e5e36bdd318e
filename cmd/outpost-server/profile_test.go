//go:build unix

package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// serve -cpuprofile: one SIGUSR1 starts a profile, the next writes it.
func TestProfileOnSignal(t *testing.T) {
	dir := t.TempDir()
	stop, err := profileOnSignal(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	path := filepath.Join(dir, "server-1.pprof")
	signalUntil(t, func() bool { _, err := os.Stat(path); return err == nil })
	signalUntil(t, func() bool { fi, err := os.Stat(path); return err == nil && fi.Size() > 0 })
	if _, err := os.Stat(filepath.Join(dir, "server-2.pprof")); err == nil {
		t.Fatal("a second profile started without a third signal")
	}
}

// signalUntil sends this process one SIGUSR1 and waits up to ten seconds
// for done.
func signalUntil(t *testing.T, done func() bool) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if done() {
			return
		}
	}
	t.Fatal("the signal was not acted on within ten seconds")
}
