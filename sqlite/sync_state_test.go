package sqlite

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

func TestSyncStateWorksWhileLocked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	register(t, f.admin, samplePatient("Mara", "Lindqvist"))
	if err := f.admin.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := f.w.SyncIdentity(ctx); ok || err != nil {
		t.Fatalf("identity before enrolment: ok=%v err=%v", ok, err)
	}
	dev, err := f.w.DeviceID(ctx)
	if err != nil || dev == "" {
		t.Fatalf("device id: %q %v", dev, err)
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	fp := sha256.Sum256([]byte("cert"))
	id := wire.SyncIdentity{ServerAddr: "10.0.0.2:8443", Fingerprint: fp[:], DeviceID: dev, PrivateKey: priv}
	if err := f.w.SaveSyncIdentity(ctx, wire.SyncIdentity{ServerAddr: "nowhere"}); err == nil {
		t.Fatal("saved an incomplete identity")
	}
	if err := f.w.SaveSyncIdentity(ctx, id); err != nil {
		t.Fatal(err)
	}
	id.ServerAddr = "10.0.0.3:8443" // re-enrolment replaces
	if err := f.w.SaveSyncIdentity(ctx, id); err != nil {
		t.Fatal(err)
	}
	got, ok, err := f.w.SyncIdentity(ctx)
	if err != nil || !ok || got.ServerAddr != id.ServerAddr || !priv.Equal(got.PrivateKey) || got.DeviceID != dev || got.EnrolledAt.IsZero() {
		t.Fatalf("identity %+v ok=%v err=%v", got, ok, err)
	}
	if n, err := f.w.PendingChanges(ctx); err != nil || n < 1 {
		t.Fatalf("pending %d %v; want the registration waiting", n, err)
	}
}

func TestSyncRunsKeepLatestSuccessPastRetention(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	at := func() time.Time { return f.clock.Now() }
	ok := chart.SyncRun{StartedAt: at(), Sent: 3, Received: 2, Requests: 2}
	ok.FinishedAt = at()
	if err := f.w.RecordSyncRun(ctx, ok); err != nil {
		t.Fatal(err)
	}
	if err := f.w.RecordSyncRun(ctx, chart.SyncRun{StartedAt: at(), FinishedAt: time.Time{}}); err == nil {
		t.Fatal("recorded a run that finished before it started")
	}
	f.clock.Advance(40 * 24 * time.Hour)
	failed := chart.SyncRun{StartedAt: at(), Error: "The practice server could not be reached."}
	failed.FinishedAt = at()
	if err := f.w.RecordSyncRun(ctx, failed); err != nil {
		t.Fatal(err)
	}
	runs, err := f.w.SyncRuns(ctx, time.Time{})
	if err != nil || len(runs) != 2 || runs[0].Sent != 3 || runs[1].Error == "" {
		t.Fatalf("runs %+v %v", runs, err)
	}
	last, err := f.w.LastSuccessfulSync(ctx)
	if err != nil || !last.Equal(ok.FinishedAt.UTC()) {
		t.Fatalf("last success %v %v, want %v", last, err, ok.FinishedAt)
	}
	f.clock.Advance(40 * 24 * time.Hour)
	failed.StartedAt = at()
	failed.FinishedAt = at()
	if err := f.w.RecordSyncRun(ctx, failed); err != nil {
		t.Fatal(err)
	}
	if runs, _ := f.w.SyncRuns(ctx, time.Time{}); len(runs) != 2 {
		t.Fatalf("after pruning %d runs, want the old success and the new failure", len(runs))
	}
}
