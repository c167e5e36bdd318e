package merge

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"outpost/sync/clock"
	"reflect"
	"slices"
	"testing"
	"time"

	"outpost/chart"
)

// The property test simulates 3–5 workstations editing one note offline and
// exchanging versions through a lossy network (reordered, duplicated,
// dropped and resent). After a final full exchange every workstation must
// compute the same merge, and no value written concurrently may be lost.

var simContentFields = []string{"title", "sections", "comment", "kind"}

type simIntent struct {
	change chart.ChangeID
	field  string
	value  string // compact JSON, "" when absent
}

type simDevice struct {
	id    chart.DeviceID
	user  chart.UserID
	clock *clock.Clock
	have  map[chart.ChangeID]bool
	log   []Version // everything received, in arrival order, repeats included
	saves int
}

type simMessage struct {
	to int
	v  Version
}

type mergeSim struct {
	t       *testing.T
	seed    uint64
	rng     *rand.Rand
	wall    time.Time
	devices []*simDevice
	flight  []simMessage
	all     map[chart.ChangeID]Version
	intents []simIntent
	unique  int
}

func TestMergeConvergesOnRandomHistories(t *testing.T) {
	seeds := 300
	if os.Getenv("OUTPOST_LONG") == "1" {
		seeds = 5000
	}
	for seed := range uint64(seeds) {
		s := newMergeSim(t, seed)
		steps := 30 + s.rng.IntN(50)
		for range steps {
			s.step()
		}
		s.exchangeEverything()
		s.check()
	}
}

func newMergeSim(t *testing.T, seed uint64) *mergeSim {
	s := &mergeSim{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 0x5eed)),
		wall: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), all: map[chart.ChangeID]Version{}}
	for i := range 3 + s.rng.IntN(3) {
		skew := time.Duration(s.rng.IntN(3)) * time.Millisecond
		d := &simDevice{id: chart.DeviceID(fmt.Sprintf("dev%d", i)), user: chart.UserID(fmt.Sprintf("user%d", i)),
			have: map[chart.ChangeID]bool{}}
		d.clock = clock.New(func() time.Time { return s.wall.Add(skew) }, clock.Timestamp{})
		s.devices = append(s.devices, d)
	}
	root := map[string]json.RawMessage{}
	for _, f := range simContentFields {
		root[f] = s.newValue(f)
	}
	s.save(0, nil, root, nil, slices.Concat(simContentFields, []string{mergeFieldSignature, mergeFieldEnteredInError}))
	return s
}

func (s *mergeSim) fatalf(format string, args ...any) {
	s.t.Helper()
	s.t.Fatalf("seed %d: %s", s.seed, fmt.Sprintf(format, args...))
}

// newValue returns a JSON value for field f that was never written before.
func (s *mergeSim) newValue(f string) json.RawMessage {
	s.unique++
	text := fmt.Sprintf("%s-%d", f, s.unique)
	if f == "sections" {
		return json.RawMessage(fmt.Sprintf(`[{"key":"S","label":"Subjective","text":%q}]`, text))
	}
	return json.RawMessage(fmt.Sprintf("%q", text))
}

func (s *mergeSim) step() {
	s.wall = s.wall.Add(time.Duration(s.rng.IntN(3)) * time.Millisecond)
	switch r := s.rng.IntN(100); {
	case r < 35:
		s.edit(s.rng.IntN(len(s.devices)))
	case r < 85 && len(s.flight) > 0:
		s.deliverOne()
	default:
		s.resendOne()
	}
}

// edit makes one user action on device i's current view of the note.
func (s *mergeSim) edit(i int) {
	d := s.devices[i]
	view, err := Record(d.log)
	if errors.Is(err, ErrIncomplete) {
		return // the note has not reached this workstation yet
	}
	if err != nil {
		s.fatalf("device %d: %v", i, err)
	}
	if s.rng.IntN(5) == 0 {
		if again, err := Record(mergeShuffled(d.log, s.rng)); err != nil || !reflect.DeepEqual(again, view) {
			s.fatalf("device %d: merge depends on arrival order", i)
		}
	}
	fields := maps.Clone(view.Fields)
	r := s.rng.IntN(100)
	switch {
	case len(view.Conflicts) > 0 && r < 35:
		s.resolve(i, view, fields)
	case view.Signed && r < 50 && !view.EnteredInError:
		s.retract(i, view, fields)
	case view.Signed && r > 95: // a faulty workstation editing a signed note
		s.change(i, view, fields)
	case view.Signed:
	case r < 8 && !view.EnteredInError:
		fields[mergeFieldSignature] = json.RawMessage(fmt.Sprintf(`{"signerId":%q,"n":%d}`, d.user, s.unique))
		s.unique++
		s.save(i, view.Heads, fields, nil, slices.Concat(simContentFields, []string{mergeFieldSignature, mergeFieldEnteredInError}))
	case r < 13 && !view.EnteredInError:
		s.retract(i, view, fields)
	default:
		s.change(i, view, fields)
	}
}

func (s *mergeSim) change(i int, view Result, fields map[string]json.RawMessage) {
	var written []string
	for range 1 + s.rng.IntN(2) {
		f := simContentFields[s.rng.IntN(len(simContentFields))]
		fields[f] = s.newValue(f)
		written = append(written, f)
	}
	s.save(i, view.Heads, fields, nil, written)
}

func (s *mergeSim) retract(i int, view Result, fields map[string]json.RawMessage) {
	fields[mergeFieldEnteredInError] = s.newValue(mergeFieldEnteredInError)
	s.save(i, view.Heads, fields, nil, []string{mergeFieldEnteredInError})
}

// resolve settles some conflicts: keep the shown value, take another one,
// or write a merged value. A retraction is never undone.
func (s *mergeSim) resolve(i int, view Result, fields map[string]json.RawMessage) {
	var resolves, written []string
	for _, c := range view.Conflicts {
		switch r := s.rng.IntN(4); {
		case r == 0 && len(written) > 0:
			continue // leave this one open
		case r == 1 && !c.AgainstSigned && c.Field != mergeFieldEnteredInError:
			fields[c.Field] = c.Others[s.rng.IntN(len(c.Others))].Value
			if fields[c.Field] == nil {
				delete(fields, c.Field)
			}
			if s.rng.IntN(2) == 0 { // a different value settles it unnamed
				resolves = append(resolves, c.Field)
			}
		case r == 2 && !c.AgainstSigned && c.Field != mergeFieldEnteredInError:
			fields[c.Field] = s.newValue(c.Field)
		default:
			resolves = append(resolves, c.Field)
		}
		written = append(written, c.Field)
	}
	s.save(i, view.Heads, fields, resolves, written)
}

// save records a new version made on device i and sends it to the others.
func (s *mergeSim) save(i int, parents []chart.ChangeID, fields map[string]json.RawMessage, resolves, written []string) {
	d := s.devices[i]
	d.saves++
	hlc := d.clock.Now()
	fields["version"] = json.RawMessage(fmt.Sprint(d.saves))
	fields["updatedAt"] = json.RawMessage(fmt.Sprintf("%q", hlc.String()))
	fields["updatedBy"] = json.RawMessage(fmt.Sprintf("%q", d.user))
	id := chart.ChangeID(fmt.Sprintf("%016x", s.rng.Uint64()))
	v := Version{ChangeID: id, Parents: parents, HLC: hlc, DeviceID: d.id, UserID: d.user, Fields: fields, Resolves: resolves}
	for _, f := range written {
		val, _ := mergeCompact(fields[f])
		s.intents = append(s.intents, simIntent{change: id, field: f, value: val})
	}
	s.all[id] = v
	s.receive(i, v)
	for to := range s.devices {
		switch r := s.rng.IntN(100); {
		case to == i || r < 15: // dropped; a later resend or the final exchange brings it
		case r < 30:
			s.flight = append(s.flight, simMessage{to, v}, simMessage{to, v})
		default:
			s.flight = append(s.flight, simMessage{to, v})
		}
	}
}

func (s *mergeSim) receive(i int, v Version) {
	d := s.devices[i]
	d.have[v.ChangeID] = true
	d.log = append(d.log, v)
	if _, err := d.clock.Observe(v.HLC); err != nil {
		s.fatalf("observe: %v", err)
	}
}

func (s *mergeSim) deliverOne() {
	k := s.rng.IntN(len(s.flight))
	m := s.flight[k]
	if s.rng.IntN(5) != 0 { // otherwise it stays in flight and arrives again
		s.flight = slices.Delete(s.flight, k, k+1)
	}
	s.receive(m.to, m.v)
}

func (s *mergeSim) resendOne() {
	from := s.devices[s.rng.IntN(len(s.devices))]
	if len(from.log) > 0 {
		s.flight = append(s.flight, simMessage{s.rng.IntN(len(s.devices)), from.log[s.rng.IntN(len(from.log))]})
	}
}

// exchangeEverything delivers what is still in flight and then every
// version each workstation lacks, in random order.
func (s *mergeSim) exchangeEverything() {
	for len(s.flight) > 0 {
		s.deliverOne()
	}
	ids := slices.Sorted(maps.Keys(s.all))
	for i, d := range s.devices {
		for _, k := range s.rng.Perm(len(ids)) {
			if id := ids[k]; !d.have[id] {
				s.receive(i, s.all[id])
			}
		}
	}
}

// check compares every workstation's merge and tests it against what the
// simulated users did.
func (s *mergeSim) check() {
	want, err := Record(s.devices[0].log)
	if err != nil {
		s.fatalf("final merge: %v", err)
	}
	if len(want.Pending) != 0 || len(want.Missing) != 0 {
		s.fatalf("versions still waiting after a full exchange: %v", want.Pending)
	}
	order := Order(s.devices[0].log)
	for i, d := range s.devices[1:] {
		got, err := Record(d.log)
		if err != nil || !reflect.DeepEqual(got, want) {
			s.fatalf("device %d merged differently from device 0:\n%+v\n%+v (%v)", i+1, got, want, err)
		}
		if !reflect.DeepEqual(Order(d.log), order) {
			s.fatalf("device %d orders history differently", i+1)
		}
	}
	s.checkOrder(order)
	anc := s.ancestors()
	s.checkNothingLost(want, anc)
	s.checkSigned(want)
	s.checkRetracted(want)
}

func (s *mergeSim) checkOrder(order []Version) {
	if len(order) != len(s.all) {
		s.fatalf("history has %d versions, want %d", len(order), len(s.all))
	}
	seen := map[chart.ChangeID]bool{}
	for _, v := range order {
		for _, p := range v.Parents {
			if !seen[p] {
				s.fatalf("history lists %s before its parent %s", v.ChangeID, p)
			}
		}
		seen[v.ChangeID] = true
	}
}

// ancestors maps every change to the set of changes it descends from.
func (s *mergeSim) ancestors() map[chart.ChangeID]map[chart.ChangeID]bool {
	anc := map[chart.ChangeID]map[chart.ChangeID]bool{}
	var walk func(id chart.ChangeID) map[chart.ChangeID]bool
	walk = func(id chart.ChangeID) map[chart.ChangeID]bool {
		if a, ok := anc[id]; ok {
			return a
		}
		a := map[chart.ChangeID]bool{}
		for _, p := range s.all[id].Parents {
			a[p] = true
			for q := range walk(p) {
				a[q] = true
			}
		}
		anc[id] = a
		return a
	}
	for id := range s.all {
		walk(id)
	}
	return anc
}

// checkNothingLost: every write that no later write of the same field
// descends from is still visible, as the value or in that field's conflict.
func (s *mergeSim) checkNothingLost(res Result, anc map[chart.ChangeID]map[chart.ChangeID]bool) {
	for _, w := range s.intents {
		superseded := slices.ContainsFunc(s.intents, func(o simIntent) bool {
			return o.field == w.field && anc[o.change][w.change]
		})
		if superseded {
			continue
		}
		visible := []string{string(res.Fields[w.field])}
		if c := conflictOn(res, w.field); c != nil {
			visible = append(visible, string(c.Winner.Value))
			for _, o := range c.Others {
				visible = append(visible, string(o.Value))
			}
		}
		if !slices.Contains(visible, w.value) {
			s.fatalf("write %s of %s = %s was lost; visible: %q", w.change, w.field, w.value, visible)
		}
	}
}

// checkSigned: once any version is signed, the merge shows the first
// signing's content exactly, and every conflict is against it.
func (s *mergeSim) checkSigned(res Result) {
	var first *Version
	for _, v := range s.all {
		signing := v.Signed() && !slices.ContainsFunc(v.Parents, func(p chart.ChangeID) bool { return s.all[p].Signed() })
		if signing && (first == nil || v.HLC.Compare(first.HLC) < 0 ||
			v.HLC == first.HLC && v.ChangeID < first.ChangeID) {
			first = &v
		}
	}
	if first == nil {
		if res.Signed || res.Fields[mergeFieldSignature] != nil {
			s.fatalf("merge is signed but no version was: %+v", res)
		}
		for _, c := range res.Conflicts {
			if c.AgainstSigned {
				s.fatalf("conflict against a signature that does not exist: %+v", c)
			}
		}
		return
	}
	if !res.Signed || res.SignedChangeID != first.ChangeID {
		s.fatalf("signed by %q (%v), want the first signing %s", res.SignedChangeID, res.Signed, first.ChangeID)
	}
	for _, f := range slices.Concat(simContentFields, []string{mergeFieldSignature}) {
		want, _ := mergeCompact(first.Fields[f])
		if string(res.Fields[f]) != want {
			s.fatalf("signed field %s shows %s, signed content is %s", f, res.Fields[f], want)
		}
	}
	for _, c := range res.Conflicts {
		if c.AgainstSigned != (c.Field != mergeFieldEnteredInError) {
			s.fatalf("conflict on %s: AgainstSigned = %v", c.Field, c.AgainstSigned)
		}
	}
}

func (s *mergeSim) checkRetracted(res Result) {
	retracted := slices.ContainsFunc(s.intents, func(w simIntent) bool {
		return w.field == mergeFieldEnteredInError && w.value != ""
	})
	if res.EnteredInError != retracted {
		s.fatalf("entered in error = %v, but a retraction was made: %v", res.EnteredInError, retracted)
	}
}
