package apply

import (
	"errors"
	"fmt"
	"testing"

	"outpost/chart"
)

// A record's own fault holds its changes back with the reason an
// administrator reads; a store's fault (a disk or SQL error) is not held,
// so it stops the apply instead of quarantining good changes.
func TestAsHeld(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		reason string // "" when not held
	}{
		{"held, wrapped", fmt.Errorf("merge note n1: %w", Hold(ReasonContent, "a reversed name")), ReasonContent},
		{"does not open", fmt.Errorf("open: %w", chart.Errorf(chart.EINTEGRITY, "bad tag")), ReasonUnopened},
		{"merge failed", fmt.Errorf("merge patient p1: %w", MergeFailed(errors.New("cycle"))), ReasonMerge},
		{"disk", errors.New("disk I/O error"), ""},
		{"another chart error", chart.Errorf(chart.ECONFLICT, "stale"), ""},
	} {
		h, held := AsHeld(tc.err)
		switch {
		case tc.reason == "" && held:
			t.Errorf("%s: held (%v), want the error to stop the apply", tc.name, h)
		case tc.reason != "" && (!held || h.Reason != tc.reason):
			t.Errorf("%s: %v, %v; want held as %s", tc.name, h, held, tc.reason)
		}
	}
	if h, _ := AsHeld(MergeFailed(errors.New("cycle"))); h.Detail != "its record could not be merged with it (cycle)" {
		t.Errorf("merge detail %q", h.Detail)
	}
}
