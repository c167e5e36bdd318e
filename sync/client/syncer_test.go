package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/clock"
	"outpost/sync/server/servertest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// memStore is a workstation outbox and inbox in memory: the SQLite store
// is tested against the real server in package sqlite; this one lets the
// loop's batching and resumption be counted exactly.
type memStore struct {
	mu          gosync.Mutex
	device      chart.DeviceID
	outbox      []wire.Change
	acked       map[chart.ChangeID]bool
	batches     []int
	inbox       map[chart.ChangeID]bool
	cursor      int64
	applyErr    error
	applies     []int // size of each ApplyRemote call
	failCall    int   // when > 0, that ApplyRemote call (1-based) fails once
	checkpoints int
}

func (m *memStore) Checkpoint(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.checkpoints++
	return nil
}

// OutboxBatch leaves the byte cap to the syncer's own check.
func (m *memStore) OutboxBatch(_ context.Context, limit, _ int) ([]wire.Change, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []wire.Change
	for _, c := range m.outbox {
		if !m.acked[c.ChangeID] && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, nil
}

func (m *memStore) MarkAcked(_ context.Context, acks []wire.Ack) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches = append(m.batches, len(acks))
	for _, a := range acks {
		m.acked[a.ChangeID] = true
	}
	return nil
}

func (m *memStore) PullCursor(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cursor, nil
}

func (m *memStore) ApplyRemote(_ context.Context, cs []wire.Change, next int64) (int, int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.applyErr != nil {
		return 0, 0, m.applyErr
	}
	m.applies = append(m.applies, len(cs))
	if len(m.applies) == m.failCall {
		m.failCall = 0
		return 0, 0, errors.New("disk full")
	}
	n := 0
	for _, c := range cs {
		if c.DeviceID != m.device && !m.inbox[c.ChangeID] {
			m.inbox[c.ChangeID] = true
			n++
		}
	}
	m.cursor = max(m.cursor, next) // as the real store: 0 keeps the cursor
	return n, 0, nil
}

// device enrols a new device with srv and gives it a store holding n changes.
func device(t *testing.T, srv *servertest.Server, n int) (*memStore, *transport.Client) {
	t.Helper()
	c := srv.Enroll(t, chart.NewDeviceID(), "Front desk")
	m := &memStore{device: c.DeviceID, acked: map[chart.ChangeID]bool{}, inbox: map[chart.ChangeID]bool{}}
	user := chart.NewUserID()
	for i := range n {
		id := string(chart.NewPatientID())
		m.outbox = append(m.outbox, wire.Change{ChangeID: chart.NewChangeID(), RecordID: id, Kind: "patient",
			PatientID: chart.PatientID(id), Version: 1, Parents: []chart.ChangeID{}, DeviceID: c.DeviceID, UserID: user,
			HLC: clock.Timestamp{Wall: time.Now().UnixMilli(), Logical: uint32(i)}.String(), Sealed: []byte("sealed-bytes")})
	}
	return m, c
}

func TestSyncOnceBatchesAndConverges(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	n := 2*client.PushBatch + 500
	a, ca := device(t, srv, n)
	b, cb := device(t, srv, 0)

	ra, err := client.SyncOnce(ctx, a, ca)
	if err != nil {
		t.Fatal(err)
	}
	if ra.Sent != n || ra.Received != 0 || len(a.batches) != 3 || a.batches[0] != client.PushBatch {
		t.Fatalf("A report %+v, ack batches %v; want %d sent in batches of %d", ra, a.batches, n, client.PushBatch)
	}
	if ra.Requests < 4 {
		t.Fatalf("A made %d requests, want 3 pushes and at least 1 pull", ra.Requests)
	}
	rb, err := client.SyncOnce(ctx, b, cb)
	if err != nil || rb.Received != n || rb.Sent != 0 {
		t.Fatalf("B report %+v, %v; want %d received", rb, err, n)
	}
	t.Logf("A: %+v  B: %+v", ra, rb)
	// Only a pull that stored a chunk or more checkpoints the store.
	if a.checkpoints != 0 || b.checkpoints != 1 {
		t.Fatalf("checkpoints: A %d (received nothing), B %d (received %d); want 0 and 1", a.checkpoints, b.checkpoints, n)
	}
	for name, st := range map[string]*memStore{"A": a, "B": b} {
		c := ca
		if name == "B" {
			c = cb
		}
		again, err := client.SyncOnce(ctx, st, c)
		if err != nil || again != (client.Report{Requests: 1}) {
			t.Fatalf("%s second sync %+v, %v; want one empty pull", name, again, err)
		}
		if st.checkpoints > 1 {
			t.Fatalf("%s checkpointed after an empty pull", name)
		}
	}
}

func TestSyncOnceNetworkErrorIsResumable(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	a, ca := device(t, srv, 10)

	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close()
	offline := *ca
	offline.BaseURL, offline.HTTP = "https://"+deadAddr, nil
	r, err := client.SyncOnce(ctx, a, &offline)
	if err == nil || !strings.Contains(err.Error(), "send 10 changes") {
		t.Fatalf("offline sync error = %v, want it to name the failed send", err)
	}
	if r.Sent != 0 || len(a.acked) != 0 {
		t.Fatalf("offline sync acked %d changes (report %+v)", len(a.acked), r)
	}

	a.applyErr = io.ErrUnexpectedEOF
	if _, err := client.SyncOnce(ctx, a, ca); err == nil || !strings.Contains(err.Error(), "apply changes after 0") {
		t.Fatalf("failing apply error = %v", err)
	}
	if len(a.acked) != 10 || a.cursor != 0 {
		t.Fatalf("after a failed apply: %d acked, cursor %d; want 10 acked, cursor 0", len(a.acked), a.cursor)
	}
	a.applyErr = nil
	r, err = client.SyncOnce(ctx, a, ca)
	if err != nil || r.Sent != 0 || a.cursor == 0 {
		t.Fatalf("resumed sync %+v, %v, cursor %d", r, err, a.cursor)
	}
}

// A pulled page is applied in chunks of ApplyChunk (short write
// transactions); only the last chunk moves the cursor, so a failure
// between chunks re-pulls the page and nothing is lost or counted twice.
func TestPullAppliesAPageInChunks(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	a, ca := device(t, srv, 1200)
	if _, err := client.SyncOnce(ctx, a, ca); err != nil {
		t.Fatal(err)
	}
	b, cb := device(t, srv, 0)
	b.failCall = 2
	if _, err := client.SyncOnce(ctx, b, cb); err == nil {
		t.Fatal("a failed chunk did not fail the sync")
	}
	if b.cursor != 0 {
		t.Fatalf("cursor moved to %d although the page was not fully applied", b.cursor)
	}
	b.applies = nil
	r, err := client.SyncOnce(ctx, b, cb)
	if err != nil || r.Received != 1200-client.ApplyChunk {
		t.Fatalf("retry %+v, %v; want the %d changes not stored before", r, err, 1200-client.ApplyChunk)
	}
	if want := []int{client.ApplyChunk, client.ApplyChunk, 200}; !slices.Equal(b.applies, want) {
		t.Fatalf("apply calls %v, want chunks %v", b.applies, want)
	}
	if len(b.inbox) != 1200 || b.cursor == 0 {
		t.Fatalf("B holds %d changes with cursor %d, want all 1200 and the cursor moved", len(b.inbox), b.cursor)
	}
}
