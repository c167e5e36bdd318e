package sqlite

import (
	"context"
	"strings"
	"testing"

	"outpost/chart"
)

// A server brought back without a new incarnation whose head has passed
// the cursor again: only the change it holds at the cursor's seq tells.
// The mark is kept with the cursor; a pull after exactly that seq naming
// another change starts over (as for a new incarnation) and forgets the
// mark; the same change, another seq, or a server that names none change
// nothing.
func TestNotePulledAtFindsAServerRewoundBelowItsHead(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.admin
	kept, other := chart.NewChangeID(), chart.NewChangeID()
	setCursor(t, s, 10) // moved by a server without seq ids: no mark
	if r := must(s.NotePulledAt(ctx, 10, other))(t); r != nil {
		t.Fatalf("no mark, yet reset: %+v", r)
	}
	if _, _, err := s.ApplyRemoteAt(ctx, nil, 40, kept); err != nil {
		t.Fatal(err)
	}
	if got := metaValue(t, f.w, metaPullMark); got != "40 "+string(kept) {
		t.Fatalf("pull mark %q after moving to 40", got)
	}
	// A page applied behind the cursor leaves the mark at the cursor.
	if _, _, err := s.ApplyRemoteAt(ctx, nil, 30, other); err != nil {
		t.Fatal(err)
	}
	if got := metaValue(t, f.w, metaPullMark); got != "40 "+string(kept) {
		t.Fatalf("pull mark %q after a page behind the cursor", got)
	}
	for _, c := range []struct {
		after int64
		id    chart.ChangeID
	}{{40, kept}, {39, other}, {41, other}, {40, ""}} {
		if r := must(s.NotePulledAt(ctx, c.after, c.id))(t); r != nil {
			t.Fatalf("after %d holding %q: reset %+v", c.after, c.id, r)
		}
	}
	r := must(s.NotePulledAt(ctx, 40, other))(t)
	if r == nil || r.Restored || r.Cursor != 40 {
		t.Fatalf("another change at the cursor's seq: %+v, want a rewind reset from 40", r)
	}
	if got := must(s.PullCursor(ctx))(t); got != 0 {
		t.Fatalf("cursor %d after the rewind, want 0", got)
	}
	if got := metaValue(t, f.w, metaPullMark); got != "" {
		t.Fatalf("pull mark %q kept after the rewind", got)
	}
	if again := must(s.NotePulledAt(ctx, 40, other))(t); again != nil {
		t.Fatalf("reset again: %+v", again)
	}
	trail := must(s.Audit(ctx, chart.AuditFilter{Limit: 20}))(t)
	audited := false
	for _, e := range trail {
		audited = audited || strings.Contains(e.Detail, "another change at seq 40")
	}
	if !audited {
		t.Fatalf("the rewind is not in the audit trail: %+v", trail)
	}
}
