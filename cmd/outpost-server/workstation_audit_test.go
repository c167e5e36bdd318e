package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sqlite"
)

// The audit anchor against the real server binary: a workstation whose
// file is replaced by an older copy verifies on its own, but not against
// the entry the server relays back; once it syncs the old log, the other
// workstation sees the fork.

func (st *station) verifyAudit(t *testing.T) chart.AuditVerification {
	t.Helper()
	ctx := context.Background()
	v, err := st.s.VerifyAuditAnchored(ctx, st.c.FetchAuditAnchor(ctx))
	if err != nil {
		t.Fatalf("%s: verify audit log: %v", st.name, err)
	}
	return v
}

// reopen closes st's store, runs meanwhile on its files, and signs in again.
func (st *station) reopen(t *testing.T, meanwhile func()) {
	t.Helper()
	if err := st.w.Close(); err != nil {
		t.Fatal(err)
	}
	meanwhile()
	st.w = openWorkstation(t, st.path)
	s, err := st.w.SignIn(context.Background(), wsAdmin, wsPass)
	if err != nil {
		t.Fatalf("%s: sign in: %v", st.name, err)
	}
	st.s = s.(*sqlite.Session)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func (st *station) openChart(t *testing.T, times int) {
	t.Helper()
	hits, err := st.s.SearchPatients(context.Background(), "", 1)
	if err != nil || len(hits) == 0 {
		t.Fatalf("%s: no patient to open: %v", st.name, err)
	}
	for range times {
		if _, err := st.s.OpenPatient(context.Background(), hits[0].ID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditOlderCopyRestoredIsCaughtByTheServerAnchor(t *testing.T) {
	r := newPracticeRig(t)
	a := r.firstStation(t, "Front desk")
	b := r.joinStation(t, a, "Exam room")
	r.register(t, a, 1)
	a.openChart(t, 2)
	a.sync(t)
	b.sync(t)
	if v := a.verifyAudit(t); !v.OK || v.Server.State != chart.AuditServerMatched {
		t.Fatalf("intact: %+v; want OK and the server's anchor matched", v)
	}

	older := t.TempDir() + "/older.db"
	a.reopen(t, func() { copyFile(t, a.path, older) }) // closed: the file is whole
	a.openChart(t, 5)
	a.sync(t)
	b.sync(t)
	anchored := a.verifyAudit(t)
	if !anchored.OK || anchored.Server.State != chart.AuditServerMatched {
		t.Fatalf("after more reads: %+v; want OK and matched", anchored)
	}

	a.reopen(t, func() {
		for _, suffix := range []string{"-wal", "-shm"} {
			os.Remove(a.path + suffix)
		}
		copyFile(t, older, a.path)
	})
	v := a.verifyAudit(t)
	if v.FirstBadSeq != 0 {
		t.Fatalf("the older copy's own chains broke (%s); they are genuine and must verify", v.Problem)
	}
	if v.OK || v.Server.State != chart.AuditServerMismatch || len(v.Breaks) != 1 ||
		v.Breaks[0].Kind != chart.AuditBreakServer || v.Breaks[0].Seq != anchored.Server.Seq {
		t.Fatalf("older copy restored: %+v; want the server's anchor at entry %d to catch it", v, anchored.Server.Seq)
	}

	a.sync(t)
	b.sync(t)
	bv := b.verifyAudit(t)
	var fork *chart.AuditBreak
	for i := range bv.Breaks {
		if bv.Breaks[i].Kind == chart.AuditBreakFork {
			fork = &bv.Breaks[i]
		}
	}
	if fork == nil || fork.DeviceID != a.c.DeviceID || !strings.Contains(fork.Problem, "audit log was rewritten at entry") {
		t.Fatalf("Exam room after Front desk synced the older log: %+v; want a fork of Front desk's log", bv)
	}
}
