package client_test

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/server/servertest"
	"outpost/sync/wire"
)

// markingStore is a memStore that keeps the change the server numbered its
// cursor (the pull mark) and starts over when a pull after that seq names
// another change there, as the SQLite store does (tested there in full).
type markingStore struct {
	*memStore
	markSeq int64
	markID  chart.ChangeID
	checks  []int64 // the after of each NotePulledAt
}

func (m *markingStore) ApplyRemoteAt(ctx context.Context, cs []wire.Change, next int64, nextID chart.ChangeID) (int, int, error) {
	n, c, err := m.ApplyRemote(ctx, cs, next)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil && next == m.cursor {
		m.markSeq, m.markID = next, nextID
	}
	return n, c, err
}

func (m *markingStore) NotePulledAt(_ context.Context, after int64, afterID chart.ChangeID) (*chart.ServerResync, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.checks = append(m.checks, after)
	if m.markID == "" || after != m.markSeq || afterID == m.markID {
		return nil, nil
	}
	r := &chart.ServerResync{Cursor: m.cursor, Requeued: len(m.acked)}
	m.cursor, m.acked, m.markSeq, m.markID = 0, map[chart.ChangeID]bool{}, 0, ""
	return r, nil
}

// The sync keeps, with the cursor, the change the server holds at it, and
// hands the store the change the server holds at each pull's after seq;
// when the store finds another there (a server copied back, its head past
// the cursor again) the sync sends its own changes again and pulls from 0
// within the same sync, as for a new incarnation.
func TestSyncStartsOverWhenTheChangeAtTheCursorDiffers(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	var b *markingStore
	cb := settledPair(t, srv, func(m *memStore) client.Store { b = &markingStore{memStore: m}; return b })
	at, err := srv.Store.ChangeIDsAt(ctx, string(cb.DeviceID), 50)
	if err != nil || b.cursor != 50 || b.markSeq != 50 || b.markID != at[50] {
		t.Fatalf("B's cursor %d, mark %d %q; want 50 and the server's change there %q (%v)", b.cursor, b.markSeq, b.markID, at[50], err)
	}
	b.checks = nil
	if rep, err := client.SyncOnce(ctx, b, cb); err != nil || rep.Resync != nil || len(b.checks) != 1 || b.checks[0] != 50 {
		t.Fatalf("sync with the same change at 50: %+v, %v, checks %v; want one check after 50 and no resync", rep, err, b.checks)
	}
	b.markID = chart.NewChangeID() // as if the server now held another change at 50
	rep, err := client.SyncOnce(ctx, b, cb)
	if err != nil || rep.Resync == nil || rep.Resync.Cursor != 50 || rep.Sent != 20 {
		t.Fatalf("report %+v (resync %+v), %v; want a resync from 50 and B's 20 changes sent again", rep, rep.Resync, err)
	}
	if n, _ := srv.Store.ChangeCount(ctx); n != 50 || b.cursor != 50 || b.markID != at[50] {
		t.Fatalf("server holds %d changes, B's cursor %d, mark %q; want 50, 50 and %q", n, b.cursor, b.markID, at[50])
	}
}
