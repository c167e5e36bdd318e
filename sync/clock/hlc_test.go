package clock

import (
	"errors"
	"math"
	"sort"
	"testing"
	"time"
)

// fakeWall is a settable wall clock.
type fakeWall struct{ t time.Time }

func (f *fakeWall) now() time.Time { return f.t }

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func ts(wall int64, logical uint32) Timestamp { return Timestamp{Wall: wall, Logical: logical} }

func TestTimestampStringRoundTripAndSortsLexically(t *testing.T) {
	in := []Timestamp{ts(0, 0), ts(0, 1), ts(9, 0), ts(10, 0), ts(10, 9), ts(10, 10),
		ts(t0.UnixMilli(), 0), ts(t0.UnixMilli(), math.MaxUint32), ts(MaxWall, math.MaxUint32)}
	enc := make([]string, len(in))
	for i, x := range in {
		enc[i] = x.String()
		if len(enc[i]) != encodedLen {
			t.Fatalf("%v encodes to %q: length %d, want %d", x, enc[i], len(enc[i]), encodedLen)
		}
		back, err := ParseTimestamp(enc[i])
		if err != nil || back != x {
			t.Fatalf("ParseTimestamp(%q) = %v, %v; want %v", enc[i], back, err, x)
		}
	}
	if !sort.StringsAreSorted(enc) {
		t.Fatalf("encodings are not in time order: %q", enc)
	}
	for i := 1; i < len(in); i++ {
		if in[i-1].Compare(in[i]) != -1 || in[i].Compare(in[i-1]) != 1 || in[i].Compare(in[i]) != 0 {
			t.Fatalf("Compare disagrees with order at %v / %v", in[i-1], in[i])
		}
	}
}

func TestParseTimestampRejectsMalformed(t *testing.T) {
	for _, s := range []string{
		"",
		"000001732350000000-0000000003x",
		"00000173235000000-00000000003", // separator misplaced
		"000001732350000000+0000000003", // wrong separator
		"00000173235000a000-0000000003", // letter in wall
		"000001732350000000-+000000003", // sign in logical
		"000001732350000000-9999999999", // logical over uint32
		"-00001732350000000-0000000003", // negative wall
		" 00001732350000000-0000000003", // space
	} {
		if _, err := ParseTimestamp(s); err == nil {
			t.Errorf("ParseTimestamp(%q) accepted a malformed timestamp", s)
		}
	}
}

func TestClockNow(t *testing.T) {
	ms := t0.UnixMilli()
	tests := []struct {
		name  string
		last  Timestamp
		walls []time.Duration // offsets from t0 for successive Now calls
		want  []Timestamp
	}{
		{"wall advances", Timestamp{}, []time.Duration{0, time.Millisecond, 5 * time.Millisecond},
			[]Timestamp{ts(ms, 0), ts(ms+1, 0), ts(ms+5, 0)}},
		{"same millisecond counts up", Timestamp{}, []time.Duration{0, 0, 0},
			[]Timestamp{ts(ms, 0), ts(ms, 1), ts(ms, 2)}},
		{"wall goes backwards", Timestamp{}, []time.Duration{time.Second, 0, -time.Hour, 2 * time.Second},
			[]Timestamp{ts(ms+1000, 0), ts(ms+1000, 1), ts(ms+1000, 2), ts(ms+2000, 0)}},
		{"resumes after persisted state ahead of wall", ts(ms+60_000, 7), []time.Duration{0},
			[]Timestamp{ts(ms+60_000, 8)}},
		{"counter overflow carries into wall", ts(ms, math.MaxUint32), []time.Duration{0},
			[]Timestamp{ts(ms+1, 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &fakeWall{}
			c := New(w.now, tc.last)
			prev := tc.last
			for i, off := range tc.walls {
				w.t = t0.Add(off)
				got := c.Now()
				if got != tc.want[i] {
					t.Fatalf("Now #%d = %v, want %v", i, got, tc.want[i])
				}
				if got.Compare(prev) <= 0 {
					t.Fatalf("Now #%d = %v is not after %v", i, got, prev)
				}
				prev = got
			}
			if c.Last() != prev {
				t.Fatalf("Last = %v, want %v", c.Last(), prev)
			}
		})
	}
}

func TestClockObserve(t *testing.T) {
	ms := t0.UnixMilli()
	tests := []struct {
		name    string
		last    Timestamp
		remote  Timestamp
		want    Timestamp
		wantErr bool
	}{
		{"remote behind: local wall wins", ts(ms-10, 3), ts(ms-20, 9), ts(ms, 0), false},
		{"remote ahead: adopt remote wall", ts(ms, 3), ts(ms+500, 4), ts(ms+500, 5), false},
		{"last ahead: bump last counter", ts(ms+900, 2), ts(ms+500, 40), ts(ms+900, 3), false},
		{"tie: max counter plus one", ts(ms+900, 2), ts(ms+900, 40), ts(ms+900, 41), false},
		{"tie at wall", ts(ms, 2), ts(ms, 1), ts(ms, 3), false},
		{"just inside drift limit", Timestamp{}, ts(ms+MaxDrift.Milliseconds(), 0), ts(ms+MaxDrift.Milliseconds(), 1), false},
		{"beyond drift limit refused", ts(ms, 5), ts(ms+MaxDrift.Milliseconds()+1, 0), ts(ms, 6), true},
		{"far future refused", Timestamp{}, ts(MaxWall, 0), ts(ms, 0), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &fakeWall{t: t0}
			c := New(w.now, tc.last)
			got, err := c.Observe(tc.remote)
			if tc.wantErr != (err != nil) {
				t.Fatalf("Observe error = %v, want error %v", err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, ErrClockDrift) {
				t.Fatalf("Observe error %v is not ErrClockDrift", err)
			}
			if got != tc.want {
				t.Fatalf("Observe = %v, want %v", got, tc.want)
			}
			if next := c.Now(); next.Compare(got) <= 0 {
				t.Fatalf("Now after Observe = %v, not after %v", next, got)
			}
			if !tc.wantErr && got.Compare(tc.remote) <= 0 {
				t.Fatalf("Observe = %v is not after the remote %v", got, tc.remote)
			}
		})
	}
}

func TestClockConcurrentNowIsUnique(t *testing.T) {
	c := New(func() time.Time { return t0 }, Timestamp{})
	const workers, each = 4, 500
	out := make(chan Timestamp, workers*each)
	done := make(chan struct{})
	for range workers {
		go func() {
			for range each {
				out <- c.Now()
			}
			done <- struct{}{}
		}()
	}
	for range workers {
		<-done
	}
	close(out)
	seen := map[Timestamp]bool{}
	for x := range out {
		if seen[x] {
			t.Fatalf("timestamp %v issued twice", x)
		}
		seen[x] = true
	}
}

// Issue #16.1: a wall time that parses (15 digits) but lies centuries ahead
// overflowed the drift check, which wrapped negative and let the clock jump
// to the year 2603. Far-future and far-past stamps never move the clock.
func TestClockObserveRefusesImplausibleWalls(t *testing.T) {
	ms := t0.UnixMilli()
	year2603 := time.Date(2603, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for _, tc := range []struct {
		name   string
		remote Timestamp
	}{
		{"15-digit wall in the year 2603", ts(year2603, 0)},
		{"largest encodable wall", ts(MaxWall, 0)},
		{"parsed 15-digit wall", mustParse(t, "020000000000000-0000000000")},
		{"largest int64 wall", ts(math.MaxInt64, 0)},
		{"a day and a millisecond ahead", ts(ms+MaxDrift.Milliseconds()+1, 0)},
		{"before 2020", ts(time.Date(2019, 12, 31, 23, 59, 59, 0, time.UTC).UnixMilli(), 0)},
		{"zero wall", ts(0, 7)},
		{"negative wall", ts(-1, 0)},
		{"smallest int64 wall", ts(math.MinInt64, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			last := ts(ms-5, 2)
			c := New((&fakeWall{t: t0}).now, last)
			got, err := c.Observe(tc.remote)
			if got.Wall != ms || got != c.Last() {
				t.Fatalf("Observe(%v) moved the clock to %v (year %d); want the local wall %d",
					tc.remote, got, got.Time().Year(), ms)
			}
			if !errors.Is(err, ErrImplausible) {
				t.Fatalf("Observe(%v) error = %v, want ErrImplausible", tc.remote, err)
			}
			if err := Plausible(tc.remote, t0); !errors.Is(err, ErrImplausible) {
				t.Fatalf("Plausible(%v) = %v, want ErrImplausible", tc.remote, err)
			}
		})
	}
}

func TestPlausibleAcceptsTheBoundaries(t *testing.T) {
	ms := t0.UnixMilli()
	for _, w := range []int64{ms, ms - 1, ms + MaxDrift.Milliseconds(), MinWall.UnixMilli(), ms - 5*365*24*3600*1000} {
		if err := Plausible(ts(w, 0), t0); err != nil {
			t.Errorf("Plausible(%d) = %v, want nil", w, err)
		}
	}
	// A stamp from a peer whose clock ran a day ahead is plausible; one a day
	// and a millisecond ahead is not, and neither is one from before 2020.
	if err := Plausible(ts(ms+MaxDrift.Milliseconds()+1, 0), t0); !errors.Is(err, ErrClockDrift) {
		t.Errorf("a day and a millisecond ahead: %v, want ErrClockDrift", err)
	}
	if err := Plausible(ts(MinWall.UnixMilli()-1, 0), t0); err == nil {
		t.Error("a millisecond before MinWall accepted")
	}
}

func mustParse(t *testing.T, s string) Timestamp {
	t.Helper()
	x, err := ParseTimestamp(s)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
