package merge

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"

	"outpost/chart"
	"outpost/sync/clock"
)

// randomHistory is one record's versions: mostly lines (an edit on the
// last version), with roots, concurrent edits, merges of heads, missing
// parents, repeats, HLCs out of causal order, $resolves and, when signable,
// signatures anywhere.
func randomHistory(rng *rand.Rand, signable bool) []Version {
	fields := []string{"title", "text", "comment", "enteredInError", "version", "updatedAt"}
	values := []string{`"a"`, `"b"`, `"c"`, `null`, ` "a" `, `{"x": 1}`}
	n := 1 + rng.IntN(12)
	straight := rng.IntN(2) == 0 // half the histories are meant as lines, a few of them fail to be
	var vs []Version
	for i := range n {
		v := Version{ChangeID: chart.ChangeID(fmt.Sprintf("c%02d", i)), HLC: clock.Timestamp{Wall: int64(1000 + i*10)},
			DeviceID: chart.DeviceID(fmt.Sprintf("dev%d", rng.IntN(3))), UserID: "u", Fields: map[string]json.RawMessage{}}
		if rng.IntN(8) == 0 {
			v.HLC.Wall = int64(1000 + rng.IntN(n*10)) // a clock behind its parent's
		}
		if i > 0 {
			r := rng.IntN(20)
			if straight && rng.IntN(15) > 0 {
				r = 0
			}
			switch {
			case r < 13:
				v.Parents = []chart.ChangeID{vs[i-1].ChangeID}
			case r < 15:
				v.Parents = []chart.ChangeID{vs[rng.IntN(i)].ChangeID}
			case r < 17:
				v.Parents = []chart.ChangeID{vs[rng.IntN(i)].ChangeID, vs[rng.IntN(i)].ChangeID}
			case r < 18:
				v.Parents = []chart.ChangeID{"gone"}
			case r < 19:
				v.Parents = []chart.ChangeID{vs[i-1].ChangeID, vs[i-1].ChangeID}
			} // else a second root
		}
		base := map[string]json.RawMessage{}
		if len(vs) > 0 {
			base = vs[len(vs)-1].Fields
		}
		for _, f := range fields {
			if raw, ok := base[f]; ok && rng.IntN(3) > 0 {
				v.Fields[f] = raw
			} else if rng.IntN(2) == 0 {
				v.Fields[f] = json.RawMessage(values[rng.IntN(len(values))])
			}
		}
		if signable && rng.IntN(5) == 0 {
			v.Fields[mergeFieldSignature] = json.RawMessage(`{"by":"u"}`)
		}
		if rng.IntN(6) == 0 {
			v.Resolves = []string{fields[rng.IntN(len(fields))]}
		}
		vs = append(vs, v)
	}
	for range rng.IntN(3) { // received twice
		if rng.IntN(2) == 0 {
			vs = append(vs, vs[rng.IntN(len(vs))])
		}
	}
	if len(vs) > 2 && rng.IntN(10) == 0 { // one not yet received
		i := 1 + rng.IntN(len(vs)-2)
		vs = append(vs[:i], vs[i+1:]...)
	}
	rng.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
	return vs
}

// Wherever Chain finds one line with no signed version before its last,
// Delta of that last version is what Record gives for the whole history;
// and Chain finds a line in every history built as one.
func TestDeltaMergesAsTheDAGDoes(t *testing.T) {
	histories := 5000
	if os.Getenv("OUTPOST_LONG") == "1" {
		histories = 200000
	}
	rng := rand.New(rand.NewPCG(12, 5))
	lines, others, signedBefore := 0, 0, 0
	for h := range histories {
		vs := randomHistory(rng, h%2 == 0)
		links := make([]Link, len(vs))
		byID := map[chart.ChangeID]Version{}
		for i, v := range vs {
			links[i] = Link{ChangeID: v.ChangeID, Parents: v.Parents}
			byID[v.ChangeID] = v
		}
		line, ok := Chain(links)
		if !ok {
			others++
			continue
		}
		if len(line) != len(vs) {
			t.Fatalf("history %d: a line of %d from %d versions", h, len(line), len(vs))
		}
		head := byID[line[len(line)-1]]
		signed := false
		for _, id := range line[:len(line)-1] {
			signed = signed || byID[id].Signed()
		}
		if signed {
			signedBefore++
			continue
		}
		lines++
		want, wantErr := Record(vs)
		got, gotErr := Delta(head)
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("history %d %+v:\nDelta  %+v (%v)\nRecord %+v (%v)", h, vs, got, gotErr, want, wantErr)
		}
	}
	t.Logf("%d lines merged by Delta, %d lines with a signed version before the last, %d other histories",
		lines, signedBefore, others)
	if lines < histories/5 || others < histories/5 {
		t.Fatalf("the histories are too one-sided to compare: %d lines, %d others", lines, others)
	}
}

func TestChainRefusesWhatIsNotOneLine(t *testing.T) {
	l := func(id string, parents ...string) Link {
		k := Link{ChangeID: chart.ChangeID(id)}
		for _, p := range parents {
			k.Parents = append(k.Parents, chart.ChangeID(p))
		}
		return k
	}
	for name, links := range map[string][]Link{
		"none":             nil,
		"two roots":        {l("a"), l("b")},
		"concurrent edits": {l("a"), l("b", "a"), l("c", "a")},
		"a merge":          {l("a"), l("b", "a"), l("c", "a", "b")},
		"a missing parent": {l("a"), l("c", "b")},
		"a repeat":         {l("a"), l("b", "a"), l("b", "a")},
		"a cycle":          {l("a"), l("b", "c"), l("c", "b")},
		"no change id":     {l("")},
	} {
		if line, ok := Chain(links); ok {
			t.Errorf("%s: Chain gave the line %v", name, line)
		}
	}
	line, ok := Chain([]Link{l("c", "b"), l("a"), l("b", "a", "a")})
	if !ok || fmt.Sprint(line) != "[a b c]" {
		t.Fatalf("Chain of a line: %v %v", line, ok)
	}
}
