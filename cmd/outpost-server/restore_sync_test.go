package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/wire"
)

// A practice server brought back from a backup (docs/SYNC.md, "A restored
// practice server"), with the real binary and two real workstations: what
// either wrote after the backup reaches the server and the other
// workstation again, nothing is stored twice, seqs stay dense, and every
// workstation ends with every patient. Three ways back:
//   - restore: `outpost-server restore` of a backup (a new incarnation);
//   - copy+reincarnate: the store's files copied back, then
//     `outpost-server reincarnate`;
//   - copy: the files copied back and nothing else, found by the
//     workstations' cursors being past the server's head.
func TestRestoredServerGetsBackWhatItLost(t *testing.T) {
	for _, way := range []string{"restore", "copy+reincarnate", "copy"} {
		t.Run(way, func(t *testing.T) { restoredServerConverges(t, way) })
	}
}

func restoredServerConverges(t *testing.T, way string) {
	r := newPracticeRig(t)
	a := r.firstStation(t, "A")
	b := r.joinStation(t, a, "B")
	kinds := map[chart.ChangeID]string{}
	syncNoting := func(st *station) client.Report {
		for _, c := range r.note(t, st) {
			kinds[c.ChangeID] = c.Kind
		}
		return st.sync(t)
	}
	r.register(t, a, 3)
	r.register(t, b, 3)
	r.settle(t, a, b)

	// The copy the server goes back to.
	saved := filepath.Join(t.TempDir(), "saved")
	if way == "restore" {
		saved = filepath.Join(saved, "server"+".outpost-backup")
		os.MkdirAll(filepath.Dir(saved), 0o700)
		runCmd(t, "backup", "-dir", r.dir, "-out", saved)
	} else {
		r.srv.stop(t) // a copy of the files is consistent only while stopped
		copyStore(t, r.dir, saved)
		r.srv = startServer(t, r.dir)
		a.proxy.retarget(r.srv.addr)
		b.proxy.retarget(r.srv.addr)
	}
	before := map[chart.ChangeID]bool{}
	for id := range r.ledger {
		before[id] = true
	}

	// Acknowledged after the copy: the server forgets these.
	r.register(t, a, 6)
	r.register(t, b, 6)
	syncNoting(a)
	syncNoting(b)
	syncNoting(a) // A holds B's too
	lost := map[chart.ChangeID]bool{}
	for id := range r.ledger {
		if !before[id] {
			lost[id] = true
		}
	}

	r.srv.stop(t)
	switch way {
	case "restore":
		dir := filepath.Join(t.TempDir(), "restored")
		runCmd(t, "restore", "-dir", dir, "-in", saved)
		r.dir = dir
	case "copy+reincarnate", "copy":
		copyStore(t, saved, r.dir)
		if way == "copy+reincarnate" {
			if out := runCmd(t, "reincarnate", "-dir", r.dir); !strings.Contains(out, "new incarnation") {
				t.Fatalf("reincarnate printed %q", out)
			}
		}
	}
	r.srv = startServer(t, r.dir)
	afterCrash()
	a.proxy.retarget(r.srv.addr)
	b.proxy.retarget(r.srv.addr)

	r.register(t, a, 1)
	for i, st := range []*station{a, b, a, b} {
		rep := syncNoting(st)
		if first := i < 2; first != (rep.Resync != nil) {
			t.Fatalf("sync %d (%s): resync %+v; want one at each workstation's first sync only", i+1, st.name, rep.Resync)
		}
		if rep.Resync != nil && rep.Resync.Restored != (way != "copy") {
			t.Fatalf("%s: resync %+v: found by the wrong sign for a %s", st.name, rep.Resync, way)
		}
	}

	// What cannot come back: an acknowledged audit batch lets go of its
	// bytes (docs/SYNC.md, Known limits). Everything else must.
	ids := serverKinds(t, a)
	for id, kind := range ids {
		if !r.ledger[id] && kind == wire.KindAuditBatch {
			r.ledger[id] = true // the resync's own audit entry, packed during the sync
		}
	}
	missingAudit := 0
	for id := range r.ledger {
		if ids[id] != "" {
			continue
		}
		if !lost[id] || (kinds[id] != wire.KindAuditBatch && kinds[id] != wire.KindAudit) {
			t.Fatalf("change %s (%s) never came back to the restored server", id, kinds[id])
		}
		delete(r.ledger, id)
		missingAudit++
	}
	t.Logf("%s: %d changes acknowledged after the copy, %d of them audit batches not sent again", way, len(lost), missingAudit)
	r.settle(t, a, b) // every other change once, dense seqs, the same patients everywhere
	// The audit batches not sent again leave a gap in the server's copy,
	// not a break: each log verifies against the server's anchor, and
	// neither B, which had them, nor C, which joins after the restore and
	// never gets them, sees a fork in A's.
	c := r.joinStation(t, a, "C")
	c.sync(t)
	for _, st := range []*station{a, b, c} {
		if v := st.verifyAudit(t); !v.OK || len(v.Breaks) != 0 || v.Server.State != chart.AuditServerMatched {
			t.Fatalf("%s: audit verification after the restore: ok %v, server %+v, breaks %+v", st.name, v.OK, v.Server, v.Breaks)
		}
	}
}

// serverKinds is the kind of every change the server holds, by id.
func serverKinds(t *testing.T, st *station) map[chart.ChangeID]string {
	t.Helper()
	st.c.IncludeOwn = true
	defer func() { st.c.IncludeOwn = false }()
	out := map[chart.ChangeID]string{}
	for after, more := int64(0), true; more; {
		page, err := st.c.Pull(context.Background(), after, wire.MaxPullLimit, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Changes {
			out[c.ChangeID] = c.Kind
		}
		after, more = page.Next, page.More
	}
	return out
}

// copyStore copies a stopped server's SQLite store files from one data
// directory to another, replacing what is there.
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	os.MkdirAll(to, 0o700)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		dst := dbPath(to) + suffix
		os.Remove(dst)
		b, err := os.ReadFile(dbPath(from) + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
