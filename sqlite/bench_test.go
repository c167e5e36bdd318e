package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"outpost/chart"
	"outpost/seal"
)

// Run with: go test -run '^$' -bench . -benchtime 1x ./sqlite (or more).
// The store lives under os.TempDir on the real disk, with the production
// pragmas (WAL, synchronous=FULL): the figures include the fsyncs.

func benchFixture(b *testing.B) *fixture {
	b.Helper()
	f := &fixture{clock: newTestClock()}
	dir, err := os.MkdirTemp(os.TempDir(), "outpost-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	f.dir, f.path = dir, filepath.Join(dir, "chart.db")
	w, err := OpenWorkstation(context.Background(), f.path, Options{WorkFactor: testWorkFactor, Now: time.Now})
	if err != nil {
		b.Fatal(err)
	}
	f.w = w
	b.Cleanup(func() { w.Close() })
	s, _, err := w.CreatePractice(context.Background(), chart.NewPractice{PracticeName: "Bench Clinic",
		Admin: chart.NewUser{FullName: "Ada Administrator", Username: "ada", Passphrase: adminPass}})
	if err != nil {
		b.Fatal(err)
	}
	f.admin = s.(*Session)
	return f
}

var (
	givenNames  = []string{"Mary", "John", "Aroha", "Wiremu", "Li", "Fatima", "Kwame", "Ingrid", "José", "Siobhan", "Tane", "Olga"}
	familyNames = []string{"Smith", "Ngata", "Okafor", "Lindqvist", "García", "O'Brien", "Tūhoe", "Nguyen", "Kowalski", "Reid"}
)

func randomPatient(r *rand.Rand, i int) chart.Patient {
	return chart.Patient{
		GivenName:  givenNames[r.IntN(len(givenNames))],
		FamilyName: fmt.Sprintf("%s%d", familyNames[r.IntN(len(familyNames))], i%997),
		BirthDate:  time.Date(1930+r.IntN(95), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		Sex:        chart.SexUnknown,
		Phone:      fmt.Sprintf("+64 27 %03d %04d", r.IntN(1000), i%10000),
		Address:    chart.Address{Line1: fmt.Sprintf("%d Station Road", 1+r.IntN(300)), City: "Ruatoria", Country: "NZ"},
	}
}

// seedPatients registers n patients in one transaction, bypassing the
// per-call audit so that seeding 50,000 takes seconds, not minutes.
func seedPatients(b testing.TB, s *Session, n int) {
	seedPatientsWith(b, s, n, nil)
}

// seedPatientsWith is seedPatients that lets each set the patient's
// fields before it is stored and add records after (in the same
// transaction).
func seedPatientsWith(b testing.TB, s *Session, n int, each func(t *tx, p *chart.Patient, i int, after bool) error) {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	err := s.w.write(ctx, func(t *tx) error {
		for i := range n {
			p := randomPatient(r, i)
			if each != nil {
				if err := each(t, &p, i, false); err != nil {
					return err
				}
			}
			if err := p.Validate(t.now); err != nil {
				return err
			}
			p.ID, p.Version, p.CreatedAt, p.UpdatedAt, p.UpdatedBy = chart.NewPatientID(), 1, t.now, t.now, s.user.ID
			tag, err := s.claimMRN(ctx, t, &p)
			if err != nil {
				return err
			}
			if err := s.savePatient(ctx, t, &p, nil, tag); err != nil {
				return err
			}
			if each != nil {
				if err := each(t, &p, i, true); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func BenchmarkRegisterPatient(b *testing.B) {
	f := benchFixture(b)
	r := rand.New(rand.NewPCG(3, 4))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := f.admin.RegisterPatient(ctx, randomPatient(r, i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

const benchPatients = 50_000

// BenchmarkSignInIndex measures the two halves of a sign-in on a 50,000
// patient chart: unwrapping the key at the production scrypt work factor,
// and building the search index (wall time, and the CPU time of the whole
// process meanwhile) as a sign-in does: from the sealed index snapshot the
// previous sign-in left (index_snapshot.go), opening only what changed
// since (here 1% of the patients, edited after it was written).
// BenchmarkSignInIndexCold opens every record instead (no snapshot: the
// first sign-in, or one after the snapshot was found damaged).
func BenchmarkSignInIndex(b *testing.B) {
	f := benchFixture(b)
	seedPatients(b, f.admin, benchPatients)
	ctx := context.Background()
	built, err := f.w.buildIndex(ctx, f.admin.key)
	if err != nil {
		b.Fatal(err)
	}
	sealed, err := sealIndexSnapshot(f.admin.key, built.entries)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.w.writeIndexSnapshot(ctx, sealed); err != nil {
		b.Fatal(err)
	}
	editPatients(b, f.admin, built.entries, benchPatients/100)
	benchSignInIndex(b, f, benchPatients/100)
}

func BenchmarkSignInIndexCold(b *testing.B) {
	f := benchFixture(b)
	seedPatients(b, f.admin, benchPatients)
	benchSignInIndex(b, f, benchPatients)
}

// editPatients saves a new version of the first n patients of entries.
func editPatients(b testing.TB, s *Session, entries []snapEntry, n int) {
	b.Helper()
	ctx := context.Background()
	for _, e := range entries[:n] {
		p, err := s.OpenPatient(ctx, e.patient.ID)
		if err != nil {
			b.Fatal(err)
		}
		p.Phone = "+64 21 555 0101"
		if _, err := s.UpdatePatient(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSignInIndex measures the index a sign-in builds, which must open
// wantOpened records.
func benchSignInIndex(b *testing.B, f *fixture, wantOpened int) {
	ctx := context.Background()
	wrapped, err := seal.WrapWithPassphrase(f.admin.key.Root(), adminPass, seal.DefaultWorkFactor)
	if err != nil {
		b.Fatal(err)
	}
	var unwrap, index, indexCPU time.Duration
	for b.Loop() {
		t0 := time.Now()
		key, err := seal.UnwrapWithPassphrase(wrapped, adminPass, seal.DefaultWorkFactor)
		if err != nil {
			b.Fatal(err)
		}
		t1, cpu1 := time.Now(), processCPU()
		built, err := f.w.buildIndex(ctx, seal.NewKeyring(key))
		if err != nil || len(built.entries) != benchPatients || built.opened != wantOpened {
			b.Fatalf("loaded %d patients, opening %d: %v", len(built.entries), built.opened, err)
		}
		ix := chart.NewPatientIndex(patientsOf(built.entries))
		t2, cpu2 := time.Now(), processCPU()
		if ix.Len() != benchPatients {
			b.Fatalf("index holds %d", ix.Len())
		}
		unwrap += t1.Sub(t0)
		index += t2.Sub(t1)
		indexCPU += cpu2 - cpu1
	}
	n := float64(b.N)
	b.ReportMetric(float64(unwrap.Milliseconds())/n, "unwrap-ms/op")
	b.ReportMetric(float64(index.Milliseconds())/n, "index-ms/op")
	// The CPU time of the index, all cores together: what make bench-check
	// compares, since on a loaded machine the wall time of parallel work
	// swings far more than its CPU time.
	b.ReportMetric(float64(indexCPU.Milliseconds())/n, "index-cpu-ms/op")
}

// BenchmarkSearch50k measures a search on a 50,000 patient chart, through
// the session (which audits the search: one durable write) and on the index
// alone.
func BenchmarkSearch50k(b *testing.B) {
	f := benchFixture(b)
	seedPatients(b, f.admin, benchPatients)
	s, err := f.w.SignIn(context.Background(), "ada", adminPass)
	if err != nil {
		b.Fatal(err)
	}
	sess := s.(*Session)
	queries := []string{"smith", "mary ngata", "1961-04", "027 123", "kowalski42", "o'brien 1950"}
	b.Run("SearchPatients", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := sess.SearchPatients(context.Background(), queries[i%len(queries)], 50); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("index-only", func(b *testing.B) {
		i := 0
		for b.Loop() {
			sess.index.Search(queries[i%len(queries)], 50)
			i++
		}
	})
}
