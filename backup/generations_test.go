package backup

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// backupsEvery returns one source's backups taken every step going back
// from newest, newest first, as List returns them.
func backupsEvery(newest time.Time, step time.Duration, n int) []File {
	var out []File
	for i := range n {
		out = append(out, File{Path: string(rune('a' + i%26)), Manifest: Manifest{CreatedAt: newest.Add(-time.Duration(i) * step)}})
	}
	return out
}

func days(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Manifest.CreatedAt.Format("2006-01-02 15"))
	}
	return out
}

func TestPolicyKeepsDailyWeeklyMonthly(t *testing.T) {
	newest := time.Date(2026, 11, 23, 21, 0, 0, 0, time.UTC) // a Monday
	// Two backups a day (09:00 and 21:00) for 400 days.
	files := backupsEvery(newest, 12*time.Hour, 800)
	keep, drop := DefaultPolicy.Keep(files, time.UTC)
	if len(keep)+len(drop) != len(files) {
		t.Fatalf("kept %d + dropped %d != %d", len(keep), len(drop), len(files))
	}
	got := days(keep)
	// 7 days (the evening backup of each), then Sundays' of the weeks
	// before (weekly), then month ends (monthly), all newest first.
	for _, want := range []string{"2026-11-23 21", "2026-11-22 21", "2026-11-17 21", // daily: seven days
		"2026-11-15 21", "2026-11-08 21", // weekly: the newest of each earlier week
		"2026-10-31 21", "2026-09-30 21", "2025-12-31 21"} { // monthly
		if !slices.Contains(got, want) {
			t.Errorf("kept %v, missing %s", got, want)
		}
	}
	if slices.Contains(got, "2026-11-23 09") {
		t.Error("kept the older of two backups on the same day")
	}
	// 7 days + up to 4 weeks + up to 12 months, overlapping.
	if len(keep) > 7+4+12 || len(keep) < 12 {
		t.Errorf("kept %d backups: %v", len(keep), got)
	}
}

func TestPolicyAlwaysKeepsNewest(t *testing.T) {
	files := backupsEvery(time.Now(), time.Hour, 3)
	keep, _ := Policy{}.Keep(files, time.UTC)
	if len(keep) != 1 || keep[0].Path != files[0].Path {
		t.Fatalf("a zero policy kept %v, want only the newest", days(keep))
	}
}

// TestPruneDeletesOnlyOwnDroppedFiles prunes a folder shared by two
// workstations, with a damaged file in it.
func TestPruneDeletesOnlyOwnDroppedFiles(t *testing.T) {
	dir := t.TempDir()
	mine := Source{PracticeID: "p", PracticeName: "P", WorkstationID: "aaaa-1", WorkstationName: "A"}
	other := Source{PracticeID: "p", PracticeName: "P", WorkstationID: "bbbb-2", WorkstationName: "B"}
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	write := func(s Source, at time.Time) string {
		p := filepath.Join(dir, s.FileName(at))
		os.WriteFile(p, []byte("sqlite image"), 0o600)
		if _, err := Seal(p, Manifest{PracticeID: s.PracticeID, WorkstationID: s.WorkstationID, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for i := range 5 {
		write(mine, start.Add(time.Duration(i)*time.Hour)) // five on one day
		write(other, start.Add(time.Duration(i)*time.Hour))
	}
	broken := filepath.Join(dir, "broken"+Ext)
	os.WriteFile(broken, []byte("garbage"), 0o600)
	n, err := Prune(dir, mine, Policy{Daily: 7}, time.UTC)
	if err != nil || n != 4 {
		t.Fatalf("Prune = %d, %v; want 4 (same-day backups but the newest)", n, err)
	}
	files, _ := List(dir)
	if got := len(Of(files, mine)); got != 1 {
		t.Errorf("%d of mine left, want 1", got)
	}
	if got := len(Of(files, other)); got != 5 {
		t.Errorf("%d of the other workstation's left, want 5", got)
	}
	if _, err := os.Stat(broken); err != nil {
		t.Error("a file whose manifest cannot be read was deleted")
	}
}
