package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestPragmasTakeEffectOnEveryConnection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Hold several connections at once so the pool has to open new ones.
	var conns []interface{ Close() error }
	for range 3 {
		c, err := f.w.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		for pragma, want := range map[string]string{
			"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000", "temp_store": "2",
			"wal_autocheckpoint": strconv.Itoa(walAutoPages),
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("PRAGMA %s: %v", pragma, err)
			}
			if strings.ToLower(got) != want {
				t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
			}
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestMigrationsAppliedInOrderOnce(t *testing.T) {
	f := newFixture(t)
	rows, err := f.w.db.Query(`SELECT version FROM schema_migrations ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		got = append(got, v)
	}
	rows.Close()
	names, _ := filepath.Glob("migrations/*.sql")
	if len(got) != len(names) || len(got) < 2 || got[0] != "0001_init" || got[1] != "0002_audit" {
		t.Fatalf("applied migrations %v, want every file of %v in order", got, names)
	}
	// Reopening applies nothing twice and keeps the data.
	register(t, f.admin, samplePatient("Reopen", "Check"))
	f.w.Close()
	w := openStore(t, f.path, f.clock)
	defer w.Close()
	if n := countRows(t, w, "schema_migrations"); n != len(got) {
		t.Fatalf("after reopen %d migrations recorded, want %d", n, len(got))
	}
	if n := countRows(t, w, "records"); n != 1 {
		t.Fatalf("after reopen %d records, want 1", n)
	}
}

func TestStoreFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	f := newFixture(t)
	for path, want := range map[string]os.FileMode{filepath.Dir(f.path): 0o700, f.path: 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %v, want %v", path, got, want)
		}
	}
}

func TestStatusBeforeAndAfterPractice(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock()
	w := openStore(t, filepath.Join(t.TempDir(), "chart.db"), clock)
	defer w.Close()
	st, err := w.Status(ctx)
	if err != nil || st.HasPractice || st.SignedIn != nil {
		t.Fatalf("empty store Status = %+v, %v", st, err)
	}
	_, err = w.SignIn(ctx, "ada", adminPass)
	wantErr(t, err, "not_found", "")

	f := newFixture(t)
	st, err = f.w.Status(ctx)
	if err != nil || !st.HasPractice || st.PracticeName != "Outpost Valley Clinic" || st.DeviceID == "" ||
		st.SignedIn == nil || st.SignedIn.Username != "ada" {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	if err := f.admin.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ = f.w.Status(ctx); st.SignedIn != nil {
		t.Fatalf("after Lock Status.SignedIn = %+v, want nil", st.SignedIn)
	}
	_, _, err = f.w.CreatePractice(ctx, samplePractice())
	wantErr(t, err, "conflict", "")
}

func TestDefaultPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux layout")
	}
	t.Setenv("XDG_DATA_HOME", "/data/home")
	if p, err := DefaultPath(); err != nil || p != "/data/home/outpost/chart.db" {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/nurse")
	if p, err := DefaultPath(); err != nil || p != "/home/nurse/.local/share/outpost/chart.db" {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
}
