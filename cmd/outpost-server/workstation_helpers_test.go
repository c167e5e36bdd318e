package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sqlite"
	"outpost/sync/client"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

const (
	wsWorkFactor = 10 // scrypt cost for tests
	wsAdmin      = "ada"
	wsPass       = "correct horse battery staple"
)

// station is a real workstation (SQLite chart store, signed-in session)
// syncing with the server binary through its own fault proxy.
type station struct {
	rig   *practiceRig
	name  string
	path  string
	w     *sqlite.Workstation
	s     *sqlite.Session
	c     *transport.Client
	proxy *faultProxy
}

// practiceRig is a server binary and the workstations of one practice.
type practiceRig struct {
	dir    string
	srv    *runningServer
	ledger map[chart.ChangeID]bool // every change any workstation wrote
	pats   int                     // patients registered
}

func newPracticeRig(t *testing.T) *practiceRig {
	t.Helper()
	dir := initDir(t)
	return &practiceRig{dir: dir, srv: startServer(t, dir), ledger: map[chart.ChangeID]bool{}}
}

// firstStation creates the practice on a new workstation and enrols it,
// naming the practice: this binds the server.
func (r *practiceRig) firstStation(t *testing.T, name string) *station {
	t.Helper()
	ctx := context.Background()
	st := &station{rig: r, name: name, path: filepath.Join(t.TempDir(), "chart.db")}
	st.w = openWorkstation(t, st.path)
	s, _, err := st.w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Outpost Valley Clinic",
		Admin: chart.NewUser{FullName: "Ada Administrator", Username: wsAdmin, Passphrase: wsPass}})
	if err != nil {
		t.Fatalf("create practice: %v", err)
	}
	st.s = s.(*sqlite.Session)
	r.enrol(t, st, st.s.Practice().ID)
	return st
}

// joinStation makes a fresh workstation a member of first's practice the
// way the app does, after first has synced: enrol naming no practice,
// BeginJoin, pull everything without a key, then sign in with the
// administrator's passphrase.
func (r *practiceRig) joinStation(t *testing.T, first *station, name string) *station {
	t.Helper()
	ctx := context.Background()
	first.sync(t) // the practice and its users reach the server
	st := &station{rig: r, name: name, path: filepath.Join(t.TempDir(), "chart.db")}
	st.w = openWorkstation(t, st.path)
	practice := r.enrolAs(t, st, chart.NewDeviceID(), "")
	if practice != first.s.Practice().ID {
		t.Fatalf("%s joined practice %s, want %s", name, practice, first.s.Practice().ID)
	}
	if err := st.w.BeginJoin(ctx, practice, st.c.DeviceID); err != nil {
		t.Fatalf("%s: begin join: %v", name, err)
	}
	if _, err := client.JoinPull(ctx, st.w, st.c, 0, nil); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s, err := st.w.SignIn(ctx, wsAdmin, wsPass)
	if err != nil {
		t.Fatalf("%s: first sign-in: %v", name, err)
	}
	st.s = s.(*sqlite.Session)
	return st
}

// enrol puts a proxy in front of the server and enrols st (which has a
// practice) through it under its own device id.
func (r *practiceRig) enrol(t *testing.T, st *station, practice chart.PracticeID) {
	t.Helper()
	dev, err := st.w.DeviceID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := r.enrolAs(t, st, dev, practice); got != st.s.Practice().ID {
		t.Fatalf("%s enrolled into practice %s, its own is %s", st.name, got, st.s.Practice().ID)
	}
}

// enrolAs enrols st as device dev, naming practice ("" to join), and
// returns the practice the server belongs to.
func (r *practiceRig) enrolAs(t *testing.T, st *station, dev chart.DeviceID, practice chart.PracticeID) chart.PracticeID {
	t.Helper()
	st.proxy = newFaultProxy(t, r.srv.addr)
	code, err := transport.ParseEnrollmentCode(enrolCode(t, r.dir, st.proxy.addr()))
	if err != nil {
		t.Fatal(err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	st.c = transport.NewClient(code, dev, priv)
	resp, err := st.c.EnrollWith(context.Background(), code, st.name, practice)
	if err != nil {
		t.Fatalf("%s: enrol: %v", st.name, err)
	}
	return resp.PracticeID
}

func openWorkstation(t *testing.T, path string) *sqlite.Workstation {
	t.Helper()
	w, err := sqlite.OpenWorkstation(context.Background(), path, sqlite.Options{WorkFactor: wsWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// register adds n patients on st.
func (r *practiceRig) register(t *testing.T, st *station, n int) {
	t.Helper()
	for i := range n {
		p := chart.Patient{GivenName: "Wilhelmina", FamilyName: fmt.Sprintf("%s-Zabriskie-%d", st.name, r.pats+i),
			BirthDate: "1961-04-12", Sex: chart.SexFemale, Phone: "+1 555 0100 000",
			Address: chart.Address{Line1: "1 Main Street", City: "Elko", Country: "US"}}
		if _, err := st.s.RegisterPatient(context.Background(), p); err != nil {
			t.Fatalf("%s: register: %v", st.name, err)
		}
	}
	r.pats += n
	r.note(t, st)
}

// note adds st's unsent changes to the ledger of what must reach the server.
func (r *practiceRig) note(t *testing.T, st *station) []wire.Change {
	t.Helper()
	out, err := st.s.Outbox(context.Background(), wire.MaxChangesPerPush)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range out {
		r.ledger[c.ChangeID] = true
	}
	return out
}

// sync runs one sync, first adding what it will send to the ledger.
func (st *station) sync(t *testing.T) client.Report {
	t.Helper()
	st.rig.note(t, st)
	rep, err := client.SyncOnce(context.Background(), st.s, st.c)
	if err != nil {
		t.Fatalf("%s: sync: %v", st.name, err)
	}
	return rep
}

// syncAsync runs one sync in the background (for a fault to land in).
func (st *station) syncAsync(t *testing.T) <-chan error {
	t.Helper()
	st.rig.note(t, st)
	done := make(chan error, 1)
	go func() {
		_, err := client.SyncOnce(context.Background(), st.s, st.c)
		done <- err
	}()
	return done
}

func (st *station) outboxLen(t *testing.T) int {
	t.Helper()
	out, err := st.s.Outbox(context.Background(), wire.MaxChangesPerPush)
	if err != nil {
		t.Fatal(err)
	}
	return len(out)
}

// patients returns every patient st holds, decrypted, as JSON by id.
// Reading charts is audited, and audit entries sync: this leaves changes
// in st's outbox.
func (st *station) patients(t *testing.T) map[chart.PatientID]string {
	t.Helper()
	ctx := context.Background()
	hits, err := st.s.SearchPatients(ctx, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	out := map[chart.PatientID]string{}
	for _, h := range hits {
		p, err := st.s.OpenPatient(ctx, h.ID)
		if err != nil {
			t.Fatalf("%s: open %s: %v", st.name, h.ID, err)
		}
		b, _ := json.Marshal(p)
		out[h.ID] = string(b)
	}
	return out
}

// pushReplies counts the pushes the server answered with 200 (it logs
// after writing the reply, so after the commit).
func (r *practiceRig) pushReplies() int {
	return strings.Count(r.srv.stderr.String(), `msg="sync request" path=/v1/push`)
}

// waitFor polls cond (the server runs in another process) for up to 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// settle syncs every station until the practice is quiet, then checks the
// promises: outboxes are empty; the server holds every change written,
// once, with dense seqs; every workstation holds the same patients, all of
// them.
func (r *practiceRig) settle(t *testing.T, stations ...*station) {
	t.Helper()
	for range 2 {
		for _, st := range stations {
			st.sync(t)
		}
	}
	for _, st := range stations { // before the reads below add audit entries
		if n := st.outboxLen(t); n != 0 {
			t.Fatalf("%s still has %d unsent changes", st.name, n)
		}
	}
	ids, head := r.serverChanges(t, stations[0].c)
	if len(ids) != len(r.ledger) || head != int64(len(ids)) {
		t.Fatalf("server holds %d changes with head seq %d; want %d changes, seqs 1..%d", len(ids), head, len(r.ledger), len(r.ledger))
	}
	for id := range r.ledger {
		if !ids[id] {
			t.Fatalf("change %s written on a workstation never reached the server", id)
		}
	}
	want := stations[0].patients(t)
	if len(want) != r.pats {
		t.Fatalf("%s holds %d patients, want %d", stations[0].name, len(want), r.pats)
	}
	for _, st := range stations[1:] {
		got := st.patients(t)
		for id, p := range want {
			if got[id] != p {
				t.Fatalf("%s: patient %s is\n%s\nwant\n%s", st.name, id, got[id], p)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s holds %d patients, %s %d", st.name, len(got), stations[0].name, len(want))
		}
	}
}

// serverChanges pulls everything from the server and fails on a change
// stored twice; it returns the ids and the server's head seq.
func (r *practiceRig) serverChanges(t *testing.T, c *transport.Client) (map[chart.ChangeID]bool, int64) {
	t.Helper()
	c.IncludeOwn = true // every change, the asking workstation's too
	defer func() { c.IncludeOwn = false }()
	ids := map[chart.ChangeID]bool{}
	after, head := int64(0), int64(0)
	for more := true; more; {
		page, err := c.Pull(context.Background(), after, wire.MaxPullLimit, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range page.Changes {
			if ids[ch.ChangeID] {
				t.Fatalf("change %s is stored twice on the server", ch.ChangeID)
			}
			ids[ch.ChangeID] = true
		}
		after, head, more = page.Next, page.Head, page.More
	}
	if after != head {
		t.Fatalf("pulled up to seq %d, server head %d", after, head)
	}
	return ids, head
}
