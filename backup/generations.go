package backup

import (
	"fmt"
	"os"
	"time"
)

// Policy is how many generations to keep, as restic's forget --keep-daily,
// --keep-weekly and --keep-monthly: the newest backup of each of the last
// Daily days that have one, of the last Weekly ISO weeks and of the last
// Monthly months. The newest backup is always kept.
type Policy struct {
	Daily, Weekly, Monthly int
}

// DefaultPolicy keeps a week of days, a month of weeks and a year of months.
var DefaultPolicy = Policy{Daily: 7, Weekly: 4, Monthly: 12}

// Keep splits files (one source's backups, newest first, as List returns
// them) into those the policy keeps and those it drops. Days, weeks and
// months are counted in loc (the practice's calendar).
func (p Policy) Keep(files []File, loc *time.Location) (keep, drop []File) {
	kept := make([]bool, len(files))
	if len(files) > 0 {
		kept[0] = true
	}
	buckets := []struct {
		n   int
		key func(time.Time) string
	}{
		{p.Daily, func(t time.Time) string { return t.Format("2006-01-02") }},
		{p.Weekly, func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%d-W%02d", y, w) }},
		{p.Monthly, func(t time.Time) string { return t.Format("2006-01") }},
	}
	for _, b := range buckets {
		seen := map[string]bool{}
		for i, f := range files {
			if len(seen) >= b.n {
				break
			}
			k := b.key(f.Manifest.CreatedAt.In(loc))
			if !seen[k] {
				seen[k] = true
				kept[i] = true
			}
		}
	}
	for i, f := range files {
		if kept[i] {
			keep = append(keep, f)
		} else {
			drop = append(drop, f)
		}
	}
	return keep, drop
}

// Prune deletes s's backups in dir that p does not keep and returns how
// many it deleted. Files whose manifest cannot be read are never touched.
func Prune(dir string, s Source, p Policy, loc *time.Location) (int, error) {
	files, err := List(dir)
	if err != nil {
		return 0, err
	}
	_, drop := p.Keep(Of(files, s), loc)
	for _, f := range drop {
		if err := os.Remove(f.Path); err != nil && !os.IsNotExist(err) {
			return 0, WriteProblem(dir, "remove an old backup", err)
		}
	}
	if len(drop) > 0 {
		if err := SyncDir(dir); err != nil {
			return len(drop), WriteProblem(dir, "flush the backup folder", err)
		}
	}
	return len(drop), nil
}
