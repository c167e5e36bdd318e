package client_test

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/server/servertest"
	"outpost/sync/transport"
)

// watchingStore is a memStore that starts over when the server's
// incarnation changes, as the SQLite store does (tested there in full):
// cursor 0, own changes queued again.
type watchingStore struct {
	*memStore
	incarnation string
	notes       []int64 // the cursor at each NoteServer, before its page applies
}

func (w *watchingStore) NoteServer(_ context.Context, incarnation string, head int64) (*chart.ServerResync, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.notes = append(w.notes, w.cursor)
	seen := w.incarnation
	w.incarnation = incarnation
	if seen == "" || seen == incarnation {
		return nil, nil
	}
	r := &chart.ServerResync{Restored: true, Cursor: w.cursor, Requeued: len(w.acked)}
	w.cursor, w.acked = 0, map[chart.ChangeID]bool{}
	return r, nil
}

// A sync that finds the server restored stops before applying the page it
// asked for with its old cursor, then sends its own changes again and
// pulls from 0 within the same sync, and says so in its report; the
// server stores nothing twice.
func TestSyncStartsOverWithARestoredServer(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	var b *watchingStore
	cb := settledPair(t, srv, func(m *memStore) client.Store { b = &watchingStore{memStore: m}; return b })
	if b.incarnation == "" || b.cursor != 50 {
		t.Fatalf("B saw incarnation %q, cursor %d; want one, and 50", b.incarnation, b.cursor)
	}
	if _, err := srv.Store.Reincarnate(ctx); err != nil {
		t.Fatal(err)
	}
	b.notes, b.applies, b.batches = nil, nil, nil
	rep, err := client.SyncOnce(ctx, b, cb)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resync == nil || rep.Resync.Cursor != 50 || rep.Sent != 20 {
		t.Fatalf("report %+v (resync %+v); want a resync from cursor 50 and B's 20 changes sent again", rep, rep.Resync)
	}
	if len(b.notes) < 2 || b.notes[0] != 50 || b.notes[1] != 0 || len(b.applies) == 0 {
		t.Fatalf("cursors at NoteServer %v, applies %v: want the stale page left unapplied and a pull from 0", b.notes, b.applies)
	}
	if n, _ := srv.Store.ChangeCount(ctx); n != 50 || b.cursor != 50 {
		t.Fatalf("server holds %d changes, B's cursor %d; want 50 and 50 (nothing stored twice)", n, b.cursor)
	}
}

// settledPair enrols A (30 changes) and B (20, its store made by wrap)
// and syncs A, B, A, B, so that each holds the other's changes (B's
// cursor at 50); it returns B's client.
func settledPair(t *testing.T, srv *servertest.Server, wrap func(*memStore) client.Store) *transport.Client {
	t.Helper()
	a, ca := device(t, srv, 30)
	mb, cb := device(t, srv, 20)
	b := wrap(mb)
	for _, sc := range []struct {
		st client.Store
		c  *transport.Client
	}{{a, ca}, {b, cb}, {a, ca}, {b, cb}} {
		if _, err := client.SyncOnce(context.Background(), sc.st, sc.c); err != nil {
			t.Fatal(err)
		}
	}
	return cb
}

// The status line says, in words, that the practice server was restored
// and this workstation sent its changes again; the sync still ends idle.
func TestRunnerSaysTheServerWasRestored(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	a := newStation(t)
	a.register(t, "Oyelaran")
	a.enroll(t, srv)
	r := a.runner(t, quiet)
	r.Start()
	first := waitFor(t, r, "the first sync", func(s client.Status) bool { return s.State == client.StateIdle })
	if first.Notice != "" {
		t.Fatalf("notice %q before any restore", first.Notice)
	}
	if _, err := srv.Store.Reincarnate(ctx); err != nil {
		t.Fatal(err)
	}
	r.Trigger()
	st := waitFor(t, r, "the sync after the restore", func(s client.Status) bool {
		return s.State == client.StateIdle && s.LastSync.After(first.LastSync)
	})
	if st.Notice != client.RestoredNotice || st.LastReport.Resync == nil || st.Pending != 0 || st.LastError != "" {
		t.Fatalf("status after the restore %+v; want the restored notice, nothing pending", st)
	}
}
