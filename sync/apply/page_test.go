package apply

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"outpost/sync/wire"
)

// The order of a page's apply, against a fake port that logs each call
// (port_test.go; it fakes the port, not SQLite): the epochs and keyboxes
// are stored first and their tags checked only once the keys they bring
// are taken; the rest are screened, then those that pass stored in one
// call (the store writes them a batch of rows per statement), then hooked
// in page order (under one savepoint, each under its own once one refuses
// its change); a change that fails the screen, its tag or its hook is
// held back while the page goes on; then the touched records' bases are settled and they merge
// a batch at a time, the savepoint lane, then the patients, then the
// clinical records.
func TestPageOrder(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	f := newFake(now)
	page := []wire.Change{
		f.change("note", "n1", 1), f.change("keybox", "kb1", 2), f.change("patient", "p1", 3),
		f.change("telepathy", "t1", 4), f.change("audit", "a1", 5), f.change("audit", "a2", 6),
		f.change("epoch", "e1", 7), f.change("user", "u1", 8), f.change("note", "n2", 9),
	}
	f.tagFails[f.id("epoch:e1")] = true
	f.tagFails[f.id("note:n2")] = true
	f.refuse[f.id("audit:a2")] = true
	res, err := Page(context.Background(), f, fakeKinds{}, Options{Bulk: true, Batch: 10}, page)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"insert keybox:kb1 epoch:e1", "observe keybox:kb1", "observe epoch:e1",
		"refresh keys", "verify keybox:kb1", "verify epoch:e1", "hold stored epoch:e1 unverified",
		"verify note:n1", "verify patient:p1", "hold telepathy:t1 unknown_kind",
		"verify audit:a1", "verify audit:a2", "verify user:u1", "verify note:n2", "hold note:n2 unverified",
		"insert note:n1 patient:p1 audit:a1 audit:a2 user:u1", // the screened changes in one call
		// the hooks straight under one savepoint; a2 refused, so again each under its own
		"savepoint hooks", "hooks audit:a1 audit:a2", "rollback hooks",
		"savepoint hook", "hook audit:a1", "release hook",
		"savepoint hook", "hook audit:a2", "rollback hook", "hold stored audit:a2 content",
		"observe note:n1", "observe patient:p1", "observe audit:a1", "observe user:u1",
		"settle keybox:kb1 note:n1 patient:p1 user:u1",
		"progress 0/4",
		"savepoint merge_batch", "preload keybox:kb1 user:u1", "merge keybox:kb1", "merge user:u1", "unload",
		"release merge_batch",
		"preload patient:p1", "plan patient:p1", "write patient:p1", "unload",
		"preload note:n1", "plan note:n1", "write note:n1", "unload",
		"progress 4/4",
	}
	checkLog(t, f.log, want)
	// kb1, n1, p1, a1, u1 stored (e1 taken back); a1 is an audit entry.
	if res.Applied != 4 || res.Audits != 1 || res.Held != 4 || res.Conflicts != 4 || len(res.Merged) != 1 {
		t.Errorf("result %+v, want 4 applied, 1 audit, 4 held, 4 conflicts, 1 patient merged", res)
	}
}

// A page whose hooks all take their changes runs them under one savepoint,
// not one each: a savepoint a hook made SQLite journal every page each
// hook touched again (a day's pull: 766 audit batches).
func TestPageHooksShareOneSavepoint(t *testing.T) {
	f := newFake(time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	page := []wire.Change{f.change("audit", "a1", 1), f.change("note", "n1", 2), f.change("audit", "a2", 3)}
	res, err := Page(context.Background(), f, fakeKinds{}, Options{Bulk: true, Batch: 10}, page)
	if err != nil {
		t.Fatal(err)
	}
	var hooks []string
	for _, call := range f.log {
		if strings.Contains(call, "hook") {
			hooks = append(hooks, call)
		}
	}
	if want := []string{"savepoint hooks", "hooks audit:a1 audit:a2", "release hooks"}; !slices.Equal(hooks, want) {
		t.Fatalf("hook calls %q, want %q", hooks, want)
	}
	if res.Audits != 2 || res.Held != 0 {
		t.Fatalf("result %+v, want 2 audit entries and nothing held", res)
	}
}

// A record that fails for its own fault is isolated and its changes held
// back while the other records of its batch merge: in the savepoint lane
// (the batch's savepoint rolls back, each record merges under its own) and
// in a bulk lane (nothing is written, the batch takes the savepoint path).
// A change that opens alone is held for the merge; one that does not, for
// not opening. With no fresh changes named, the record's changes from
// other workstations are the candidates.
func TestMergeTouchedIsolatesABadRecord(t *testing.T) {
	f := newFake(time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	for _, name := range []string{"user:u1", "user:ubad", "note:n1", "note:nbad"} {
		kind, n, _ := strings.Cut(name, ":")
		f.change(kind, n, 1)
	}
	f.bad[f.id("user:ubad")] = ReasonMerge
	f.bad[f.id("note:nbad")] = ReasonUnopened
	touched := []Record{f.record("note", "n1"), f.record("note", "nbad"), f.record("user", "u1"), f.record("user", "ubad")}
	res, err := MergeTouched(context.Background(), f, fakeKinds{}, Options{Bulk: true, Batch: 10}, touched, nil)
	if err != nil {
		t.Fatal(err)
	}
	isolate := func(ok, bad, reason string) []string {
		return []string{
			"savepoint merge_one", "merge " + ok, "release merge_one",
			"savepoint merge_one", "merge " + bad, "rollback merge_one", "remote changes of " + bad,
			"open alone " + bad, "hold stored " + bad + " " + reason,
			"savepoint merge_again", "merge " + bad, "release merge_again",
		}
	}
	want := slices.Concat([]string{"progress 0/4",
		"savepoint merge_batch", "preload user:u1 user:ubad", "merge user:u1", "merge user:ubad", "unload",
		"rollback merge_batch"},
		isolate("user:u1", "user:ubad", ReasonMerge),
		[]string{"preload note:n1 note:nbad", "plan note:n1", "plan note:nbad", "unload",
			"savepoint merge_batch", "preload note:n1 note:nbad", "merge note:n1", "merge note:nbad", "unload",
			"rollback merge_batch"},
		isolate("note:n1", "note:nbad", ReasonUnopened),
		[]string{"progress 4/4"})
	checkLog(t, f.log, want)
	if res.Held != 2 || res.Conflicts != 4 {
		t.Errorf("result %+v, want 2 held, 4 conflicts", res)
	}
}

// With bulk off every record merges under the batch's savepoint, a batch
// of Options.Batch records at a time.
func TestMergeTouchedWithoutBulk(t *testing.T) {
	f := newFake(time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	touched := []Record{f.record("note", "n1"), f.record("patient", "p1"), f.record("user", "u1")}
	if _, err := MergeTouched(context.Background(), f, fakeKinds{}, Options{Batch: 2}, touched, nil); err != nil {
		t.Fatal(err)
	}
	checkLog(t, f.log, []string{"progress 0/3",
		"savepoint merge_batch", "preload note:n1 patient:p1", "merge note:n1", "merge patient:p1", "unload",
		"release merge_batch", "progress 2/3",
		"savepoint merge_batch", "preload user:u1", "merge user:u1", "unload", "release merge_batch",
		"progress 3/3"})
}

func checkLog(t *testing.T, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	for i := range max(len(got), len(want)) {
		g, w := "", ""
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("call %d: %q, want %q\ngot:  %q\nwant: %q", i, g, w, got, want)
		}
	}
}
