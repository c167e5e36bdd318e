package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/internal/pgtest"
	"outpost/sync/server/storetest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// initPostgres runs init with -store on a fresh database and returns the
// data dir (the certificate) and the store's URL.
func initPostgres(t *testing.T) (dir, url string) {
	t.Helper()
	dir, url = filepath.Join(t.TempDir(), "server"), pgtest.DB(t)
	if out := runCmd(t, "init", "-dir", dir, "-store", url); !strings.Contains(out, "PostgreSQL") {
		t.Fatalf("init -store printed %q", out)
	}
	return dir, url
}

// kill -9 of the server binary mid-push on PostgreSQL: all or nothing,
// then the re-push completes it with dense seqs. Two kills (the SQLite
// test runs four): each costs a large push and pull under -race.
func TestKillDuringPushOnPostgres(t *testing.T) {
	dir, url := initPostgres(t)
	killMidPush(t, dir, url, 0, 150*time.Millisecond)
}

// Two serve processes on one PostgreSQL serve the same practice: a change
// pushed through one is pulled through the other, and a request captured
// at one and replayed at the other is refused (the nonce ledger is shared,
// not in either process's memory).
func TestServeProcessesShareOnePostgres(t *testing.T) {
	dir, url := initPostgres(t)
	a, b := startServer(t, dir, "-store", url), startServer(t, dir, "-store", url)
	// Past any restart margin, so that only a shared ledger refuses
	// the replay (per-process ledgers would accept it).
	afterCrash()
	ctx := context.Background()
	writer := enrolClient(t, enrolCode(t, dir, a.addr, "-store", url), nil)
	rec := storetest.Record(writer)
	pushed := makeChanges(writer.DeviceID, 20, 64)
	if _, err := writer.Push(ctx, pushed); err != nil {
		t.Fatal(err)
	}
	status, body := rec.Replay(t, b.addr)
	if status != http.StatusUnauthorized || body.Reason != wire.ReasonReplay {
		t.Fatalf("push captured at A, replayed at B: %d %+v, want 401 %s", status, body, wire.ReasonReplay)
	}
	reader := joinClient(t, enrolCode(t, dir, b.addr, "-store", url))
	if got := pullAll(t, reader, 7); len(got) != len(pushed) {
		t.Fatalf("B served %d of the %d changes pushed through A", len(got), len(pushed))
	}
	if n := storedCountIn(t, dir, url); n != int64(len(pushed)) {
		t.Fatalf("%d changes stored, want %d", n, len(pushed))
	}
}

// `enroll -practice new` prints a code (first line) whose enrolment makes
// a new practice; `-practice ID` one for that practice; devices then names
// each device's practice.
func TestEnrollPracticeNewServesSeveralPractices(t *testing.T) {
	dir, url := initPostgres(t)
	s := startServer(t, dir, "-store", url)
	ctx := context.Background()
	first := enrolClient(t, enrolCode(t, dir, s.addr, "-store", url, "-practice", "new"), nil)
	second := enrolClient(t, enrolCode(t, dir, s.addr, "-store", url, "-practice", "new"), nil)
	if first.PracticeID == second.PracticeID {
		t.Fatal("two new practices got one id")
	}
	joiner := joinClient(t, enrolCode(t, dir, s.addr, "-store", url, "-practice", string(second.PracticeID)))
	if joiner.PracticeID != second.PracticeID {
		t.Fatalf("joined %q, want the second practice %q", joiner.PracticeID, second.PracticeID)
	}
	if _, err := first.Push(ctx, makeChanges(first.DeviceID, 3, 16)); err != nil {
		t.Fatal(err)
	}
	if resp, err := joiner.Pull(ctx, 0, 100, nil); err != nil || len(resp.Changes) != 0 || resp.Head != 0 {
		t.Fatalf("the second practice sees %d changes (head %d), %v", len(resp.Changes), resp.Head, err)
	}
	listing := runCmd(t, "devices", "-dir", dir, "-store", url)
	for _, p := range []chart.PracticeID{first.PracticeID, second.PracticeID} {
		if !strings.Contains(listing, string(p)) {
			t.Fatalf("devices does not name practice %s:\n%s", p, listing)
		}
	}
}

// joinClient enrols a new device with code into the code's practice,
// naming none (a workstation joining its practice).
func joinClient(t *testing.T, code string) *transport.Client {
	t.Helper()
	parsed, err := transport.ParseEnrollmentCode(code)
	if err != nil {
		t.Fatal(err)
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	c := transport.NewClient(parsed, chart.NewDeviceID(), priv)
	if _, err := c.Enroll(context.Background(), parsed, "Joiner"); err != nil {
		t.Fatalf("join: %v", err)
	}
	return c
}

// migrate copies a stopped SQLite server into an empty PostgreSQL database
// with its counts checked; serving from it, workstations keep their
// enrolment, changes and seqs; a second migrate is refused; a request
// signed before the move cannot be replayed after it.
func TestMigrateSQLiteToPostgres(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	ctx := context.Background()
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	rec := storetest.Record(c)
	before := makeChanges(c.DeviceID, 30, 64)
	if _, err := c.Push(ctx, before); err != nil {
		t.Fatal(err)
	}
	incarnation := func() string {
		t.Helper()
		page, err := c.Pull(ctx, 0, 1, nil)
		if err != nil || !wire.ValidIncarnation(page.Incarnation) {
			t.Fatalf("pull: incarnation %q, %v", page.Incarnation, err)
		}
		return page.Incarnation
	}
	sqliteIncarnation := incarnation()
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	url := pgtest.DB(t)
	if out := runCmd(t, "migrate", "-dir", dir, "-to", url); !strings.Contains(out, "1 devices, 30 changes") {
		t.Fatalf("migrate printed %q", out)
	}
	if out, err := exec.Command(serverBinary, "migrate", "-dir", dir, "-to", url).CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "already holds a server store") {
		t.Fatalf("a second migrate: %v, %s", err, out)
	}
	pg := startServer(t, dir, "-store", url)
	if status, body := rec.Replay(t, pg.addr); status != http.StatusUnauthorized || body.Reason != wire.ReasonRestarted {
		t.Fatalf("a push from before the move, replayed after: %d %+v", status, body)
	}
	c.BaseURL, c.HTTP = "https://"+pg.addr, nil
	acks, err := c.Push(ctx, makeChanges(c.DeviceID, 5, 64))
	if err != nil || acks[0].Seq != 31 || acks[4].Seq != 35 {
		t.Fatalf("push after the move: %v, %v; want seqs 31..35", acks, err)
	}
	if got := pullAll(t, c, 8); len(got) != 35 || got[0].ChangeID != before[0].ChangeID {
		t.Fatalf("pulled %d changes after the move, want 35 from the first", len(got))
	}
	// The same changes under the same seqs: the same incarnation, so the
	// workstations do not start over; reincarnate (after a pg_restore)
	// renews it.
	if got := incarnation(); got != sqliteIncarnation {
		t.Fatalf("incarnation %q after the move, %q before", got, sqliteIncarnation)
	}
	if out := runCmd(t, "reincarnate", "-dir", dir, "-store", url); !strings.Contains(out, "new incarnation") {
		t.Fatalf("reincarnate printed %q", out)
	}
	if got := incarnation(); got == sqliteIncarnation {
		t.Fatalf("incarnation %q unchanged by reincarnate", got)
	}
}
