package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"outpost/sync/client"
	"outpost/sync/wire"
)

// Faults between real workstations (SQLite stores, the real sync loop and
// client) and the real server binary, through a TCP proxy. Each ends,
// after syncing again, with settle's promises: every change on the server
// exactly once with dense seqs, identical decrypted patients everywhere,
// empty outboxes, nothing lost.

// (a) The server committed a push but its reply never reached the
// workstation: the changes stay in the outbox, are sent again, and are
// acknowledged with their first seqs, not stored twice.
func TestLostPushReplyIsSentAgainAndStoredOnce(t *testing.T) {
	r := newPracticeRig(t)
	a := r.firstStation(t, "A")
	b := r.joinStation(t, a, "B")
	r.register(t, a, 3)
	r.register(t, b, 2)
	r.settle(t, a, b) // also leaves each workstation a warm connection to fault
	r.register(t, a, 20)
	sent := r.note(t, a)

	answered := r.pushReplies()
	if a.proxy.swallowReplies() == 0 {
		t.Fatal("A has no open connection to fault")
	}
	done := a.syncAsync(t)
	waitFor(t, "the server to commit and answer A's push", func() bool { return r.pushReplies() > answered })
	a.proxy.cut()
	if err := <-done; err == nil {
		t.Fatal("A's sync succeeded although the server's reply never arrived")
	}
	if n := a.outboxLen(t); n != len(sent) {
		t.Fatalf("A's outbox holds %d changes after the lost reply, want all %d", n, len(sent))
	}
	onServer, _ := r.serverChanges(t, b.c)
	for _, c := range sent {
		if !onServer[c.ChangeID] {
			t.Fatalf("change %s is not on the server: the fault struck before the commit", c.ChangeID)
		}
	}
	if rep := a.sync(t); rep.Sent+rep.AuditSent != len(sent) {
		t.Fatalf("A's retry sent %d changes, want %d", rep.Sent+rep.AuditSent, len(sent))
	}
	r.settle(t, a, b)
}

// (b) A pull reply cut in the middle of its body applies nothing and moves
// no cursor; the next sync pulls the page whole.
func TestPullCutMidBodyAppliesNothingThenResumes(t *testing.T) {
	ctx := context.Background()
	r := newPracticeRig(t)
	a := r.firstStation(t, "A")
	b := r.joinStation(t, a, "B")
	r.register(t, a, 1)
	r.settle(t, a, b)
	held := len(b.patients(t))
	b.sync(t) // sends the audit of that read: B's next sync only pulls
	r.register(t, a, 60)
	a.sync(t)

	cursor, err := b.s.PullCursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page, err := b.c.Pull(ctx, cursor, wire.MaxPullLimit, nil)
	if err != nil {
		t.Fatal(err)
	}
	const cutAt = 8 << 10
	var reply bytes.Buffer
	if err := wire.Encode(&reply, &page); err != nil || reply.Len() < 4*cutAt {
		t.Fatalf("the page is %d bytes (%v); it must be well over %d for the cut to fall mid-body", reply.Len(), err, cutAt)
	}
	if b.proxy.truncateReplies(cutAt) == 0 {
		t.Fatal("B has no open connection to fault")
	}
	if err := <-b.syncAsync(t); err == nil {
		t.Fatal("B's sync succeeded although the reply was cut")
	}
	if after, err := b.s.PullCursor(ctx); err != nil || after != cursor {
		t.Fatalf("B's cursor moved from %d to %d (%v) on a cut reply", cursor, after, err)
	}
	if n := len(b.patients(t)); n != held {
		t.Fatalf("B holds %d patients after the cut reply, want the %d it had", n, held)
	}
	if rep, want := b.sync(t), chartChanges(page.Changes); rep.Received != want {
		t.Fatalf("B's retry received %d chart changes, want the page's %d", rep.Received, want)
	}
	r.settle(t, a, b)
}

// (c) kill -9 while a large push is being committed, then a restart: the
// batch is stored whole or not at all, and the retry completes it. The
// kill comes once the whole body is on its way (the server is decoding or
// committing it), then a little later, to land on either side of the
// commit.
func TestServerKilledDuringLargePushThenRestarted(t *testing.T) {
	r := newPracticeRig(t)
	a := r.firstStation(t, "A")
	b := r.joinStation(t, a, "B")
	r.register(t, a, 5)
	r.register(t, b, 5)
	r.settle(t, a, b)
	for _, delay := range []time.Duration{0, 20 * time.Millisecond} {
		r.register(t, a, 80)
		killDuringPush(t, r, a, delay)
		r.srv = startServer(t, r.dir)
		afterCrash()
		a.proxy.retarget(r.srv.addr)
		b.proxy.retarget(r.srv.addr)
		a.sync(t) // the retry
	}
	r.settle(t, a, b)
}

func killDuringPush(t *testing.T, r *practiceRig, a *station, delay time.Duration) {
	t.Helper()
	_, before := r.serverChanges(t, a.c)
	batch := r.note(t, a)
	if len(batch) > client.PushBatch {
		t.Fatalf("%d changes do not go in one push", len(batch))
	}
	// The body as the workstation sends it, in the protocol it speaks.
	codec, _ := wire.CodecFor(strconv.Itoa(a.c.SpeaksProtocol()))
	var body bytes.Buffer
	if err := codec.Encode(&body, &wire.PushRequest{Changes: batch}); err != nil {
		t.Fatal(err)
	}
	uploaded := a.proxy.afterUpload(int64(body.Len()))
	done := a.syncAsync(t)
	<-uploaded
	time.Sleep(delay)
	r.srv.kill(t)
	err := <-done
	stored := storedCount(t, r.dir)
	t.Logf("killed %s after a %d-byte upload: sync error %v; %d stored, %d before + %d pushed",
		delay, body.Len(), err, stored, before, len(batch))
	if stored != before && stored != before+int64(len(batch)) {
		t.Fatalf("%d changes stored: the push was partly committed", stored)
	}
	if err == nil && stored != before+int64(len(batch)) {
		t.Fatal("a push was acknowledged but is not stored")
	}
}

// (d) The same batch delivered again: once by a second sync after the
// first push's ack was never recorded, once as a fresh request (new
// signature and nonce) after other changes moved the seqs on. Each time the
// server answers with the first seqs and stores nothing.
func TestSameBatchDeliveredTwiceIsStoredOnce(t *testing.T) {
	ctx := context.Background()
	r := newPracticeRig(t)
	a := r.firstStation(t, "A")
	b := r.joinStation(t, a, "B")
	r.register(t, a, 10)
	batch := r.note(t, a)

	first, err := a.c.Push(ctx, batch) // stored, but A never marks it sent
	if err != nil {
		t.Fatal(err)
	}
	if rep := a.sync(t); rep.Sent+rep.AuditSent != len(batch) {
		t.Fatalf("A's sync sent %d changes, want the %d again", rep.Sent+rep.AuditSent, len(batch))
	}
	r.register(t, b, 4)
	b.sync(t)
	again, err := a.c.Push(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if again[i] != first[i] {
			t.Fatalf("re-delivered change %d acked as %+v, first %+v", i, again[i], first[i])
		}
	}
	ids, head := r.serverChanges(t, b.c)
	if len(ids) != len(r.ledger) || head != int64(len(ids)) {
		t.Fatalf("server holds %d changes, head %d; want %d with no seq holes", len(ids), head, len(r.ledger))
	}
	r.settle(t, a, b)
	if listing := runCmd(t, "devices", "-dir", r.dir); !strings.Contains(listing, "Practice: "+string(a.s.Practice().ID)) {
		t.Fatalf("the server is not bound to the workstations' practice:\n%s", listing)
	}
}

// chartChanges counts the changes a sync report calls received: all but
// audit entries, single or in batches.
func chartChanges(cs []wire.Change) int {
	n := 0
	for _, c := range cs {
		if c.Kind != wire.KindAudit && c.Kind != wire.KindAuditBatch {
			n++
		}
	}
	return n
}
