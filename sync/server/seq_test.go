package server_test

import (
	"context"
	"testing"

	"outpost/sync/server/storetest"
	"outpost/sync/wire"
)

// Re-sent changes take no seq: after pushes that repeat earlier changes
// (whole, mixed with new ones, or twice within one batch) the seqs are
// exactly 1..n, and every pull reports the head.
func TestRepeatedPushesLeaveNoSeqHoles(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	ctx := context.Background()
	first := storetest.Changes(c.DeviceID, 10, "", 8)
	fresh := storetest.Changes(c.DeviceID, 5, "", 8)
	mixed := append(append(append([]wire.Change{}, first[:5]...), fresh...), fresh[0], first[9])
	later := storetest.Changes(c.DeviceID, 3, "", 8)
	seqOf := map[string]int64{}
	for _, batch := range [][]wire.Change{first, first, mixed, later} {
		acks, err := c.Push(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range acks {
			if old, ok := seqOf[string(a.ChangeID)]; ok && old != a.Seq {
				t.Fatalf("change %s acked with seq %d, earlier %d", a.ChangeID, a.Seq, old)
			}
			seqOf[string(a.ChangeID)] = a.Seq
		}
	}
	n := int64(len(first) + len(fresh) + len(later))
	seen := map[int64]bool{}
	for _, s := range seqOf {
		seen[s] = true
	}
	for s := int64(1); s <= n; s++ {
		if !seen[s] {
			t.Fatalf("seq %d is a hole; seqs %v", s, seqOf)
		}
	}
	if len(seqOf) != int(n) || f.count(t) != n {
		t.Fatalf("%d distinct changes acked, %d stored; want %d", len(seqOf), f.count(t), n)
	}
	page, err := c.Pull(ctx, 0, 4, nil)
	if err != nil || page.Next != 4 || page.Head != n || !page.More {
		t.Fatalf("first page: next %d head %d more %v (%v); want 4, %d, true", page.Next, page.Head, page.More, err, n)
	}
	page, err = c.Pull(ctx, n, 4, nil)
	if err != nil || len(page.Changes) != 0 || page.Next != n || page.Head != n || page.More {
		t.Fatalf("caught-up page: %d changes next %d head %d (%v)", len(page.Changes), page.Next, page.Head, err)
	}
}
