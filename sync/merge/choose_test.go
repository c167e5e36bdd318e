package merge

import (
	"encoding/json"
	"testing"

	"outpost/chart"
)

// Each way of resolving a conflict puts its value in the field, and each
// bad resolution is refused naming the field of the form to correct.
func TestChoose(t *testing.T) {
	c := Conflict{Field: "reaction", Winner: ConflictValue{Value: json.RawMessage(`"hives"`)},
		Others: []ConflictValue{{Value: json.RawMessage(`"rash"`)}}}
	for _, tc := range []struct {
		name      string
		r         chart.Resolution
		want      string
		wantField string
	}{
		{"keep shown", chart.Resolution{Choice: chart.ResolveKeepShown}, `"hives"`, ""},
		{"take other", chart.Resolution{Choice: chart.ResolveTakeOther, OtherIndex: 0}, `"rash"`, ""},
		{"other out of range", chart.Resolution{Choice: chart.ResolveTakeOther, OtherIndex: 1}, "", "otherIndex"},
		{"merged", chart.Resolution{Choice: chart.ResolveMerged, Value: json.RawMessage(` "hives, rash" `)}, `"hives, rash"`, ""},
		{"merged unreadable", chart.Resolution{Choice: chart.ResolveMerged, Value: json.RawMessage(`"hives`)}, "", "value"},
		{"merged of another type", chart.Resolution{Choice: chart.ResolveMerged, Value: json.RawMessage(`3`)}, "", "value"},
		{"merged empty", chart.Resolution{Choice: chart.ResolveMerged, Value: json.RawMessage(`"  "`)}, "", "confirmEmpty"},
		{"merged empty, confirmed", chart.Resolution{Choice: chart.ResolveMerged, Value: json.RawMessage(`""`), ConfirmEmpty: true}, `""`, ""},
		{"addendum without a signed note", chart.Resolution{Choice: chart.ResolveAddendum}, "", "choice"},
	} {
		got, err := Choose(tc.r, c)
		if tc.wantField != "" {
			if chart.ErrorField(err) != tc.wantField {
				t.Errorf("%s: %v, want a refusal of field %s", tc.name, err, tc.wantField)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.name, got, err, tc.want)
		}
	}
	if chart.ErrorField(CheckChoice("guess")) != "choice" || CheckChoice(chart.ResolveMerged) != nil {
		t.Error("CheckChoice: an unknown choice must be refused, a known one taken")
	}
}
