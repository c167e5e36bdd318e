package apply

import (
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// What the screen refuses, before any key is used, each with its reason.
func TestScreenWire(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	good := func() wire.Change {
		return wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewPatientID()), Kind: "patient",
			Version: 1, HLC: clock.Timestamp{Wall: now.UnixMilli()}.String(), DeviceID: chart.NewDeviceID(),
			UserID: chart.NewUserID(), Sealed: []byte{1}, Auth: []byte{1}}
	}
	known := func(kind string) bool { return kind == "patient" }
	c := good()
	if h := ScreenWire(&c, now, known); h != nil {
		t.Fatalf("a good change: held as %v", h)
	}
	for _, tc := range []struct {
		name   string
		spoil  func(*wire.Change)
		reason string
	}{
		{"no record id", func(c *wire.Change) { c.RecordID = "" }, ReasonMalformed},
		{"a clock two days ahead", func(c *wire.Change) {
			c.HLC = clock.Timestamp{Wall: now.Add(48 * time.Hour).UnixMilli()}.String()
		}, ReasonClock},
		{"a kind from a newer Outpost", func(c *wire.Change) { c.Kind = "telepathy" }, ReasonUnknownKind},
	} {
		c := good()
		tc.spoil(&c)
		if h := ScreenWire(&c, now, known); h == nil || h.Reason != tc.reason {
			t.Errorf("%s: held as %v, want %s", tc.name, h, tc.reason)
		}
	}
}
