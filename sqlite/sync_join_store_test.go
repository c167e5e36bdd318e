package sqlite

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// joinedStore is a fresh workstation that has begun joining a practice
// (no key: what ApplyJoinPull stores it cannot open).
func joinedStore(t testing.TB) *Workstation {
	t.Helper()
	w := openStore(t, filepath.Join(t.TempDir(), "chart.db"), newTestClock())
	t.Cleanup(func() { w.Close() })
	if err := w.BeginJoin(context.Background(), chart.PracticeID(chart.NewDeviceID()), chart.NewDeviceID()); err != nil {
		t.Fatalf("BeginJoin: %v", err)
	}
	return w
}

// syntheticChanges are n well-formed changes as a join page brings them:
// sealed and tagged bytes the workstation cannot check before a sign-in,
// every third an audit batch (a kind with a remote hook).
func syntheticChanges(n int) []wire.Change {
	dev, user := chart.NewDeviceID(), chart.UserID(chart.NewDeviceID())
	hlc := clock.Timestamp{Wall: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}
	cs := make([]wire.Change, n)
	for i := range cs {
		kind, patient := "vitals", chart.NewPatientID()
		if i%3 == 2 {
			kind = kindAuditBatch
		}
		hlc.Logical++
		sealed, auth := make([]byte, 400), make([]byte, 48)
		rand.Read(sealed)
		rand.Read(auth)
		cs[i] = wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewRecordID()), Kind: kind, PatientID: patient,
			Version: 1, Parents: []chart.ChangeID{}, HLC: hlc.String(), DeviceID: dev, UserID: user, Sealed: sealed, Auth: auth}
	}
	return cs
}

// A join page is stored a batch of rows per statement: every change once,
// each counted once even when the page repeats it or an earlier page
// brought it, and the hooks of exactly the new changes noted.
func TestJoinPageStoresEachChangeOnce(t *testing.T) {
	ctx := context.Background()
	w := joinedStore(t)
	cs := syntheticChanges(2*joinInsertRows + 7) // three statements, the last short
	first := cs[:joinInsertRows+1]
	if n, err := w.ApplyJoinPull(ctx, first, 10); err != nil || n != len(first) {
		t.Fatalf("first page: %d new, %v; want %d", n, err, len(first))
	}
	// The second page repeats the whole first page and, inside one
	// statement's rows, one of its own changes.
	page := append(append([]wire.Change{}, cs...), cs[len(cs)-1])
	if n, err := w.ApplyJoinPull(ctx, page, 20); err != nil || n != len(cs)-len(first) {
		t.Fatalf("second page: %d new, %v; want %d", n, err, len(cs)-len(first))
	}
	var stored, distinct, hooks, unverified int
	err := w.db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT change_id), sum(unverified),
		(SELECT count(*) FROM join_hooks) FROM changes`).Scan(&stored, &distinct, &unverified, &hooks)
	if err != nil {
		t.Fatal(err)
	}
	wantHooks := 0
	for _, c := range cs {
		if c.Kind == kindAuditBatch {
			wantHooks++
		}
	}
	if stored != len(cs) || distinct != len(cs) || unverified != len(cs) || hooks != wantHooks {
		t.Fatalf("stored %d (%d distinct, %d unverified), %d hooks; want %d each, %d hooks",
			stored, distinct, unverified, hooks, len(cs), wantHooks)
	}
	var sealed []byte
	if err := w.db.QueryRowContext(ctx, `SELECT sealed FROM changes WHERE change_id = ?`, cs[joinInsertRows].ChangeID).Scan(&sealed); err != nil ||
		string(sealed) != string(cs[joinInsertRows].Sealed) {
		t.Fatalf("the sealed bytes of a change were not stored as received (%v)", err)
	}
}

// BenchmarkApplyJoinPull stores join pages of 5,000 changes (the page a
// join asks for) in a fresh store, and in one already holding 200,000 (a
// join at the 10x bench's size, half way): the workstation's CPU of a
// join's pull, and whether it grows with the store.
//
//	go test -run XXX -bench ApplyJoinPull -benchtime 4x ./sqlite
func BenchmarkApplyJoinPull(b *testing.B) {
	for _, held := range []int{0, 200_000} {
		b.Run(fmt.Sprintf("held=%d", held), func(b *testing.B) {
			ctx := context.Background()
			const page = 5000
			w := joinedStore(b)
			for i := range held / page {
				if _, err := w.ApplyJoinPull(ctx, syntheticChanges(page), int64(i+1)); err != nil {
					b.Fatal(err)
				}
			}
			pages := make([][]wire.Change, b.N)
			for i := range pages {
				pages[i] = syntheticChanges(page)
			}
			b.ResetTimer()
			cpu0 := processCPU()
			for i := range b.N {
				if _, err := w.ApplyJoinPull(ctx, pages[i], int64(held+i+1)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/1000/float64(b.N*page), "cpu-µs/change")
		})
	}
}
