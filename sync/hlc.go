package sync

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
	maxWall       = 999_999_999_999_999
)

// MaxDrift is how far ahead of the local wall clock a received timestamp may
// be. A peer whose clock is further ahead would otherwise drag every later
// local timestamp into its future.
const MaxDrift = 24 * time.Hour

// ErrClockDrift is returned by Observe for a timestamp too far in the future.
var ErrClockDrift = errors.New("received timestamp is too far ahead of this workstation's clock")

// String encodes t with fixed width so that byte order equals time order
// ("000001732350000000-0000000003"). Negative walls encode as zero.
func (t Timestamp) String() string {
	w := min(max(t.Wall, 0), maxWall)
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

// NewClock returns a clock reading now (nil means time.Now) that continues
// after last, typically the timestamp persisted before the last shutdown.
func NewClock(now func() time.Time, last Timestamp) *Clock {
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
// new local timestamp after both. A remote timestamp more than MaxDrift ahead
// of the local wall clock is refused: the clock is not moved by it, the
// returned timestamp is an ordinary local one, and the error says why.
func (c *Clock) Observe(remote Timestamp) (Timestamp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.now().UnixMilli()
	if ahead := time.Duration(remote.Wall-wall) * time.Millisecond; ahead > MaxDrift {
		c.last = advance(c.last, wall)
		return c.last, fmt.Errorf("%w: %s ahead (limit %s)", ErrClockDrift, ahead.Round(time.Second), MaxDrift)
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
