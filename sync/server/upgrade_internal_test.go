package server

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// A single-practice store made before practices (migration 0011) keeps,
// after the upgrade, its practice, devices, changes and seqs, and the next
// push continues the seqs.
func TestUpgradeToPracticesKeepsChangesAndSeqs(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(file))
	if err != nil {
		t.Fatal(err)
	}
	old := &Store{db: db, d: sqliteDialect}
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	sort.Strings(names)
	for _, name := range names {
		if filepath.Base(name) < "0011" {
			if err := old.applyMigration(ctx, name); err != nil {
				t.Fatal(err)
			}
		}
	}
	const practice, device = "01a20000-0000-7000-8000-0000000000p1", "01a20000-0000-7000-8000-0000000000d1"
	if _, err := db.Exec(`INSERT INTO meta (key, value) VALUES ('practice_id', ?), ('server_id', 'srv')`, practice); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO devices (id, name, public_key, enrolled_at) VALUES (?, 'A', x'01', '2026-01-01T00:00:00.000000000Z')`, device)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		_, err := db.Exec(`INSERT INTO changes (change_id, record_id, kind, patient_id, version, parents, hlc, device_id,
			user_id, sealed, received_at) VALUES (?, 'r', 'note', '', 1, '[]', '0', ?, 'u', x'00', 'now')`,
			string(chart.NewChangeID())+string(rune('a'+i)), device)
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(ctx, file)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	if p, id, _ := s.Identity(ctx); p != practice || id != "srv" {
		t.Fatalf("identity after upgrade: %q %q", p, id)
	}
	if d, err := s.Device(ctx, device); err != nil || d.PracticeID != practice {
		t.Fatalf("device after upgrade: %+v, %v", d, err)
	}
	resp, err := s.Pull(ctx, wire.PullRequest{Limit: 10}, MaxPullBytes)
	if err != nil || len(resp.Changes) != 3 || resp.Head != 3 {
		t.Fatalf("pull after upgrade: %d changes, head %d, %v", len(resp.Changes), resp.Head, err)
	}
	c := wire.Change{ChangeID: chart.NewChangeID(), RecordID: "r2", Kind: "note", Version: 1, HLC: "1",
		DeviceID: chart.DeviceID(device), UserID: "u", Sealed: []byte{1}}
	acks, err := s.Push(ctx, device, []wire.Change{c}, time.Now(), 0)
	if err != nil || acks[0].Seq != 4 {
		t.Fatalf("push after upgrade: %v, %v; want seq 4", acks, err)
	}
}
