package sqlite

import (
	"context"
	"sync"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/wire"
)

// TestJoinFromHeads: a workstation that joins from heads stores one
// version of a record edited many times, and a conflicted record's whole
// history; after its first sign-in it shows what a workstation that saw
// every change shows (the latest phone, the same kept conflict), and a
// later edit based on a head it took as a starting point merges.
func TestJoinFromHeads(t *testing.T) {
	ctx := context.Background()
	server, a, b := twoStations(t)
	edited := register(t, a.admin, samplePatient("Wilhelmina", "Zabriskie"))
	clash := register(t, a.admin, samplePatient("Octavia", "Quennell"))
	for _, phone := range []string{"0111 111", "0222 222", "0333 333"} {
		editPhone(t, a.admin, edited.ID, phone)
	}
	a.sync(t)
	b.sync(t)
	editPhone(t, a.admin, clash.ID, "0444 444") // concurrent edits: two heads
	editPhone(t, b.admin, clash.ID, "0555 555")
	a.sync(t)
	b.sync(t)
	a.sync(t)
	wantConflicts := len(must(a.admin.Conflicts(ctx))(t))
	if wantConflicts == 0 {
		t.Fatal("A keeps no conflict: the test needs one")
	}

	fc, c := beginJoin(t, server)
	if _, err := client.JoinFromHeads(ctx, fc.w, c, nil); err != nil {
		t.Fatalf("JoinFromHeads: %v", err)
	}
	if n, all := countPatientChanges(t, fc.w, edited.ID), countPatientChanges(t, a.w, edited.ID); n != 1 || all != 4 {
		t.Fatalf("the joined workstation holds %d of the edited patient's %d changes, want 1 of 4", n, all)
	}
	if n := countPatientChanges(t, fc.w, clash.ID); n != countPatientChanges(t, a.w, clash.ID) {
		t.Fatalf("the joined workstation holds %d of the conflicted patient's changes, want its whole history", n)
	}
	fc.admin = fc.signIn(t, "ada", adminPass)
	if p := must(fc.admin.OpenPatient(ctx, edited.ID))(t); p.Phone != "0333 333" {
		t.Fatalf("joined workstation shows phone %q, want the latest 0333 333", p.Phone)
	}
	if got := len(must(fc.admin.Conflicts(ctx))(t)); got != wantConflicts {
		t.Fatalf("joined workstation keeps %d conflicts, A %d", got, wantConflicts)
	}
	if p, q := must(fc.admin.OpenPatient(ctx, clash.ID))(t), must(a.admin.OpenPatient(ctx, clash.ID))(t); p.Phone != q.Phone {
		t.Fatalf("conflicted phone shown %q here, %q on A", p.Phone, q.Phone)
	}

	editPhone(t, a.admin, edited.ID, "0666 666") // based on the head C started from
	a.sync(t)
	joined := syncingWorkstation{fc, c}
	joined.sync(t)
	if p := must(fc.admin.OpenPatient(ctx, edited.ID))(t); p.Phone != "0666 666" {
		t.Fatalf("after a later edit the joined workstation shows %q, want 0666 666", p.Phone)
	}
	editPhone(t, fc.admin, edited.ID, "0777 777") // and an edit made here travels back
	joined.sync(t)
	a.sync(t)
	if p := must(a.admin.OpenPatient(ctx, edited.ID))(t); p.Phone != "0777 777" {
		t.Fatalf("A shows %q after the joined workstation's edit, want 0777 777", p.Phone)
	}
}

func countPatientChanges(t *testing.T, w *Workstation, id chart.PatientID) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`SELECT count(*) FROM changes WHERE kind = ? AND record_id = ?`, kindPatient, string(id)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestJoinFromHeadsFetchesAncestorsOnDemand: an edit made offline on an
// old version of a record reaches a workstation that joined from heads
// after the record moved on. Its parent is a version that workstation
// never held: the sync fetches the record's history, the base stops being
// one, and the record merges as on a workstation that saw every change
// (the same conflict kept, the same value shown).
func TestJoinFromHeadsFetchesAncestorsOnDemand(t *testing.T) {
	ctx := context.Background()
	server, a, b := twoStations(t)
	p := register(t, a.admin, samplePatient("Wilhelmina", "Zabriskie"))
	a.sync(t)
	b.sync(t) // B holds the registration only
	renamed := must(a.admin.OpenPatient(ctx, p.ID))(t)
	renamed.FamilyName = "Zabriskie-Okafor" // a field B's edit leaves alone: no conflict on it
	if _, err := a.admin.UpdatePatient(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	editPhone(t, a.admin, p.ID, "0111 111")
	editPhone(t, a.admin, p.ID, "0222 222")
	a.sync(t)

	fc, c := beginJoin(t, server)
	if _, err := client.JoinFromHeads(ctx, fc.w, c, nil); err != nil {
		t.Fatalf("JoinFromHeads: %v", err)
	}
	fc.admin = fc.signIn(t, "ada", adminPass)
	joined := syncingWorkstation{fc, c}

	editPhone(t, b.admin, p.ID, "0999 999") // offline, on the registration: C never held it
	b.sync(t)
	a.sync(t)
	joined.sync(t)
	want, got := must(a.admin.Conflicts(ctx))(t), must(fc.admin.Conflicts(ctx))(t)
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("joined workstation keeps %d conflicts, A %d (want A's, at least one)", len(got), len(want))
	}
	if x, y := must(fc.admin.OpenPatient(ctx, p.ID))(t), must(a.admin.OpenPatient(ctx, p.ID))(t); x.Phone != y.Phone ||
		x.FamilyName != "Zabriskie-Okafor" || y.FamilyName != x.FamilyName {
		t.Fatalf("joined workstation shows %q %q, A %q %q", x.Phone, x.FamilyName, y.Phone, y.FamilyName)
	}
	if n := countPatientChanges(t, fc.w, p.ID); n != countPatientChanges(t, a.w, p.ID) {
		t.Fatalf("joined workstation holds %d of the record's changes, A %d: the history was not fetched", n,
			countPatientChanges(t, a.w, p.ID))
	}
}

// TestJoinFetchesTheNextHeadsPageWhileStoring: the join asks for the next
// page of heads before it stores the one it has, so the server reads and
// frames a page while the workstation writes the last one. The joiner here
// is the real store, which, before storing a page that has a next one,
// waits for that page's request to have left; a join that fetches only
// after storing makes it wait in vain.
func TestJoinFetchesTheNextHeadsPageWhileStoring(t *testing.T) {
	ctx := context.Background()
	server, a, _ := twoStations(t)
	for _, name := range []string{"Alder", "Birch", "Cedar", "Damson", "Elm"} {
		register(t, a.admin, samplePatient(name, "Grove"))
	}
	a.sync(t)
	fc, c := beginJoin(t, server)
	tr := &pagedHeads{HeadsTransport: c, asked: make(chan int64, 64), more: map[int64]bool{}}
	j := &waitingJoiner{Workstation: fc.w, tr: tr, t: t}
	if _, err := client.JoinFromHeads(ctx, j, tr, nil); err != nil {
		t.Fatalf("JoinFromHeads: %v", err)
	}
	if j.pages < 3 || j.overlapped != j.pages-1 {
		t.Fatalf("%d of %d heads pages were stored while the next was fetched, want all but the last", j.overlapped, j.pages)
	}
	fc.admin = fc.signIn(t, "ada", adminPass)
	if n, want := len(must(fc.admin.SearchPatients(ctx, "Grove", 50))(t)), 5; n != want {
		t.Fatalf("the joined workstation finds %d patients, want %d", n, want)
	}
}

// pagedHeads is the real transport, asking for heads three at a time and
// telling which pages it was asked for.
type pagedHeads struct {
	client.HeadsTransport
	asked chan int64 // the cursor of each heads request, as it leaves
	mu    sync.Mutex
	more  map[int64]bool // a heads page's next cursor: whether it had more
}

func (p *pagedHeads) JoinHeads(ctx context.Context, after, upTo int64, limit int, records []string) (wire.PullResponse, error) {
	if records != nil {
		return p.HeadsTransport.JoinHeads(ctx, after, upTo, limit, records)
	}
	p.asked <- after
	page, err := p.HeadsTransport.JoinHeads(ctx, after, upTo, min(limit, 3), nil)
	p.mu.Lock()
	p.more[page.Next] = page.More
	p.mu.Unlock()
	return page, err
}

// waitingJoiner stores each heads page that has a next one only once the
// next one's request has left (or after ten seconds, counted as not).
type waitingJoiner struct {
	*Workstation
	tr                *pagedHeads
	t                 *testing.T
	pages, overlapped int
}

func (j *waitingJoiner) ApplyJoinPull(ctx context.Context, changes []wire.Change, next int64) (int, error) {
	j.tr.mu.Lock()
	more, heads := j.tr.more[next]
	delete(j.tr.more, next) // the catch-up pull after the heads may end at the same seq
	j.tr.mu.Unlock()
	if heads && next > 0 {
		j.pages++
		if more {
			timeout := time.After(10 * time.Second)
		wait:
			for {
				select {
				case after := <-j.tr.asked:
					if after == next {
						j.overlapped++
						break wait
					}
				case <-timeout:
					break wait
				}
			}
		}
	}
	return j.Workstation.ApplyJoinPull(ctx, changes, next)
}
