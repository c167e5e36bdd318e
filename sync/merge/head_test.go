package merge

import (
	"encoding/json"
	"testing"

	"outpost/chart"
	"outpost/sync/clock"
)

// Every workstation shows a merged record under the same head: the latest
// clock, the higher change id on a tie, and a signed note's signing over
// any later head.
func TestWinner(t *testing.T) {
	clocks := map[chart.ChangeID]clock.Timestamp{
		"a": {Wall: 10}, "b": {Wall: 30}, "c": {Wall: 30}, "d": {Wall: 20},
	}
	clockOf := func(h chart.ChangeID) clock.Timestamp { return clocks[h] }
	for _, tc := range []struct {
		res  Result
		want chart.ChangeID
	}{
		{Result{Heads: []chart.ChangeID{"a", "d"}}, "d"},
		{Result{Heads: []chart.ChangeID{"b", "c"}}, "c"},
		{Result{Heads: []chart.ChangeID{"c", "b", "a"}}, "c"},
		{Result{Heads: []chart.ChangeID{"a", "b", "d"}, Signed: true, SignedChangeID: "d"}, "d"},
		{Result{Heads: []chart.ChangeID{"a", "b"}, Signed: true, SignedChangeID: "x"}, "b"},
	} {
		if got := Winner(tc.res, clockOf); got != tc.want {
			t.Errorf("Winner(%+v) = %s, want %s", tc.res, got, tc.want)
		}
	}
}

// Two versions that differ only in what every save rewrites say the same
// thing; null and absent are alike; JSON spacing does not matter.
func TestSameContent(t *testing.T) {
	a := map[string]json.RawMessage{"name": json.RawMessage(`"Ada"`), "version": json.RawMessage(`3`),
		"updatedAt": json.RawMessage(`"x"`), "note": json.RawMessage(`null`), "list": json.RawMessage(`[1, 2]`)}
	b := map[string]json.RawMessage{"name": json.RawMessage(`"Ada"`), "version": json.RawMessage(`4`),
		"updatedBy": json.RawMessage(`"u"`), "list": json.RawMessage(`[1,2]`)}
	if !SameContent(a, b) {
		t.Fatal("versions differing in bookkeeping only: not the same")
	}
	b["name"] = json.RawMessage(`"Eve"`)
	if SameContent(a, b) {
		t.Fatal("a changed name: the same")
	}
	if SameJSON(json.RawMessage(`0`), nil) || !SameJSON(nil, json.RawMessage(`null`)) {
		t.Fatal("SameJSON: 0 is not absent; null is")
	}
}
