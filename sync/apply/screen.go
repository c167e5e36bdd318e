package apply

import (
	"time"

	"outpost/sync/clock"
	"outpost/sync/wire"
)

// ScreenWire checks what can be checked of a pulled change without the
// data key: its fields, its clock (against now) and its kind (known says
// whether this build does something with a kind).
func ScreenWire(c *wire.Change, now time.Time, known func(kind string) bool) *Held {
	if err := c.Validate(); err != nil {
		return Hold(ReasonMalformed, "it is malformed (%v)", err)
	}
	ts, _ := clock.ParseTimestamp(c.HLC) // Validate parsed it
	if err := clock.Plausible(ts, now); err != nil {
		return Hold(ReasonClock, "its clock reading is implausible (%v)", err)
	}
	if !known(c.Kind) {
		return Hold(ReasonUnknownKind, "this version of Outpost does not know its kind %q; "+
			"update Outpost on this workstation, then retry it", c.Kind)
	}
	return nil
}
