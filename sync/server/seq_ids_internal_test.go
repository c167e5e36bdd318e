package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The ids a pull reply names cost the server one lookup on the primary
// key (practice, seq), never a scan of the practice's changes.
func TestChangeIDsAtSearchesThePrimaryKey(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, device := range []string{"", "some-device"} {
		query, args := changeIDsQuery(device, []int64{0, 7, 9})
		rows, err := s.query(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		found := false
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN changes") {
				t.Fatalf("device %q: plan %q scans the changes", device, plan)
			}
			found = found || strings.HasPrefix(step, "SEARCH changes USING") && strings.Contains(step, "(practice=? AND seq=?)")
		}
		if !found {
			t.Fatalf("device %q: plan %q does not search changes by (practice, seq)", device, plan)
		}
	}
}
