package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"outpost/cdsi"
	"outpost/chart"
	"outpost/chart/care"
)

// seedCareRecords gives the bench patients a sex and, in turn, an HbA1c,
// a lipid panel, a colonoscopy, a diabetes problem with a blood pressure,
// or nothing: about one record per patient, the shape of a practice whose
// charts came from paper.
func seedCareRecords(s *Session) func(t *tx, p *chart.Patient, i int, after bool) error {
	ctx := context.Background()
	return func(t *tx, p *chart.Patient, i int, after bool) error {
		if !after {
			p.Sex = []chart.Sex{chart.SexFemale, chart.SexMale}[i%2]
			return nil
		}
		meta := chart.Meta{PatientID: p.ID}
		day := fmt.Sprintf("20%02d-%02d-15", 15+i%11, 1+i%12)
		switch i % 5 {
		case 0:
			return resultSpec.saveIn(ctx, s, t, &chart.Result{Meta: meta, Test: chart.Coded{System: chart.SystemLOINC, Code: "4548-4", Display: "HbA1c"},
				Value: "6.4", Unit: "%", CollectedAt: day})
		case 1:
			return resultSpec.saveIn(ctx, s, t, &chart.Result{Meta: meta, Test: chart.Coded{System: chart.SystemLOINC, Code: "57698-3", Display: "Lipid panel"},
				Value: "see report", CollectedAt: day})
		case 2:
			return procedureSpec.saveIn(ctx, s, t, &chart.Procedure{Meta: meta, Code: chart.Coded{Display: "Colonoscopy"}, Status: "completed", Performed: day})
		case 3:
			return problemSpec.saveIn(ctx, s, t, &chart.Problem{Meta: meta, Status: chart.ProblemActive,
				Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes mellitus without complications"}})
		}
		return nil
	}
}

// BenchmarkRecallList50k computes the practice-wide recall list (every
// patient's due items, overdue or due this month) on a 50,000-patient
// chart: reading and decrypting the records the rules look at, evaluating
// every rule for every patient, and auditing each patient listed; and the
// evaluation alone on charts already read.
//
// The screen and the export run what the app runs (the screenings and the
// CDSi immunization forecast, on every core); evaluate-only compares the
// screenings alone, both engines on one core, and both on every core.
//
//	go test -run '^$' -bench RecallList50k -benchtime 3x ./sqlite
func BenchmarkRecallList50k(b *testing.B) { benchRecallList(b, benchPatients) }

// BenchmarkRecallList5k is the same on 5,000 patients, for profiling.
func BenchmarkRecallList5k(b *testing.B) { benchRecallList(b, 5_000) }

func benchRecallList(b *testing.B, patients int) {
	f := benchFixture(b)
	seedPatientsWith(b, f.admin, patients, seedCareRecords(f.admin))
	f.addUser(b, f.admin, "cleo", chart.RoleClinician, clinicianPass)
	doc := f.signIn(b, "cleo", clinicianPass)
	ctx := context.Background()
	asOf := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	// pick is what the recall list screen does: evaluate every chart,
	// sort the patients due, show (and audit) the first limit (0: all, as
	// an export).
	pick := func(limit int) func([]chart.CareChart) []chart.CareChart {
		return func(all []chart.CareChart) []chart.CareChart {
			var rows []care.RecallRow
			byID := map[chart.PatientID]chart.CareChart{}
			due := care.DueAll(all, asOf, withForecast...)
			for i, cc := range all {
				if row, ok := care.RecallRowFor(cc, due[i], care.RecallFilter{}, asOf); ok {
					rows, byID[cc.Patient.ID] = append(rows, row), cc
				}
			}
			care.SortRecalls(rows)
			if limit > 0 {
				rows = rows[:min(limit, len(rows))]
			}
			out := make([]chart.CareChart, len(rows))
			for i, r := range rows {
				out[i] = byID[r.PatientID]
			}
			return out
		}
	}
	for _, run := range []struct {
		name  string
		limit int
	}{{"screen-first-200", care.DefaultRecallLimit}, {"export-all", 0}} {
		b.Run(run.name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				cpu0 := processCPU()
				got, err := doc.PracticeCare(ctx, "listed on the recall list", pick(run.limit))
				if err != nil || len(got) == 0 {
					b.Fatalf("%d listed: %v", len(got), err)
				}
				cpu += processCPU() - cpu0
				b.ReportMetric(float64(len(got)), "listed")
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
	all, err := loadPracticeCare(ctx, f.w.db, doc.key)
	if err != nil || len(all) != patients {
		b.Fatalf("%d charts: %v", len(all), err)
	}
	for _, run := range []struct {
		name string
		due  func() [][]chart.DueItem
	}{
		{"evaluate-only/screenings", func() [][]chart.DueItem { return dueSerial(all, asOf, care.Screenings) }},
		{"evaluate-only/with-forecast-1-core", func() [][]chart.DueItem { return dueSerial(all, asOf, withForecast...) }},
		{"evaluate-only/with-forecast-all-cores", func() [][]chart.DueItem { return care.DueAll(all, asOf, withForecast...) }},
	} {
		b.Run(run.name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				cpu0, n := processCPU(), 0
				for _, items := range run.due() {
					n += len(items)
				}
				cpu += processCPU() - cpu0
				b.ReportMetric(float64(n), "items")
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// withForecast are the app's engines (app.careEngines).
var withForecast = []care.Engine{care.Screenings, care.WithDecisions(cdsi.DueItems)}

// dueSerial is the recall list's evaluation on one core, as it was.
func dueSerial(all []chart.CareChart, asOf time.Time, engines ...care.Engine) [][]chart.DueItem {
	out := make([][]chart.DueItem, len(all))
	for i, cc := range all {
		if care.Listed(cc.Patient) {
			out[i] = care.DueWith(cc, asOf, engines...)
		}
	}
	return out
}
