package sqlite

import (
	"context"
	"strings"
	"testing"

	"outpost/sync/client"
	"outpost/sync/wire"
)

var _ client.ServerWatcher = (*Session)(nil)

// A workstation that finds the practice server restored (a new store
// incarnation) starts over with it: its pull cursor goes back to 0, its own
// changes (those whose bytes it holds) wait to be sent again, tagged as a
// push tags them, another workstation's changes stay out of its outbox, and
// it is audited. The next sync sends them; the server, which still holds
// them here, acknowledges them without storing or numbering any twice, and
// the pull from 0 stores nothing twice.
func TestNoteServerStartsOverAfterARestore(t *testing.T) {
	ctx := context.Background()
	server, a, b := twoStations(t)
	register(t, a.admin, samplePatient("Aurelia", "Quennell"))
	register(t, b.admin, samplePatient("Bartholomew", "Ostrander"))
	a.sync(t)
	b.sync(t)
	a.sync(t)
	inc, err := server.store.Incarnation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := metaValue(t, a.w, metaServerIncarnation); got != inc {
		t.Fatalf("A remembers incarnation %q after syncing, the server's is %q", got, inc)
	}
	cursor := must(a.admin.PullCursor(ctx))(t)
	if cursor == 0 {
		t.Fatal("A's cursor did not move")
	}
	for _, same := range []struct {
		inc  string
		head int64
	}{{inc, cursor}, {inc, cursor + 5}, {"", 0}} {
		if r := must(a.admin.NoteServer(ctx, same.inc, same.head))(t); r != nil {
			t.Fatalf("NoteServer(%q, %d) with cursor %d reset: %+v", same.inc, same.head, cursor, r)
		}
	}
	if n := len(must(a.admin.Outbox(ctx, wire.MaxChangesPerPush))(t)); n != 0 {
		t.Fatalf("A's outbox holds %d changes before any restore", n)
	}
	stored := must(server.store.ChangeCount(ctx))(t)

	restored := must(server.store.Reincarnate(ctx))(t)
	r := must(a.admin.NoteServer(ctx, restored, cursor))(t)
	if r == nil || !r.Restored || r.Cursor != cursor || r.Requeued == 0 {
		t.Fatalf("NoteServer after a restore: %+v, want a reset from cursor %d", r, cursor)
	}
	if got := must(a.admin.PullCursor(ctx))(t); got != 0 {
		t.Fatalf("cursor %d after the reset, want 0", got)
	}
	wantAuditDetail(t, a.admin, "sync: the practice server was brought back from a copy")
	out := must(a.admin.Outbox(ctx, wire.MaxChangesPerPush))(t)
	requeued := 0
	for _, c := range out {
		if c.DeviceID != a.admin.deviceID {
			t.Fatalf("A queued %s's change %s (%s) to send", c.DeviceID, c.ChangeID, c.Kind)
		}
		if err := checkChangeTag(a.admin.key, &c); err != nil || len(c.Sealed) == 0 {
			t.Fatalf("requeued change %s (%s): tag %v, %d sealed bytes", c.ChangeID, c.Kind, err, len(c.Sealed))
		}
		if c.Kind != kindAuditBatch { // the reset's own audit entry is packed as a new batch
			requeued++
		}
	}
	if requeued == 0 || requeued > r.Requeued {
		t.Fatalf("outbox holds %d requeued chart changes, NoteServer said %d", requeued, r.Requeued)
	}
	if again := must(a.admin.NoteServer(ctx, restored, 0))(t); again != nil {
		t.Fatalf("a second NoteServer with the same incarnation reset again: %+v", again)
	}

	rep := a.sync(t)
	if rep.Resync != nil || rep.Received != 0 {
		t.Fatalf("the sync after the reset: %+v; want no second reset and nothing received twice", rep)
	}
	if n := len(must(a.admin.Outbox(ctx, wire.MaxChangesPerPush))(t)); n != 0 {
		t.Fatalf("A's outbox holds %d changes after sending them again", n)
	}
	// Only the new audit batch is new to the server: the rest it held.
	if now := must(server.store.ChangeCount(ctx))(t); now != stored+1 {
		t.Fatalf("the server holds %d changes after the re-send, had %d (+1 audit batch expected)", now, stored)
	}
	if got := must(a.admin.PullCursor(ctx))(t); got != must(server.store.ChangeCount(ctx))(t) {
		t.Fatalf("cursor %d after pulling from 0, server head %d", got, stored+1)
	}
}

// A server brought back without a new incarnation (files copied back, no
// `outpost-server reincarnate`) shows as a head below the cursor; the
// first incarnation a workstation sees is only remembered; a server too
// old to say either changes nothing.
func TestNoteServerRewindAndFirstSight(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.admin
	inc1, inc2 := strings.Repeat("1", 32), strings.Repeat("2", 32)
	if r := must(s.NoteServer(ctx, inc1, 0))(t); r != nil {
		t.Fatalf("first sight reset: %+v", r)
	}
	if got := metaValue(t, f.w, metaServerIncarnation); got != inc1 {
		t.Fatalf("remembered %q, want %q", got, inc1)
	}
	setCursor(t, s, 40)
	if r := must(s.NoteServer(ctx, "", 0))(t); r != nil {
		t.Fatalf("a server saying nothing reset: %+v", r)
	}
	if got := must(s.PullCursor(ctx))(t); got != 40 {
		t.Fatalf("cursor %d, want 40 untouched", got)
	}
	r := must(s.NoteServer(ctx, inc1, 25))(t)
	if r == nil || r.Restored || r.Cursor != 40 {
		t.Fatalf("head 25 below cursor 40: %+v, want a rewind reset", r)
	}
	if got := must(s.PullCursor(ctx))(t); got != 0 {
		t.Fatalf("cursor %d after the rewind, want 0", got)
	}
	setCursor(t, s, 7)
	if r := must(s.NoteServer(ctx, inc2, 30))(t); r == nil || !r.Restored {
		t.Fatalf("a new incarnation: %+v, want a restore reset", r)
	}
	if got := metaValue(t, f.w, metaServerIncarnation); got != inc2 {
		t.Fatalf("remembered %q after the reset, want %q", got, inc2)
	}

	// A workstation that first sees an incarnation from a server already
	// rewound: the cursor tells, and it is no "new incarnation".
	g := newFixture(t)
	setCursor(t, g.admin, 60)
	if r := must(g.admin.NoteServer(ctx, inc1, 12))(t); r == nil || r.Restored || r.Cursor != 60 {
		t.Fatalf("first sight of a server at 12 with cursor 60: %+v, want a rewind reset", r)
	}
}

func setCursor(t *testing.T, s *Session, n int64) {
	t.Helper()
	if _, _, err := s.ApplyRemote(context.Background(), nil, n); err != nil {
		t.Fatal(err)
	}
}

func metaValue(t *testing.T, w *Workstation, key string) string {
	t.Helper()
	m, err := readMeta(context.Background(), w.db, key)
	if err != nil {
		t.Fatal(err)
	}
	return m[key]
}
