package merge

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"outpost/sync/clock"
	"reflect"
	"slices"
	"strings"
	"testing"

	"outpost/chart"
)

// mv builds a version: parents is comma-separated, kv are field names and
// JSON values in turn. Device and user are derived from the id.
func mv(id string, wall int64, parents string, kv ...string) Version {
	v := Version{ChangeID: chart.ChangeID(id), HLC: clock.Timestamp{Wall: wall},
		DeviceID: chart.DeviceID("dev-" + id), UserID: chart.UserID("user-" + id),
		Fields: map[string]json.RawMessage{}}
	if parents != "" {
		for _, p := range strings.Split(parents, ",") {
			v.Parents = append(v.Parents, chart.ChangeID(p))
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Fields[kv[i]] = json.RawMessage(kv[i+1])
	}
	return v
}

// child copies parent's fields into a new version on top of the given
// parents (comma-separated) and applies kv.
func child(base Version, id string, wall int64, parents string, kv ...string) Version {
	v := mv(id, wall, parents, kv...)
	for f, raw := range base.Fields {
		if _, set := v.Fields[f]; !set {
			v.Fields[f] = raw
		}
	}
	return v
}

func resolving(v Version, fields ...string) Version { v.Resolves = fields; return v }

func mustMerge(t *testing.T, vs ...Version) Result {
	t.Helper()
	res, err := Record(vs)
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	again, err := Record(mergeShuffled(vs, rand.New(rand.NewPCG(1, 2))))
	if err != nil || !reflect.DeepEqual(res, again) {
		t.Fatalf("Record depends on input order:\n%+v\n%+v (%v)", res, again, err)
	}
	return res
}

// mergeShuffled returns vs in random order with some versions repeated.
func mergeShuffled(vs []Version, rng *rand.Rand) []Version {
	out := slices.Clone(vs)
	for _, v := range vs {
		if rng.IntN(3) == 0 {
			out = append(out, v)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func field(t *testing.T, r Result, f string) string {
	t.Helper()
	return string(r.Fields[f])
}

func conflictOn(r Result, f string) *Conflict {
	for i := range r.Conflicts {
		if r.Conflicts[i].Field == f {
			return &r.Conflicts[i]
		}
	}
	return nil
}

func values(c *Conflict) (winner string, others []string) {
	for _, o := range c.Others {
		others = append(others, string(o.ChangeID)+"="+string(o.Value))
	}
	return string(c.Winner.ChangeID) + "=" + string(c.Winner.Value), others
}

func expectNoConflicts(t *testing.T, r Result) {
	t.Helper()
	if len(r.Conflicts) != 0 {
		t.Fatalf("conflicts = %+v, want none", r.Conflicts)
	}
}

func expectConflict(t *testing.T, r Result, f, winner string, others ...string) *Conflict {
	t.Helper()
	c := conflictOn(r, f)
	if c == nil {
		t.Fatalf("no conflict on %q; conflicts %+v, fields %s", f, r.Conflicts, r.Fields)
	}
	w, o := values(c)
	if w != winner || !slices.Equal(o, others) {
		t.Fatalf("conflict on %q: winner %s others %v, want %s %v", f, w, o, winner, others)
	}
	if got := field(t, r, f); got != string(c.Winner.Value) {
		t.Fatalf("field %q shows %s, but the conflict's winner is %s", f, got, c.Winner.Value)
	}
	return c
}

var root = mv("a0", 10, "", "title", `"Visit"`, "comment", `"none"`, "version", `1`)

func TestMergeSingleAndLinear(t *testing.T) {
	r := mustMerge(t, root)
	if field(t, r, "title") != `"Visit"` || !slices.Equal(r.Heads, []chart.ChangeID{"a0"}) {
		t.Fatalf("single version: %+v", r)
	}
	b := child(root, "b1", 20, "a0", "title", `"Follow-up"`)
	c := child(b, "c1", 30, "b1", "comment", `"seen"`)
	r = mustMerge(t, root, b, c)
	expectNoConflicts(t, r)
	if field(t, r, "title") != `"Follow-up"` || field(t, r, "comment") != `"seen"` || !slices.Equal(r.Heads, []chart.ChangeID{"c1"}) {
		t.Fatalf("linear: %+v", r)
	}
}

func TestMergeDifferentFieldsCombine(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"Follow-up"`)
	c := child(root, "c1", 21, "a0", "comment", `"seen"`)
	r := mustMerge(t, root, b, c)
	expectNoConflicts(t, r)
	if field(t, r, "title") != `"Follow-up"` || field(t, r, "comment") != `"seen"` {
		t.Fatalf("fields = %s", r.Fields)
	}
	if !slices.Equal(r.Heads, []chart.ChangeID{"b1", "c1"}) {
		t.Fatalf("heads = %v", r.Heads)
	}
}

func TestMergeSameFieldConflictKeepsBothValues(t *testing.T) {
	for _, tc := range []struct {
		name         string
		bWall, cWall int64
		winner, lose string
	}{
		{"later HLC wins", 30, 20, `b1="B"`, `c1="C"`},
		{"later HLC wins whatever the id", 20, 30, `c1="C"`, `b1="B"`},
		{"HLC tie goes to the higher change id", 25, 25, `c1="C"`, `b1="B"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := child(root, "b1", tc.bWall, "a0", "title", `"B"`)
			c := child(root, "c1", tc.cWall, "a0", "title", `"C"`)
			r := mustMerge(t, root, b, c)
			cf := expectConflict(t, r, "title", tc.winner, tc.lose)
			if cf.AgainstSigned || cf.Others[0].DeviceID == "" || cf.Others[0].UserID == "" || cf.Others[0].HLC.IsZero() {
				t.Fatalf("conflict attribution: %+v", cf)
			}
			if len(r.Conflicts) != 1 || field(t, r, "comment") != `"none"` {
				t.Fatalf("unrelated field disturbed: %+v", r)
			}
		})
	}
}

func TestMergeSameChangeOnBothSidesIsNoConflict(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"Same"`)
	c := child(root, "c1", 30, "a0", "title", ` "Same" `)
	r := mustMerge(t, root, b, c)
	expectNoConflicts(t, r)
	if field(t, r, "title") != `"Same"` {
		t.Fatalf("title = %s", field(t, r, "title"))
	}
}

func TestMergeThreeConcurrentHeads(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"B"`)
	c := child(root, "c1", 40, "a0", "title", `"C"`)
	d := child(root, "d1", 30, "a0", "title", `"D"`, "comment", `"d"`)
	e := child(root, "e1", 10, "a0", "title", `"B"`) // same value as b1, earlier
	r := mustMerge(t, root, b, c, d, e)
	expectConflict(t, r, "title", `c1="C"`, `d1="D"`, `b1="B"`)
	if field(t, r, "comment") != `"d"` || len(r.Heads) != 4 {
		t.Fatalf("result: %+v", r)
	}
}

func TestMergeNoteTextIsNeverLastWriterWins(t *testing.T) {
	note := mv("n0", 10, "", "kind", `"clinical"`, "title", `"Visit"`,
		"sections", `[{"key":"S","text":"cough"},{"key":"P","text":""}]`)
	b := child(note, "b1", 20, "n0", "sections", `[{"key":"S","text":"cough, 3 days"},{"key":"P","text":""}]`)
	c := child(note, "c1", 21, "n0", "sections", `[{"key":"S","text":"cough"},{"key":"P","text":"rest, fluids"}]`)
	r := mustMerge(t, note, b, c)
	expectConflict(t, r, "sections",
		`c1=[{"key":"S","text":"cough"},{"key":"P","text":"rest, fluids"}]`,
		`b1=[{"key":"S","text":"cough, 3 days"},{"key":"P","text":""}]`)
}

func TestMergeResolution(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"B"`)
	c := child(root, "c1", 30, "a0", "title", `"C"`) // shown winner
	base := mustMerge(t, root, b, c)
	shown := Version{Fields: base.Fields}
	for _, tc := range []struct {
		name  string
		r     Version
		title string
	}{
		{"keep the shown value", resolving(child(shown, "r1", 40, "b1,c1"), "title"), `"C"`},
		{"keep the other value", child(shown, "r1", 40, "b1,c1", "title", `"B"`), `"B"`},
		{"a merged value", child(shown, "r1", 40, "b1,c1", "title", `"B and C"`), `"B and C"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustMerge(t, root, b, c, tc.r)
			expectNoConflicts(t, r)
			if field(t, r, "title") != tc.title || !slices.Equal(r.Heads, []chart.ChangeID{"r1"}) {
				t.Fatalf("result: %+v", r)
			}
		})
	}
	t.Run("an edit of another field leaves the conflict open", func(t *testing.T) {
		e := child(shown, "e1", 40, "b1,c1", "comment", `"seen"`)
		r := mustMerge(t, root, b, c, e)
		expectConflict(t, r, "title", `c1="C"`, `b1="B"`)
		if field(t, r, "comment") != `"seen"` || !slices.Equal(r.Heads, []chart.ChangeID{"e1"}) {
			t.Fatalf("result: %+v", r)
		}
	})
}

func TestMergeEditAfterMerge(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"B"`)
	c := child(root, "c1", 30, "a0", "title", `"C"`)
	res := resolving(child(c, "r1", 40, "b1,c1"), "title")
	after := child(res, "e1", 50, "r1", "title", `"E"`)
	r := mustMerge(t, root, b, c, res, after)
	expectNoConflicts(t, r)
	if field(t, r, "title") != `"E"` {
		t.Fatalf("title = %s", field(t, r, "title"))
	}
	// A device that never saw the resolution keeps editing its branch: its
	// write is concurrent with the resolution's and with the edit after it.
	late := child(b, "b2", 45, "b1", "title", `"B2"`)
	r = mustMerge(t, root, b, c, res, after, late)
	expectConflict(t, r, "title", `e1="E"`, `b2="B2"`)
}

func TestMergeCrissCross(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"B"`)
	c := child(root, "c1", 30, "a0", "title", `"C"`)
	// Two devices resolve the same conflict differently, each on top of both.
	m1 := resolving(child(b, "m1", 40, "b1,c1"), "title")
	m2 := resolving(child(c, "m2", 41, "b1,c1"), "title")
	r := mustMerge(t, root, b, c, m1, m2)
	expectConflict(t, r, "title", `m2="C"`, `m1="B"`)
	// Criss-cross merges that touched nothing else merge cleanly on top.
	x := child(m1, "x1", 50, "m1", "comment", `"x"`)
	y := child(m2, "y1", 51, "m2")
	r = mustMerge(t, root, b, c, m1, m2, x, y)
	expectConflict(t, r, "title", `m2="C"`, `m1="B"`)
	if field(t, r, "comment") != `"x"` {
		t.Fatalf("comment = %s", field(t, r, "comment"))
	}
	z := resolving(child(x, "z1", 60, "x1,y1", "title", `"B"`), "title")
	expectNoConflicts(t, mustMerge(t, root, b, c, m1, m2, x, y, z))
}

// A side that changes a field and changes it back still made a write; the
// other side's change is shown but the revert is kept as a conflict.
func TestMergeRevertCountsAsWrite(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"B"`)
	b2 := child(b, "b2", 25, "b1", "title", `"Visit"`)
	c := child(root, "c1", 30, "a0", "title", `"C"`)
	r := mustMerge(t, root, b, b2, c)
	expectConflict(t, r, "title", `c1="C"`, `b2="Visit"`)
}

func TestMergeBookkeepingNeverConflicts(t *testing.T) {
	b := child(root, "b1", 20, "a0", "version", `2`, "updatedBy", `"u-b"`, "comment", `"b"`)
	c := child(root, "c1", 30, "a0", "version", `2`, "updatedBy", `"u-c"`, "title", `"c"`)
	r := mustMerge(t, root, b, c)
	expectNoConflicts(t, r)
	if field(t, r, "updatedBy") != `"u-c"` || field(t, r, "version") != `2` {
		t.Fatalf("bookkeeping from the latest head: %s", r.Fields)
	}
}

func TestMergeNullIsAbsent(t *testing.T) {
	b := child(root, "b1", 20, "a0", "comment", `null`)
	c := mv("c1", 30, "b1", "title", `"Visit"`, "version", `1`)
	r := mustMerge(t, root, b, c)
	if _, ok := r.Fields["comment"]; ok {
		t.Fatalf("comment should be absent: %s", r.Fields)
	}
	expectNoConflicts(t, r)
	d := child(root, "d1", 40, "a0", "comment", `"kept"`)
	r = mustMerge(t, root, b, d)
	cf := expectConflict(t, r, "comment", `d1="kept"`, `b1=`)
	if cf.Others[0].Value != nil {
		t.Fatalf("a removed value is nil, got %q", cf.Others[0].Value)
	}
}

func TestMergeInputOrderAndDuplicates(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"B"`)
	c := child(root, "c1", 30, "a0", "title", `"C"`)
	want := mustMerge(t, root, b, c)
	rng := rand.New(rand.NewPCG(7, 7))
	for range 20 {
		got, err := Record(mergeShuffled([]Version{root, b, c, b, root}, rng))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v (%v), want %+v", got, err, want)
		}
	}
	// The same change arriving with other whitespace is still the same.
	spaced := child(root, "b1", 20, "a0", "title", ` "B"`)
	if got := mustMerge(t, root, b, spaced, c); !reflect.DeepEqual(got, want) {
		t.Fatalf("whitespace duplicate changed the result: %+v", got)
	}
	forged := child(root, "b1", 20, "a0", "title", `"forged"`)
	if _, err := Record([]Version{root, b, forged, c}); !errors.Is(err, MergeErrInvalid) {
		t.Fatalf("differing duplicate: err = %v, want MergeErrInvalid", err)
	}
}

func TestMergeMissingParentsWait(t *testing.T) {
	b := child(root, "b1", 20, "a0", "title", `"B"`)
	c := child(b, "c1", 30, "b1", "comment", `"c"`)
	d := child(root, "d1", 25, "a0", "title", `"D"`)
	r := mustMerge(t, root, c, d) // b1 has not arrived
	if !slices.Equal(r.Pending, []chart.ChangeID{"c1"}) || !slices.Equal(r.Missing, []chart.ChangeID{"b1"}) {
		t.Fatalf("pending %v missing %v", r.Pending, r.Missing)
	}
	expectNoConflicts(t, r)
	if field(t, r, "title") != `"D"` || field(t, r, "comment") != `"none"` || !slices.Equal(r.Heads, []chart.ChangeID{"d1"}) {
		t.Fatalf("merge of the complete part: %+v", r)
	}
	r = mustMerge(t, root, c, d, b)
	if len(r.Pending) != 0 || len(r.Missing) != 0 || field(t, r, "comment") != `"c"` {
		t.Fatalf("after the parent arrived: %+v", r)
	}
	expectConflict(t, r, "title", `d1="D"`, `b1="B"`)

	r, err := Record([]Version{c})
	if !errors.Is(err, ErrIncomplete) || !slices.Equal(r.Missing, []chart.ChangeID{"b1"}) {
		t.Fatalf("only an orphan: err %v, result %+v", err, r)
	}
	if _, err := Record(nil); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("no versions: err = %v", err)
	}
}

func TestMergeRefusesInvalidVersions(t *testing.T) {
	for name, vs := range map[string][]Version{
		"empty change id": {mv("", 10, "")},
		"field not JSON":  {mv("a0", 10, "", "title", `{"open"`)},
		"two JSON values": {mv("a0", 10, "", "title", `1 2`)},
		"self parent":     {root, mv("b1", 20, "b1")},
		"cycle":           {root, mv("b1", 20, "a0,c1"), mv("c1", 30, "b1")},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Record(vs); !errors.Is(err, MergeErrInvalid) {
				t.Fatalf("err = %v, want MergeErrInvalid", err)
			}
		})
	}
}

func TestMergeOrder(t *testing.T) {
	b := child(root, "b1", 40, "a0")
	c := child(root, "c1", 30, "a0")
	d := child(b, "d1", 20, "b1,c1") // skewed clock: earlier HLC than its parent
	orphan := mv("o1", 5, "gone")
	want := []chart.ChangeID{"o1", "a0", "c1", "b1", "d1"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		var got []chart.ChangeID
		for _, v := range Order(mergeShuffled([]Version{root, b, c, d, orphan}, rng)) {
			got = append(got, v.ChangeID)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("order = %v, want %v", got, want)
		}
	}
	got := Order([]Version{mv("x", 1, "y"), mv("y", 2, "x")})
	if len(got) != 2 || got[0].ChangeID != "x" {
		t.Fatalf("cycle broken at the earliest: %v", got)
	}
}

func BenchmarkMergeRecord50Versions5Heads(b *testing.B) {
	vs := mergeBenchVersions(50, 5)
	if r, err := Record(vs); err != nil || len(r.Heads) != 5 {
		b.Fatalf("setup: %d heads, %v", len(r.Heads), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Record(vs); err != nil {
			b.Fatal(err)
		}
	}
}

// mergeBenchVersions makes a note with heads branches growing from one
// root, each edit rewriting one of a dozen fields, some of them 2 KB text.
func mergeBenchVersions(total, heads int) []Version {
	text := strings.Repeat("Patient reports improvement. ", 70)
	root := mv("v000", 1000, "")
	for f := range 12 {
		root.Fields[fmt.Sprintf("f%02d", f)] = json.RawMessage(fmt.Sprintf("%q", text))
	}
	vs := []Version{root}
	tips := make([]Version, heads)
	for i := range tips {
		tips[i] = root
	}
	for i := 1; i < total; i++ {
		br := i % heads
		v := child(tips[br], fmt.Sprintf("v%03d", i), int64(1000+i), string(tips[br].ChangeID),
			fmt.Sprintf("f%02d", i%12), fmt.Sprintf("%q", fmt.Sprintf("%s edit %d", text, i)))
		tips[br] = v
		vs = append(vs, v)
	}
	return vs
}
