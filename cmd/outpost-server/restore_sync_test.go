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
//   - copy: the files copied back and nothing else, found by A's cursor
//     being past the server's head and, once A's pushes have lifted the
//     head past B's cursor, by B's pull mark (the server holds another
//     change at B's cursor's seq).
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

	synced := map[*station]bool{}
	syncOnce := func(st *station) {
		t.Helper()
		rep := syncNoting(st)
		if first := !synced[st]; first != (rep.Resync != nil) {
			t.Fatalf("%s: resync %+v; want one at each workstation's first sync only", st.name, rep.Resync)
		}
		synced[st] = true
		if rep.Resync != nil && rep.Resync.Restored != (way != "copy") {
			t.Fatalf("%s: resync %+v: found by the wrong sign for a %s", st.name, rep.Resync, way)
		}
	}
	r.register(t, a, 1)
	if way == "copy" {
		// A's pushes lift the head past B's cursor before B pulls: B's
		// cursor is then no sign, only the change it last pulled is
		// (docs/SYNC.md, "A restored practice server").
		bCursor, err := b.s.PullCursor(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for syncOnce(a); serverHead(t, a) <= bCursor; syncOnce(a) {
			r.register(t, a, 4)
		}
	}
	for _, st := range []*station{a, b, a, b} {
		syncOnce(st)
	}

	// Everything comes back, the audit batches acknowledged after the copy
	// too: their bytes were let go of, and they are packed again from the
	// audit log (docs/SYNC.md).
	ids := serverKinds(t, a)
	for id, kind := range ids {
		if !r.ledger[id] && kind == wire.KindAuditBatch {
			r.ledger[id] = true // the resync's own audit entry, packed during the sync
		}
	}
	lostAudit := 0
	for id := range r.ledger {
		if ids[id] == "" {
			t.Fatalf("change %s (%s) never came back to the restored server", id, kinds[id])
		}
		if lost[id] && kinds[id] == wire.KindAuditBatch {
			lostAudit++
		}
	}
	if lostAudit == 0 {
		t.Fatal("no audit batch was acknowledged after the copy: the test misses what it is about")
	}
	t.Logf("%s: %d changes acknowledged after the copy, %d of them audit batches, all back", way, len(lost), lostAudit)
	r.settle(t, a, b) // every change once, dense seqs, the same patients everywhere
	// Every entry either workstation sent is in the practice-wide trail of
	// the other and of C, which joins after the restore, and every chain
	// verifies, against the server's anchor too.
	c := r.joinStation(t, a, "C")
	c.sync(t)
	for _, st := range []*station{a, b, c} {
		if v := st.verifyAudit(t); !v.OK || len(v.Breaks) != 0 || v.Server.State != chart.AuditServerMatched {
			t.Fatalf("%s: audit verification after the restore: ok %v, server %+v, breaks %+v", st.name, v.OK, v.Server, v.Breaks)
		}
	}
	trails := map[*station]map[chart.DeviceID]map[int64]chart.AuditEntry{}
	for _, st := range []*station{a, b, c} {
		trails[st] = practiceTrail(t, st)
	}
	for _, from := range []*station{a, b} {
		dev := from.c.DeviceID
		for _, to := range []*station{a, b, c} {
			if to != from {
				wantEveryEntrySent(t, from.name, trails[from][dev], to.name, trails[to][dev])
			}
		}
	}
}

// practiceTrail is st's practice-wide audit trail ("All workstations"):
// every entry, its own and those received, by workstation and seq.
func practiceTrail(t *testing.T, st *station) map[chart.DeviceID]map[int64]chart.AuditEntry {
	t.Helper()
	out := map[chart.DeviceID]map[int64]chart.AuditEntry{}
	f := chart.AuditFilter{AllDevices: true, Limit: 5000}
	for {
		page, err := st.s.Audit(context.Background(), f)
		if err != nil {
			t.Fatalf("%s: practice-wide audit trail: %v", st.name, err)
		}
		for _, e := range page {
			if out[e.DeviceID] == nil {
				out[e.DeviceID] = map[int64]chart.AuditEntry{}
			}
			out[e.DeviceID][e.Seq] = e
		}
		if len(page) < f.Limit {
			return out
		}
		f.Before = page[len(page)-1].Cursor
	}
}

// wantEveryEntrySent checks that a workstation's trail (got, of
// another's entries) holds every entry of that workstation's own log up
// to the newest it received, but the entries kept local (a pull's and a
// join's bookkeeping, which never travel): a gap is an entry lost.
func wantEveryEntrySent(t *testing.T, from string, own map[int64]chart.AuditEntry, to string, got map[int64]chart.AuditEntry) {
	t.Helper()
	newest := int64(0)
	for seq := range got {
		newest = max(newest, seq)
	}
	if newest == 0 {
		t.Fatalf("%s holds none of %s's audit entries", to, from)
	}
	for seq, e := range own {
		local := strings.HasPrefix(e.Detail, "applied ") || strings.HasPrefix(e.Detail, "finished merging the charts")
		if _, ok := got[seq]; seq <= newest && !ok && !local {
			t.Fatalf("%s lacks %s's audit entry %d (%s: %q), up to %d", to, from, seq, e.Action, e.Detail, newest)
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

// serverHead is the practice's highest seq on the server, as st's pull sees it.
func serverHead(t *testing.T, st *station) int64 {
	t.Helper()
	page, err := st.c.Pull(context.Background(), 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	return page.Head
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
