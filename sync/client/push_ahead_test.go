package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/server/servertest"
	"outpost/sync/wire"
)

// aheadStore is a memStore that can read the outbox after a change handed
// out (client.OutboxAfter) and says when it does.
type aheadStore struct {
	*memStore
	read chan chart.ChangeID
}

func (a aheadStore) OutboxBatchAfter(_ context.Context, after chart.ChangeID, limit, _ int) ([]wire.Change, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := slices.IndexFunc(a.outbox, func(c wire.Change) bool { return c.ChangeID == after })
	var out []wire.Change
	for _, c := range a.outbox[i+1:] {
		if !a.acked[c.ChangeID] && len(out) < limit {
			out = append(out, c)
		}
	}
	a.read <- after
	return out, nil
}

// waitingTransport holds each push until the store has read the next batch
// (or two seconds have passed), and counts the pushes it did not wait out.
type waitingTransport struct {
	client.Transport
	read       chan chart.ChangeID
	pushes     int
	overlapped int
}

func (w *waitingTransport) Push(ctx context.Context, cs []wire.Change) ([]wire.Ack, error) {
	w.pushes++
	select {
	case after := <-w.read:
		if after == cs[len(cs)-1].ChangeID {
			w.overlapped++
		}
	case <-time.After(2 * time.Second):
	}
	return w.Transport.Push(ctx, cs)
}

// A push reads its next batch while the server stores the one before (on
// two cores the initial push then takes about the longer of the two rather
// than their sum), still sends the batches one at a time and in order, and
// the server ends up with the whole outbox once.
func TestPushReadsTheNextBatchWhileSending(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	m, c := device(t, srv, 2*client.PushBatch+500)
	read := make(chan chart.ChangeID, 1)
	w := &waitingTransport{Transport: c, read: read}
	r, err := client.PushOnce(ctx, aheadStore{m, read}, w)
	if err != nil {
		t.Fatal(err)
	}
	if w.overlapped != w.pushes || w.pushes != 3 {
		t.Fatalf("%d of %d batches were pushed while the next was read, want 3 of 3", w.overlapped, w.pushes)
	}
	if r.Sent != len(m.outbox) || !slices.Equal(m.batches, []int{client.PushBatch, client.PushBatch, 500}) {
		t.Fatalf("sent %d of %d in batches %v", r.Sent, len(m.outbox), m.batches)
	}
	b, cb := device(t, srv, 0)
	if _, err := client.PullOnce(ctx, b, cb); err != nil {
		t.Fatal(err)
	}
	if len(b.inbox) != len(m.outbox) {
		t.Fatalf("the server holds %d changes, the outbox had %d", len(b.inbox), len(m.outbox))
	}
}

// failingAhead is a store whose read ahead always fails.
type failingAhead struct{ *memStore }

func (failingAhead) OutboxBatchAfter(context.Context, chart.ChangeID, int, int) ([]wire.Change, error) {
	return nil, errors.New("the change read after is gone")
}

// A read ahead that fails costs nothing but the overlap: the next batch is
// read once the one before is acknowledged, and the whole outbox goes.
func TestPushReadsAgainWhenTheReadAheadFails(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	m, c := device(t, srv, client.PushBatch+10)
	r, err := client.PushOnce(ctx, failingAhead{m}, c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sent != len(m.outbox) || !slices.Equal(m.batches, []int{client.PushBatch, 10}) {
		t.Fatalf("sent %d of %d in batches %v", r.Sent, len(m.outbox), m.batches)
	}
}
