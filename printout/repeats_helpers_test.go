package printout

import (
	"testing"

	"outpost/chart"
)

func TestPressureFlagsThatDisagreeSayWhich(t *testing.T) {
	levels := map[chart.VitalField]string{chart.VitalSystolic: chart.FlagHigh, chart.VitalDiastolic: chart.FlagLow}
	if got, want := pressureFlag(levels), "systolic high, diastolic low"; got != want {
		t.Errorf("pressureFlag = %q, want %q", got, want)
	}
	if got := pressureFlag(map[chart.VitalField]string{chart.VitalDiastolic: chart.FlagHigh}); got != "high" {
		t.Errorf("diastolic alone: %q, want high", got)
	}
}

func TestStartsWithWord(t *testing.T) {
	for _, tc := range []struct {
		text, word string
		want       bool
	}{
		{"Addendum to Diabetes follow-up", "Addendum", true}, {"addendum: x", "Addendum", true},
		{"Addendum", "Addendum", true}, {"Addenda", "Addendum", false}, {"Addendumx", "Addendum", false},
		{"Plan", "", false}, {"Pl", "Plan", false}, {"Addendum – late", "Addendum", true},
	} {
		if got := startsWithWord(tc.text, tc.word); got != tc.want {
			t.Errorf("startsWithWord(%q, %q) = %v", tc.text, tc.word, got)
		}
	}
}
