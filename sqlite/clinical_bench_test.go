package sqlite

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

// Run with: go test -run '^$' -bench ChartSummary15y ./sqlite

// seedRecord stores rec as a new record inside t: the fast path for seeding
// (no validation, no per-record audit).
func seedRecord[T any, P recordPtr[T]](b *testing.B, ctx context.Context, s *Session, t *tx, kind string, rec P, f rowFlags) {
	if _, _, err := prepareWrite[T, P](ctx, s, t, kind, rec); err != nil {
		b.Fatal(err)
	}
	if err := s.storeRecord(ctx, t, kind, rec.RecordMeta(), rec, nil, f); err != nil {
		b.Fatal(err)
	}
}

// seed15Years gives one patient 15 years of history: 300 encounters each
// with a signed note, 2,000 observations (1,000 vitals sets and 1,000
// results, 20 awaiting review), 50 medications, and the usual lists.
func seed15Years(b *testing.B, s *Session, p chart.PatientID) {
	ctx := context.Background()
	start := time.Date(2011, 11, 1, 9, 0, 0, 0, time.UTC)
	text := strings.Repeat("Patient seen for review; history, examination and plan as discussed. ", 12)
	err := s.w.write(ctx, func(t *tx) error {
		for i := range 300 {
			at := start.Add(time.Duration(i) * 18 * 24 * time.Hour).Format(chart.LocalDateTimeLayout)
			e := chart.Encounter{Meta: chart.Meta{PatientID: p}, Type: chart.EncounterOffice, Start: at, Reason: "Review"}
			seedRecord(b, ctx, s, t, chart.KindEncounter, &e, rowFlags{})
			n := chart.Note{Meta: chart.Meta{PatientID: p}, EncounterID: e.ID, Kind: chart.NoteClinical, Title: "Follow-up",
				AuthorID: s.user.ID, AuthorName: s.user.FullName, Sections: []chart.NoteSection{
					{Key: "subjective", Label: "Subjective", Text: text}, {Key: "plan", Label: "Plan", Text: text}}}
			n.Signature = &chart.Signature{SignerID: s.user.ID, SignedAt: t.now}
			seedSigned(b, ctx, s, t, &n)
		}
		for i := range 1000 {
			at := start.Add(time.Duration(i) * 5 * 24 * time.Hour).Format(chart.LocalDateTimeLayout)
			hr, sys := float64(60+i%30), float64(110+i%40)
			v := chart.VitalsRecord{Meta: chart.Meta{PatientID: p}, TakenAt: at, Signs: chart.VitalSigns{HeartRate: &hr, Systolic: &sys}}
			seedRecord(b, ctx, s, t, chart.KindVitals, &v, rowFlags{})
			r := chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Creatinine"}, Value: fmt.Sprint(60 + i%50),
				Unit: "umol/L", CollectedAt: at[:10]}
			pending := i >= 980
			if !pending {
				now := t.now
				r.ReviewedAt = &now
			}
			seedRecord(b, ctx, s, t, chart.KindResult, &r, rowFlags{toReview: pending})
		}
		for i := range 50 {
			m := chart.Medication{Meta: chart.Meta{PatientID: p}, Drug: chart.Coded{Display: fmt.Sprintf("Drug %d 10 MG Oral Tablet", i)},
				Status: chart.MedStopped, StopReason: "changed"}
			if i%5 == 0 {
				m.Status = chart.MedActive
			}
			seedRecord(b, ctx, s, t, chart.KindMedication, &m, rowFlags{})
		}
		for i := range 10 {
			pr := chart.Problem{Meta: chart.Meta{PatientID: p}, Condition: chart.Coded{Display: fmt.Sprintf("Problem %d", i)}}
			seedRecord(b, ctx, s, t, chart.KindProblem, &pr, rowFlags{})
			im := chart.Immunization{Meta: chart.Meta{PatientID: p}, Vaccine: chart.Coded{Display: "Influenza"}, Date: fmt.Sprintf("%d-04-01", 2012+i)}
			seedRecord(b, ctx, s, t, chart.KindImmunization, &im, rowFlags{})
		}
		a := sampleAllergy(p, "Penicillin")
		seedRecord(b, ctx, s, t, chart.KindAllergy, &a, rowFlags{})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// seedSigned stores a signed note with a valid content hash.
func seedSigned(b *testing.B, ctx context.Context, s *Session, t *tx, n *chart.Note) {
	if _, _, err := prepareWrite(ctx, s, t, chart.KindNote, n); err != nil {
		b.Fatal(err)
	}
	n.Signature.ContentHash = noteContentHash(n)
	if err := s.storeRecord(ctx, t, chart.KindNote, &n.Meta, n, nil, rowFlags{locked: true}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkChartSummary15y measures a chart opened again: the summary
// snapshot as the previous opens left it (rewritten in the background,
// waited for outside the timer, once snapRewriteAt entries differ: every
// third open here, so an open finds 6, 12 or 18 records new), 1% of the timeline (6 of its 600+ encounters and
// notes) new since: three visits, each with a note, charted by the real
// save path (the seeded encounters have signed notes: no longer editable). Nothing survives between iterations
// but what the database holds, as for a real second open.
func BenchmarkChartSummary15y(b *testing.B) { benchChartSummary15y(b, false) }

// BenchmarkChartSummary15yCold opens the chart with no snapshot (the first
// open on this workstation): every encounter and note header is opened.
func BenchmarkChartSummary15yCold(b *testing.B) { benchChartSummary15y(b, true) }

func benchChartSummary15y(b *testing.B, cold bool) {
	f := benchFixture(b)
	ctx := context.Background()
	f.addUser(b, f.admin, "cleo", chart.RoleClinician, clinicianPass)
	doc := f.signIn(b, "cleo", clinicianPass)
	p := register(b, doc, samplePatient("Fifteen", "Years"))
	seed15Years(b, doc, p.ID)
	if _, err := doc.ChartSummary(ctx, p.ID); err != nil { // writes the snapshot
		b.Fatal(err)
	}
	// The seed leaves ~22 MB of garbage; a collection now sweeps it outside
	// the timer, where the first opens of a run paid for sweeping it as
	// they allocated (their CPU 14% over the later opens' in 6 runs, 2%
	// with this; docs/benchmarks.md). A reopen in use follows no seed.
	f.w.background.Wait()
	runtime.GC()
	items := 600
	// On a shared box the mean follows the load; the fastest open and the
	// CPU an open costs (its background rewrite included) follow the code.
	var walls []time.Duration
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f.w.background.Wait()
		if cold {
			if _, err := f.w.db.Exec(`DELETE FROM summary_snapshot`); err != nil {
				b.Fatal(err)
			}
		} else {
			chartVisits(b, doc, p.ID, i, 3)
			items += 6
		}
		b.StartTimer()
		var sum chart.ChartSummary
		var err error
		start, cpu0 := time.Now(), processCPU()
		// Labelled (inherited by the goroutines it starts) so a profile can
		// leave the set-up out: go tool pprof -tagfocus op=open.
		pprof.Do(ctx, pprof.Labels("op", "open"), func(ctx context.Context) { sum, err = doc.ChartSummary(ctx, p.ID) })
		walls = append(walls, time.Since(start))
		b.StopTimer() // the background rewrite is not the open's time, but it is its CPU
		f.w.background.Wait()
		cpu += processCPU() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		if len(sum.Timeline) != items || sum.LatestVitals == nil || len(sum.ResultsToReview) != 20 || len(sum.Medications) != 10 {
			b.Fatalf("summary: %d timeline items, %d results to review, %d medications",
				len(sum.Timeline), len(sum.ResultsToReview), len(sum.Medications))
		}
	}
	b.ReportMetric(float64(slices.Min(walls).Microseconds())/1000, "min-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// chartVisits charts n past visits, each with a draft note, through the
// real save path (round tells the visits of one call from another's).
func chartVisits(b *testing.B, s *Session, p chart.PatientID, round, n int) {
	ctx := context.Background()
	for j := range n {
		e := chart.Encounter{Meta: chart.Meta{PatientID: p}, Type: chart.EncounterOffice, Reason: "Follow-up",
			Start: time.Date(2010, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, round*n+j).Format(chart.LocalDateTimeLayout)}
		e, err := s.SaveEncounter(ctx, e)
		if err != nil {
			b.Fatal(err)
		}
		n := chart.Note{Meta: chart.Meta{PatientID: p}, EncounterID: e.ID, Kind: chart.NoteClinical, Title: "Follow-up",
			Sections: []chart.NoteSection{{Key: "plan", Label: "Plan", Text: "Continue."}}}
		if _, err := s.SaveNoteDraft(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
}
