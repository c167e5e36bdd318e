package app

import (
	"testing"
	"time"
)

func TestOverdueCountsFromLastSyncElseEnrolment(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	cases := []struct {
		name           string
		last, enrolled time.Time
		configured     bool
		wantDays       int
		wantOverdue    bool
	}{
		{"never connected", time.Time{}, time.Time{}, false, -1, false},
		{"synced an hour ago", now.Add(-time.Hour), now.Add(-30 * day), true, 0, false},
		{"synced 2 days ago", now.Add(-2*day - time.Hour), now.Add(-30 * day), true, 2, false},
		{"synced 3 days ago", now.Add(-3*day - time.Hour), now.Add(-30 * day), true, 3, true},
		{"enrolled today, never synced", time.Time{}, now.Add(-time.Hour), true, -1, false},
		{"enrolled 5 days ago, never synced", time.Time{}, now.Add(-5 * day), true, -1, true},
	}
	for _, c := range cases {
		res := SyncStatus{DaysSinceSync: -1, WarnDays: 3}
		setOverdue(&res, c.last, c.enrolled, c.configured, now)
		if res.DaysSinceSync != c.wantDays || res.Overdue != c.wantOverdue {
			t.Errorf("%s: days %d overdue %v, want %d %v", c.name, res.DaysSinceSync, res.Overdue, c.wantDays, c.wantOverdue)
		}
	}
}

func TestLocalDay(t *testing.T) {
	loc := time.FixedZone("clinic", -7*3600)
	now := time.Date(2026, 11, 23, 22, 30, 0, 0, loc) // already the 24th in UTC
	if d, err := localDay("", now); err != nil || d.Format(time.DateOnly) != "2026-11-23" || d.Hour() != 0 || d.Location() != loc {
		t.Fatalf("today: %v %v", d, err)
	}
	if d, err := localDay("2026-02-28", now); err != nil || !d.Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, loc)) {
		t.Fatalf("a day: %v %v", d, err)
	}
	for _, bad := range []string{"2026-02-30", "yesterday", "2026-1-1"} {
		if _, err := localDay(bad, now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
