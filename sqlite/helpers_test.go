package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"outpost/chart"
)

const (
	testWorkFactor = 10
	adminPass      = "correct horse battery staple"
)

// testClock is a settable wall clock shared by a store and its test.
type testClock struct {
	mu gosync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // time passes between calls, as it does
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	w     *Workstation
	admin *Session
	dir   string
	path  string
	clock *testClock
	// recovery is the practice recovery identity.
	recovery string
}

func openStore(t testing.TB, path string, clock *testClock) *Workstation {
	t.Helper()
	w, err := OpenWorkstation(context.Background(), path, Options{WorkFactor: testWorkFactor, Now: clock.Now})
	if err != nil {
		t.Fatalf("OpenWorkstation: %v", err)
	}
	return w
}

// newFixture creates a practice with administrator "ada" in a temp dir.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: newTestClock()}
	f.path = filepath.Join(f.dir, "outpost", "chart.db")
	f.w = openStore(t, f.path, f.clock)
	t.Cleanup(func() { f.w.Close() })
	s, rec, err := f.w.CreatePractice(context.Background(), chart.NewPractice{
		PracticeName: "Outpost Valley Clinic",
		Admin:        chart.NewUser{FullName: "Ada Administrator", Username: "ada", Passphrase: adminPass},
	})
	if err != nil {
		t.Fatalf("CreatePractice: %v", err)
	}
	f.admin, f.recovery = s.(*Session), rec
	return f
}

func (f *fixture) signIn(t testing.TB, username, pass string) *Session {
	t.Helper()
	s, err := f.w.SignIn(context.Background(), username, pass)
	if err != nil {
		t.Fatalf("SignIn(%s): %v", username, err)
	}
	return s.(*Session)
}

func (f *fixture) addUser(t testing.TB, s *Session, username string, role chart.Role, pass string) chart.User {
	t.Helper()
	u, err := s.AddUser(context.Background(), chart.NewUser{FullName: "Staff " + username, Username: username, Role: role, Passphrase: pass})
	if err != nil {
		t.Fatalf("AddUser(%s): %v", username, err)
	}
	return u
}

func samplePatient(given, family string) chart.Patient {
	return chart.Patient{GivenName: given, FamilyName: family, BirthDate: "1961-04-12", Sex: chart.SexFemale,
		Phone: "+1 555 0100 000", Address: chart.Address{Line1: "1 Main Street", City: "Elko", Country: "US"}}
}

func register(t testing.TB, s *Session, p chart.Patient) chart.Patient {
	t.Helper()
	got, err := s.RegisterPatient(context.Background(), p)
	if err != nil {
		t.Fatalf("RegisterPatient(%s %s): %v", p.GivenName, p.FamilyName, err)
	}
	return got
}

func countRows(t testing.TB, w *Workstation, table string) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// wantErr fails unless err is a *chart.Error with code (and field, if given).
func wantErr(t testing.TB, err error, code, field string) *chart.Error {
	t.Helper()
	var de *chart.Error
	if !errors.As(err, &de) {
		t.Fatalf("error = %v, want a *chart.Error with code %s", err, code)
	}
	if de.Code != code || (field != "" && de.Field != field) {
		t.Fatalf("error = %+v, want code %s field %q", de, code, field)
	}
	if de.Message == "" {
		t.Fatalf("error %+v has no message", de)
	}
	return de
}

func samplePractice() chart.NewPractice {
	return chart.NewPractice{PracticeName: "Second Clinic",
		Admin: chart.NewUser{FullName: "Bo Boss", Username: "bo", Passphrase: adminPass}}
}
