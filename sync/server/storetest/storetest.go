// Package storetest is the conformance suite of the practice server's
// store: Run holds an implementation (SQLite, PostgreSQL) to the protocol's
// promises through the real handlers over TLS, in the manner of
// litestream's replica client tests. The same tests run, unchanged, on
// every engine (see storetest_test.go).
package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/server"
	"outpost/sync/server/servertest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// Opener opens a new, empty store for one test; the test closes it.
type Opener func(t *testing.T) *server.Store

// Run runs every conformance test on stores from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		f    func(*testing.T, Opener)
	}{
		{"IdempotentPush", testIdempotentPush},
		{"DenseOrdering", testDenseOrdering},
		{"PagedAndFilteredPull", testPagedAndFilteredPull},
		{"Enrolment", testEnrolment},
		{"EnrolmentRace", testEnrolmentRace},
		{"SameDeviceRace", testSameDeviceRace},
		{"Supersede", testSupersede},
		{"LastSeen", testLastSeen},
		{"ConnectionsReturned", testConnectionsReturned},
		{"LargePush", testLargePush},
		{"Revocation", testRevocation},
		{"ReplayRefused", testReplayRefused},
		{"Quota", testQuota},
		{"PracticesIsolated", testPracticesIsolated},
		{"ConcurrentPushersAndPullers", testConcurrentPushersAndPullers},
		{"JoinHeads", testJoinHeads},
		{"Incarnation", testIncarnation},
		{"SeqIDs", testSeqIDs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, open) })
	}
}

func start(t *testing.T, open Opener, o server.Options) *servertest.Server {
	t.Helper()
	return servertest.StartOn(t, open(t), o)
}

// Changes makes n changes of dev for patient, sealedLen random bytes each.
func Changes(dev chart.DeviceID, n int, patient chart.PatientID, sealedLen int) []wire.Change {
	out := make([]wire.Change, n)
	user := chart.NewUserID()
	for i := range out {
		sealed := make([]byte, sealedLen)
		rand.Read(sealed)
		out[i] = wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewPatientID()), Kind: "note",
			PatientID: patient, Version: 1, Parents: []chart.ChangeID{}, DeviceID: dev, UserID: user,
			HLC: clock.Timestamp{Wall: time.Now().UnixMilli(), Logical: uint32(i)}.String(), Sealed: sealed}
	}
	return out
}

// pullAll pages through everything after 0 with pages of limit.
func pullAll(t *testing.T, c *transport.Client, limit int, patients []chart.PatientID) ([]wire.Change, wire.PullResponse) {
	t.Helper()
	var all []wire.Change
	after := int64(0)
	for {
		resp, err := c.Pull(context.Background(), after, limit, patients)
		if err != nil {
			t.Fatalf("pull after %d: %v", after, err)
		}
		all = append(all, resp.Changes...)
		if resp.Next < after {
			t.Fatalf("cursor went back from %d to %d", after, resp.Next)
		}
		after = resp.Next
		if !resp.More {
			return all, resp
		}
	}
}

func ids(cs []wire.Change) []chart.ChangeID {
	out := make([]chart.ChangeID, len(cs))
	for i, c := range cs {
		out[i] = c.ChangeID
	}
	return out
}

func reason(err error) string {
	var e *transport.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// A retried push (a lost reply, a duplicate batch, an id twice in one
// batch) stores each change once and acknowledges it with its first seq.
func testIdempotentPush(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	batch := Changes(dev, 5, chart.NewPatientID(), 100)
	first, err := a.Push(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	again, err := a.Push(ctx, append(batch, batch[0]))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first, again[:5]) || again[5] != first[0] {
		t.Fatalf("a retried push got other acks: %v then %v", first, again)
	}
	if n, _ := s.Store.ChangeCount(ctx); n != 5 {
		t.Fatalf("%d changes stored after a duplicate batch, want 5", n)
	}
	b := s.Enroll(t, chart.NewDeviceID(), "B")
	got, _ := pullAll(t, b, 100, nil)
	if !slices.Equal(ids(got), ids(batch)) {
		t.Fatalf("pulled %v, want %v", ids(got), ids(batch))
	}
}

// Seqs are 1, 2, 3, ... in push order, across pushes and devices, and a
// refused push takes none.
func testDenseOrdering(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	devA, devB := chart.NewDeviceID(), chart.NewDeviceID()
	a, b := s.Enroll(t, devA, "A"), s.Enroll(t, devB, "B")
	var want int64
	for i := range 4 {
		c, dev := a, devA
		if i%2 == 1 {
			c, dev = b, devB
		}
		acks, err := c.Push(ctx, Changes(dev, 3, "", 10))
		if err != nil {
			t.Fatal(err)
		}
		for _, ack := range acks {
			want++
			if ack.Seq != want {
				t.Fatalf("seq %d, want %d", ack.Seq, want)
			}
		}
		// A push naming another device is refused and takes no seq.
		if _, err := c.Push(ctx, Changes(devA+devB, 1, "", 10)); err == nil {
			t.Fatal("a push of another device's change was accepted")
		}
	}
	c := s.Enroll(t, chart.NewDeviceID(), "C")
	resp, err := c.Pull(ctx, 0, 100, nil)
	if err != nil || len(resp.Changes) != 12 || resp.Head != 12 || resp.Next != 12 {
		t.Fatalf("pull: %d changes, head %d, next %d, %v; want 12", len(resp.Changes), resp.Head, resp.Next, err)
	}
}

// Pages of any size give every change once, in order; a patient filter
// gives that patient's and practice-wide changes, and moves the cursor to
// the head; a device's own changes come only when asked.
func testPagedAndFilteredPull(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	p1, p2 := chart.NewPatientID(), chart.NewPatientID()
	var all []wire.Change
	for _, p := range []chart.PatientID{p1, p2, "", p1} {
		batch := Changes(dev, 4, p, 50)
		if _, err := a.Push(ctx, batch); err != nil {
			t.Fatal(err)
		}
		all = append(all, batch...)
	}
	b := s.Enroll(t, chart.NewDeviceID(), "B")
	for _, limit := range []int{1, 3, 16, 100} {
		got, last := pullAll(t, b, limit, nil)
		if !slices.Equal(ids(got), ids(all)) || last.Head != 16 {
			t.Fatalf("limit %d: pulled %d changes (head %d), want all 16 in order", limit, len(got), last.Head)
		}
	}
	got, last := pullAll(t, b, 3, []chart.PatientID{p1})
	var want []wire.Change
	for _, c := range all {
		if c.PatientID == p1 || c.PatientID == "" {
			want = append(want, c)
		}
	}
	if !slices.Equal(ids(got), ids(want)) || last.Next != 16 {
		t.Fatalf("filtered: %d changes, next %d; want %d, next 16", len(got), last.Next, len(want))
	}
	if own, _ := pullAll(t, a, 100, nil); len(own) != 0 {
		t.Fatalf("a device pulled %d of its own changes without asking", len(own))
	}
	a.IncludeOwn = true
	if own, _ := pullAll(t, a, 100, nil); len(own) != 16 {
		t.Fatalf("with IncludeOwn: %d changes, want 16", len(own))
	}
}

// A code enrols once, before it expires; the first enrolment binds the
// practice, and a workstation of another practice is refused; a joining
// workstation learns the practice.
func testEnrolment(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	s.Enroll(t, chart.NewDeviceID(), "First")
	code := s.Code(t)
	stranger := servertestClient(code)
	if _, err := stranger.EnrollWith(ctx, code, "Stranger", chart.NewPracticeID()); reason(err) != wire.ReasonWrongPractice {
		t.Fatalf("another practice's workstation: %v, want %s", err, wire.ReasonWrongPractice)
	}
	joiner := servertestClient(code)
	resp, err := joiner.EnrollWith(ctx, code, "Joiner", "")
	if err != nil || resp.PracticeID != s.Practice {
		t.Fatalf("joining: %v, practice %q, want %q", err, resp.PracticeID, s.Practice)
	}
	if _, err := servertestClient(code).EnrollWith(ctx, code, "Again", ""); reason(err) != wire.ReasonBadCode {
		t.Fatalf("a used code: %v, want %s", err, wire.ReasonBadCode)
	}
	if _, err := joiner.Pull(ctx, 0, 10, nil); err != nil {
		t.Fatalf("the joiner cannot pull: %v", err)
	}
}

// A revoked device is refused from its next request, is listed to its
// practice's pulls, and its key cannot enrol again.
func testRevocation(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	devA := chart.NewDeviceID()
	a, b := s.Enroll(t, devA, "A"), s.Enroll(t, chart.NewDeviceID(), "B")
	if err := s.Store.Revoke(ctx, string(devA), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Push(ctx, Changes(devA, 1, "", 10)); reason(err) != wire.ReasonRevoked {
		t.Fatalf("revoked push: %v", err)
	}
	resp, err := b.Pull(ctx, 0, 10, nil)
	if err != nil || len(resp.Revoked) != 1 || resp.Revoked[0].DeviceID != devA {
		t.Fatalf("pull lists revoked %v (%v), want %s", resp.Revoked, err, devA)
	}
	code := s.Code(t)
	again := transport.NewClient(code, chart.NewDeviceID(), a.PrivateKey)
	if _, err := again.EnrollWith(ctx, code, "A again", ""); reason(err) != wire.ReasonKeyInUse {
		t.Fatalf("a revoked key enrolled again: %v", err)
	}
}

// A request sent twice is refused the second time, and stores nothing.
func testReplayRefused(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	rec := Record(a)
	if _, err := a.Push(ctx, Changes(dev, 2, "", 10)); err != nil {
		t.Fatal(err)
	}
	status, body := rec.Replay(t, s.Addr())
	if status != 401 || body.Reason != wire.ReasonReplay {
		t.Fatalf("replayed push: %d %+v, want 401 %s", status, body, wire.ReasonReplay)
	}
	if n, _ := s.Store.ChangeCount(ctx); n != 2 {
		t.Fatalf("%d changes after a replay, want 2", n)
	}
}

// A push past the device's quota is refused whole; a retry of stored
// changes costs nothing.
func testQuota(t *testing.T, open Opener) {
	ctx := context.Background()
	quota := int64(4 * (100 + server.ChangeOverhead))
	s := start(t, open, server.Options{DeviceQuota: quota})
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	three := Changes(dev, 3, "", 100)
	if _, err := a.Push(ctx, three); err != nil {
		t.Fatal(err)
	}
	var e *transport.Error
	if _, err := a.Push(ctx, Changes(dev, 2, "", 100)); !errors.As(err, &e) || e.Reason != wire.ReasonQuota {
		t.Fatalf("over quota: %v, want %s", err, wire.ReasonQuota)
	}
	if _, err := a.Push(ctx, three); err != nil {
		t.Fatalf("a retry of stored changes over quota: %v", err)
	}
	if n, _ := s.Store.ChangeCount(ctx); n != 3 {
		t.Fatalf("%d changes stored, want 3", n)
	}
	if stored, _ := s.Store.StoredBytes(ctx, string(dev)); stored != 3*(100+server.ChangeOverhead) {
		t.Fatalf("stored bytes %d, want %d", stored, 3*(100+server.ChangeOverhead))
	}
}

func servertestClient(code wire.EnrollmentCode) *transport.Client {
	return transport.NewClient(code, chart.NewDeviceID(), newKey())
}

// Every pull reply carries the store's incarnation, which Reincarnate
// renews (a store brought back from a copy); a workstation asking after a
// seq the store never reached (its cursor from before the copy) is told
// the head as next, in a valid reply, so it can tell.
func testIncarnation(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	inc, err := s.Store.Incarnation(ctx)
	if err != nil || !wire.ValidIncarnation(inc) {
		t.Fatalf("a new store's incarnation %q, %v", inc, err)
	}
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	if _, err := a.Push(ctx, Changes(dev, 3, chart.NewPatientID(), 50)); err != nil {
		t.Fatal(err)
	}
	b := s.Enroll(t, chart.NewDeviceID(), "B")
	_, page := pullAll(t, b, 100, nil)
	if page.Incarnation != inc || page.Head != 3 {
		t.Fatalf("pull reply: incarnation %q head %d, want %q and 3", page.Incarnation, page.Head, inc)
	}
	renewed, err := s.Store.Reincarnate(ctx)
	if err != nil || renewed == inc || !wire.ValidIncarnation(renewed) {
		t.Fatalf("Reincarnate: %q (was %q), %v", renewed, inc, err)
	}
	ahead, err := b.Pull(ctx, 40, 100, nil)
	if err != nil {
		t.Fatalf("a pull after a seq the store never reached: %v", err)
	}
	if ahead.Incarnation != renewed || ahead.Next != 3 || ahead.Head != 3 || ahead.More || len(ahead.Changes) != 0 {
		t.Fatalf("pull after 40 of a store at 3: %+v", ahead)
	}
}
