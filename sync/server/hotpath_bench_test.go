package server_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/server/storetest"
	"outpost/sync/wire"
)

// The server's hot paths, below HTTP: storing a push and reading a pull
// page (docs/benchmarks.md, "Sync v2: the binary protocol").
//
//	go test -run XXX -bench 'Store(Push|PullPage|ChangeIDsAt)' -benchtime 200x ./sync/server

// benchStore is a store with one enrolled device.
func benchStore(b *testing.B) (*server.Store, chart.DeviceID) {
	ctx := context.Background()
	store, err := server.Open(ctx, filepath.Join(b.TempDir(), "server.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	tok, err := store.NewEnrollmentToken(ctx, time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	dev := chart.NewDeviceID()
	_, err = store.Enroll(ctx, wire.EnrollRequest{Code: wire.EnrollmentCode{Token: tok}.TokenString(), DeviceID: dev,
		DeviceName: "Bench", PublicKey: pub, PracticeID: chart.NewPracticeID()}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return store, dev
}

func BenchmarkStorePush(b *testing.B) {
	store, dev := benchStore(b)
	ctx := context.Background()
	batches := make([][]wire.Change, b.N)
	for i := range batches {
		batches[i] = storetest.Changes(dev, 100, chart.NewPatientID(), 300)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := store.Push(ctx, string(dev), batches[i], time.Now(), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/change")
}

// BenchmarkStorePushInitial is a push of an initial push's shape: the
// protocol's 5,000 changes a batch, 40 patients' worth, sealed as records
// are (~600 bytes), into a store that grows with each batch. The metric
// is the process's CPU per change stored:
//
//	go test -run '^$' -bench StorePushInitial -benchtime 10x ./sync/server
func BenchmarkStorePushInitial(b *testing.B) {
	store, dev := benchStore(b)
	ctx := context.Background()
	batches := make([][]wire.Change, b.N)
	for i := range batches {
		for range 40 {
			batches[i] = append(batches[i], storetest.Changes(dev, wire.MaxChangesPerPush/40, chart.NewPatientID(), 600)...)
		}
	}
	b.ResetTimer()
	cpu0 := processCPU()
	for i := range b.N {
		if _, err := store.Push(ctx, string(dev), batches[i], time.Now(), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N*wire.MaxChangesPerPush), "cpu-ns/change")
}

func BenchmarkStorePullPage(b *testing.B) {
	store, dev := benchStore(b)
	ctx := context.Background()
	patients := []chart.PatientID{chart.NewPatientID(), chart.NewPatientID()}
	for i := range 20 {
		if _, err := store.Push(ctx, string(dev), storetest.Changes(dev, 250, patients[i%2], 300), time.Now(), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		req := wire.PullRequest{After: int64(i*97) % 4000, Limit: 200}
		if i%2 == 1 {
			req.Patients = patients[:1]
		}
		page, err := store.Pull(ctx, req, 16<<20)
		if err != nil || len(page.Changes) == 0 {
			b.Fatalf("page of %d: %v", len(page.Changes), err)
		}
	}
}

// The ids at a pull's after and next seqs (wire.FeatureSeqIDs), looked up
// for every pull of a workstation that asks: compare with StorePullPage.
func BenchmarkStoreChangeIDsAt(b *testing.B) {
	store, dev := benchStore(b)
	ctx := context.Background()
	for range 20 {
		if _, err := store.Push(ctx, string(dev), storetest.Changes(dev, 250, chart.NewPatientID(), 300), time.Now(), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		after := int64(i*97)%4000 + 1
		ids, err := store.ChangeIDsAt(ctx, string(dev), after, after+200)
		if err != nil || len(ids) != 2 {
			b.Fatalf("ids %v: %v", ids, err)
		}
	}
}

// A joining workstation's page of heads over 15,000 changes, each record
// edited once in five (its first version then no longer a head).
func BenchmarkStoreJoinHeadsPage(b *testing.B) {
	store, dev := benchStore(b)
	ctx := context.Background()
	for range 30 {
		batch := storetest.Changes(dev, 500, chart.NewPatientID(), 300)
		for i := 1; i < len(batch); i += 5 {
			batch[i].RecordID, batch[i].Parents = batch[i-1].RecordID, []chart.ChangeID{batch[i-1].ChangeID}
		}
		if _, err := store.Push(ctx, string(dev), batch, time.Now(), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		page, err := store.JoinHeads(ctx, string(dev), wire.JoinHeadsRequest{Limit: 5000}, 64<<20)
		if err != nil || len(page.Changes) != 5000 {
			b.Fatalf("page of %d: %v", len(page.Changes), err)
		}
	}
}

// The last page of heads of a practice of 50,000 changes (the 2,000-patient
// bench's size) and of 250,000: a join's server side at the 10x bench's
// size is its 1x side times the pages, if a page costs the same whatever
// the store's size (each head's check is an index lookup of its record).
//
//	go test -run XXX -bench StoreJoinHeadsScale -benchtime 20x ./sync/server
func BenchmarkStoreJoinHeadsScale(b *testing.B) {
	for _, size := range []int{50_000, 250_000} {
		b.Run(fmt.Sprintf("changes=%d", size), func(b *testing.B) {
			store, dev := benchStore(b)
			ctx := context.Background()
			for range size / 5000 {
				batch := storetest.Changes(dev, 5000, chart.NewPatientID(), 300)
				for i := 1; i < len(batch); i += 5 {
					batch[i].RecordID, batch[i].Parents = batch[i-1].RecordID, []chart.ChangeID{batch[i-1].ChangeID}
				}
				if _, err := store.Push(ctx, string(dev), batch, time.Now(), 0); err != nil {
					b.Fatal(err)
				}
			}
			req := wire.JoinHeadsRequest{After: int64(size - 6250), UpTo: int64(size), Limit: 5000}
			b.ResetTimer()
			cpu0 := processCPU()
			for range b.N {
				page, err := store.JoinHeads(ctx, string(dev), req, 64<<20)
				if err != nil || len(page.Changes) != 5000 {
					b.Fatalf("page of %d: %v", len(page.Changes), err)
				}
			}
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/page")
		})
	}
}
