package clock

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	gosync "sync"
	"time"
)

// Timestamp is a hybrid logical clock reading: wall-clock milliseconds plus a
// counter that orders events within the same millisecond (or while the wall
// clock stands still or runs backwards).
type Timestamp struct {
	Wall    int64  // unix milliseconds
	Logical uint32 // tie-breaker within one Wall value
}

const (
	wallDigits    = 15 // enough for unix milliseconds until the year 33658
	logicalDigits = 10 // enough for any uint32
	encodedLen    = wallDigits + 1 + logicalDigits
	MaxWall       = 999_999_999_999_999 // the largest wall time (unix ms) a timestamp encodes
)

// MaxDrift is how far ahead of the local wall clock a received timestamp may
// be. A peer whose clock is further ahead would otherwise drag every later
// local timestamp into its future.
const MaxDrift = 24 * time.Hour

// MinWall is the earliest plausible wall time: Outpost did not exist before
// it, so an earlier stamp comes from a workstation whose clock was reset (a
// flat CMOS battery reads 1970 or 2000) or from a forged change.
var MinWall = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// ErrImplausible is what every refused clock reading wraps: a change
// stamped with one must not be applied (it would win or lose every later
// conflict), and the clock must not move to it.
var ErrImplausible = errors.New("the change's clock reading is implausible")

// ErrClockDrift is returned for a timestamp more than MaxDrift ahead of this
// workstation's clock. It wraps ErrImplausible.
var ErrClockDrift = fmt.Errorf("%w: too far ahead of this workstation's clock", ErrImplausible)

// ErrClockPast is returned for a timestamp before MinWall. It wraps
// ErrImplausible.
var ErrClockPast = fmt.Errorf("%w: earlier than any Outpost workstation could have written", ErrImplausible)

// Plausible reports whether ts could have been issued by a workstation whose
// clock is within MaxDrift of now: not more than MaxDrift ahead of now and
// not before MinWall. The comparison is in milliseconds and cannot
// overflow, whatever the wall.
func Plausible(ts Timestamp, now time.Time) error {
	floor := MinWall.UnixMilli()
	if ts.Wall < floor {
		return fmt.Errorf("%w (%s)", ErrClockPast, describeWall(ts.Wall))
	}
	// ts.Wall >= floor > 0, so subtracting the drift cannot wrap.
	wall := now.UnixMilli()
	if ts.Wall-MaxDrift.Milliseconds() > wall {
		return fmt.Errorf("%w: %s is %s ahead (limit %s)", ErrClockDrift, describeWall(ts.Wall), describeAhead(ts.Wall-wall), MaxDrift)
	}
	return nil
}

// describeWall names a wall time for a person reading a log.
func describeWall(ms int64) string {
	if ms < 0 || ms > MaxWall {
		return fmt.Sprintf("wall %d ms", ms)
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339)
}

// describeAhead prints a positive millisecond gap without going through
// time.Duration, which overflows past 292 years.
func describeAhead(ms int64) string {
	const day = 24 * 60 * 60 * 1000
	if ms < 2*day {
		return (time.Duration(ms) * time.Millisecond).Round(time.Second).String()
	}
	return fmt.Sprintf("%d days", ms/day)
}

// String encodes t with fixed width so that byte order equals time order
// ("000001732350000000-0000000003"). Negative walls encode as zero.
func (t Timestamp) String() string {
	w := min(max(t.Wall, 0), MaxWall)
	return fmt.Sprintf("%0*d-%0*d", wallDigits, w, logicalDigits, t.Logical)
}

// ParseTimestamp decodes a String encoding.
func ParseTimestamp(s string) (Timestamp, error) {
	if len(s) != encodedLen || s[wallDigits] != '-' {
		return Timestamp{}, fmt.Errorf("parse HLC timestamp %q: want %d digits, '-', %d digits", s, wallDigits, logicalDigits)
	}
	wall, err := parseDigits(s[:wallDigits], math.MaxInt64)
	if err != nil {
		return Timestamp{}, fmt.Errorf("parse HLC timestamp %q: wall: %w", s, err)
	}
	logical, err := parseDigits(s[wallDigits+1:], math.MaxUint32)
	if err != nil {
		return Timestamp{}, fmt.Errorf("parse HLC timestamp %q: logical: %w", s, err)
	}
	return Timestamp{Wall: int64(wall), Logical: uint32(logical)}, nil
}

// parseDigits accepts only ASCII digits (no sign, no spaces) up to limit.
func parseDigits(s string, limit uint64) (uint64, error) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not all digits", s)
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, err
	}
	if n > limit {
		return 0, fmt.Errorf("%s is out of range", s)
	}
	return n, nil
}

// Compare returns -1, 0 or +1 as t is before, equal to or after o.
func (t Timestamp) Compare(o Timestamp) int {
	switch {
	case t.Wall < o.Wall:
		return -1
	case t.Wall > o.Wall:
		return 1
	case t.Logical < o.Logical:
		return -1
	case t.Logical > o.Logical:
		return 1
	}
	return 0
}

// IsZero reports whether t is the zero timestamp (no event yet).
func (t Timestamp) IsZero() bool { return t == Timestamp{} }

// Time returns the wall part as a time.Time.
func (t Timestamp) Time() time.Time { return time.UnixMilli(t.Wall) }

// Clock issues hybrid logical timestamps. Every timestamp it returns is
// strictly greater than every one it returned or observed before, whatever
// the wall clock does. It is safe for concurrent use.
type Clock struct {
	mu   gosync.Mutex
	now  func() time.Time
	last Timestamp
}

// New returns a clock reading now (nil means time.Now) that continues
// after last, typically the timestamp persisted before the last shutdown.
func New(now func() time.Time, last Timestamp) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now, last: last}
}

// Last returns the most recent timestamp issued or observed.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Now returns a new timestamp for a local event.
func (c *Clock) Now() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = advance(c.last, c.now().UnixMilli())
	return c.last
}

// Observe merges a timestamp received from another workstation and returns a
// new local timestamp after both. An implausible remote timestamp (see
// Plausible) is refused: the clock is not moved by it, the returned
// timestamp is an ordinary local one, and the error (wrapping
// ErrImplausible) says why.
func (c *Clock) Observe(remote Timestamp) (Timestamp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	wall := now.UnixMilli()
	if err := Plausible(remote, now); err != nil {
		c.last = advance(c.last, wall)
		return c.last, err
	}
	switch top := max(wall, c.last.Wall, remote.Wall); {
	case top == c.last.Wall && top == remote.Wall:
		c.last = tick(top, max(c.last.Logical, remote.Logical))
	case top == c.last.Wall:
		c.last = tick(top, c.last.Logical)
	case top == remote.Wall:
		c.last = tick(top, remote.Logical)
	default:
		c.last = Timestamp{Wall: top}
	}
	return c.last, nil
}

// advance returns the timestamp for a local event after last at wall time.
func advance(last Timestamp, wall int64) Timestamp {
	if wall > last.Wall {
		return Timestamp{Wall: wall}
	}
	return tick(last.Wall, last.Logical)
}

// tick returns the timestamp after (wall, logical), carrying into the wall
// part if the counter would overflow.
func tick(wall int64, logical uint32) Timestamp {
	if logical == math.MaxUint32 {
		return Timestamp{Wall: wall + 1}
	}
	return Timestamp{Wall: wall, Logical: logical + 1}
}
