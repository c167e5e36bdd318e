package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/internal/worker"
	"outpost/seal"
)

// A panic on a worker goroutine of the store fails the operation with an
// error: nothing else on that goroutine would recover it, and it would end
// the app (each test below dies, taking the test binary with it, on the
// code before internal/worker). A nil keyring is what makes opening and
// sealing panic here.

// onCores runs the test with at least two Ps, so the work really goes to
// worker goroutines on a one-core box too.
func onCores(t *testing.T) {
	t.Cleanup(func() { runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))) })
}

func wantPanicError(t *testing.T, what string, err error) {
	t.Helper()
	var pe *worker.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("%s: %v, want the worker's panic as an error", what, err)
	}
}

// wantPanicErrorSoon wants op to return its worker's panic as an error,
// not wait a minute on workers that died.
func wantPanicErrorSoon(t *testing.T, what string, op func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- op() }()
	select {
	case err := <-done:
		wantPanicError(t, what, err)
	case <-time.After(time.Minute):
		t.Fatalf("%s still waits a minute after its workers died", what)
	}
}

func TestOpenEachWorkerPanicIsAnError(t *testing.T) {
	onCores(t)
	out, err := openEach(4*minParallelOpen, func(i int) (int, error) {
		if i == 3*minParallelOpen {
			panic("a record no check foresaw")
		}
		return i, nil
	})
	wantPanicError(t, "openEach", err)
	if out != nil {
		t.Fatalf("openEach returned %d results with its error", len(out))
	}
}

func TestOpenAllWorkerPanicIsAnError(t *testing.T) {
	onCores(t)
	rows := make([]clinicalRow, 4*parallelOpenMin)
	for i := range rows {
		rows[i].kind, rows[i].id = chart.KindProblem, fmt.Sprint(i)
	}
	out, err := openAll[chart.Problem](nil, rows)
	wantPanicError(t, "openAll", err)
	if out != nil {
		t.Fatalf("openAll returned %d records with its error", len(out))
	}
}

func TestRunOverlappedStepPanicIsAnError(t *testing.T) {
	ran := false
	err := runOverlapped([]func() error{
		func() error { ran = true; return nil },
		func() error { panic("step") },
	})
	wantPanicError(t, "runOverlapped", err)
	if !ran {
		t.Fatal("the other step did not run")
	}
}

// Every opener dies: the scan must not wait on them for the rest of its
// batches, and the index fails.
func TestOpenPatientRecordsWorkerPanicIsAnError(t *testing.T) {
	onCores(t)
	wantPanicErrorSoon(t, "openPatientRecords", func() error {
		_, _, err := openPatientRecords(nil, func(emit func([]recordRow)) error {
			for i := range 8 * runtime.GOMAXPROCS(0) {
				emit([]recordRow{{kind: kindPatient, id: fmt.Sprint(i), sealed: []byte("x")}})
			}
			return nil
		})
		return err
	})
}

// A sealer that dies must fail the patient's write, not leave the writer
// waiting forever on a record nobody will seal.
func TestImportSealerPanicFailsTheWrite(t *testing.T) {
	onCores(t)
	w := &importWriter{ctx: ctxb, s: &Session{}}
	for i := range 4 * parallelOpenMin {
		p := &chart.Problem{Meta: chart.Meta{ID: chart.RecordID(fmt.Sprint(i))}}
		w.pending = append(w.pending, pendingWrite{kind: chart.KindProblem, meta: &p.Meta, rec: p})
	}
	wantPanicErrorSoon(t, "the import's writer", w.flush)
}

// A snapshot reader that panics costs what a snapshot that does not open
// does: the records are opened, the index and the summary are whole.
func TestSnapshotReaderPanicOpensTheRecords(t *testing.T) {
	f, doc := importClinic(t)
	p := register(t, doc, samplePatient("Wren", "Halloway"))
	if _, err := doc.ChartSummary(ctxb, p.ID); err != nil { // writes its snapshot
		t.Fatal(err)
	}
	f.w.background.Wait()
	var failed []string
	snapshotFault = func(what string) { failed = append(failed, what); panic(what + " reader") }
	defer func() { snapshotFault = nil }()
	s := f.signIn(t, "cleo", clinicianPass)
	hits, err := s.SearchPatients(ctxb, "Halloway", 10)
	if err != nil || len(hits) != 1 {
		t.Fatalf("search after the index snapshot's reader panicked: %+v, %v", hits, err)
	}
	sum, err := s.ChartSummary(ctxb, p.ID)
	if err != nil || sum.Patient.ID != p.ID {
		t.Fatalf("summary after its snapshot's reader panicked: %+v, %v", sum.Patient, err)
	}
	f.w.background.Wait()
	if strings.Join(failed, ",") != "index snapshot,summary snapshot" {
		t.Fatalf("readers that panicked: %v", failed)
	}
}

func TestSealInBackgroundPanicIsLogged(t *testing.T) {
	f := newFixture(t)
	f.w.sealInBackground(f.admin, "test snapshot not written", func(*seal.Keyring) (func(*tx) error, error) {
		panic("sealing")
	})
	f.w.background.Wait()
	register(t, f.admin, samplePatient("Ivo", "Marsh")) // the store still works
}

func TestCheckpointPanicIsLoggedAndTheNextRuns(t *testing.T) {
	ran := make(chan int, 10)
	n := 0
	c := startCheckpointer(func(context.Context) {
		n++
		ran <- n
		if n == 1 {
			panic("checkpoint")
		}
	})
	defer c.close()
	for want := 1; want <= 2; want++ {
		c.written()
		select {
		case got := <-ran:
			if got != want {
				t.Fatalf("checkpoint %d, want %d", got, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no checkpoint %d after a write", want)
		}
	}
}

// A write whose work panics (the caller recovers it) is rolled back, not
// left open holding the store's write lock.
func TestWritePanicRollsBack(t *testing.T) {
	f := newFixture(t)
	f.w.background.Wait()
	before := countRows(t, f.w, "index_snapshot")
	func() {
		defer func() { _ = recover() }()
		err := f.w.write(ctxb, func(t2 *tx) error {
			if _, err := t2.ExecContext(ctxb, `INSERT INTO index_snapshot (chunk, sealed) VALUES (999, x'00')`); err != nil {
				return err
			}
			panic("midway")
		})
		t.Fatalf("the write returned (%v) instead of panicking", err)
	}()
	ctx, cancel := context.WithTimeout(ctxb, 5*time.Second)
	defer cancel()
	if err := f.w.write(ctx, func(*tx) error { return nil }); err != nil {
		t.Fatalf("the next write: %v", err)
	}
	if got := countRows(t, f.w, "index_snapshot"); got != before {
		t.Fatalf("snapshot rows %d → %d: the panicked write was not rolled back", before, got)
	}
}
