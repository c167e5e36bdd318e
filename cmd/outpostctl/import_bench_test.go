package main

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"outpost/chart"
	"outpost/fhirimport"
	"outpost/sqlite"
)

// BenchmarkImportFixtures is the import as an administrator runs it: the
// shared Synthea and US Core fixtures (91,185 resources; OUTPOST_FHIR_FIXTURES
// or /work/shared/fixtures/fhir, skipped without them) into a fresh
// workstation store, through the real mapper and the real SQLite store.
// The store is created outside the timer (a low scrypt work factor: the
// sign-in's key derivation is not the import's). It reports entries/s and
// the process's CPU time per import (import-cpu-ms/op), the steadier
// figure on a shared machine.
func BenchmarkImportFixtures(b *testing.B) {
	root := os.Getenv("OUTPOST_FHIR_FIXTURES")
	if root == "" {
		root = "/work/shared/fixtures/fhir"
	}
	paths := []string{filepath.Join(root, "synthea"), filepath.Join(root, "uscore-inferno")}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("no fixtures: %v", err)
		}
	}
	ctx := context.Background()
	var entries int
	var wall, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		store, done := benchStore(b, ctx)
		cpu0, t0 := processCPU(b), time.Now()
		b.StartTimer()
		rep, err := fhirimport.Run(ctx, paths, store, fhirimport.RunOptions{By: "dana"})
		b.StopTimer()
		wall, cpu = wall+time.Since(t0), cpu+processCPU(b)-cpu0
		done()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Patients.Failed != 0 {
			b.Fatalf("%d patients failed", rep.Patients.Failed)
		}
		for _, c := range rep.Totals {
			entries += c.Read
		}
	}
	b.ReportMetric(float64(entries)/wall.Seconds(), "entries/s")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "import-cpu-ms/op")
}

// benchStore is a new workstation store with its administrator signed in.
func benchStore(b *testing.B, ctx context.Context) (fhirimport.Store, func()) {
	w, err := sqlite.OpenWorkstation(ctx, filepath.Join(b.TempDir(), "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		b.Fatal(err)
	}
	s, _, err := w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Bench Clinic",
		Admin: chart.NewUser{FullName: "Dana Admin", Username: "dana", Passphrase: "correct horse battery staple"}})
	if err != nil {
		w.Close()
		b.Fatal(err)
	}
	return s.(*sqlite.Session), func() { w.Close() }
}

// processCPU is the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
