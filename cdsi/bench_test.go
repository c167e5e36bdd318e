package cdsi

import (
	"testing"
	"time"

	"outpost/chart"
)

// BenchmarkForecastChart: one patient's whole forecast (every vaccine group)
// from a typical childhood record of 20 doses — the unit of a practice-wide
// "Due" list.
func BenchmarkForecastChart(b *testing.B) {
	p := chart.Patient{BirthDate: "2020-01-15", Sex: chart.SexFemale}
	var imms []chart.Immunization
	add := func(cvx, date string) {
		imms = append(imms, chart.Immunization{Meta: chart.Meta{ID: chart.RecordID(cvx + date)}, Vaccine: chart.Coded{Code: cvx}, Date: date})
	}
	for _, d := range []string{"2020-03-15", "2020-05-15", "2020-07-15"} {
		add("110", d) // DTaP-HepB-IPV
		add("49", d)  // Hib
		add("133", d) // PCV13
		add("119", d) // rotavirus
	}
	add("03", "2021-01-20")
	add("21", "2021-01-20")
	add("83", "2021-01-20")
	add("20", "2021-04-20")
	add("83", "2021-07-20")
	add("94", "2024-02-01")
	on := time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)
	if _, err := ForecastChart(p, imms, on); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ForecastChart(p, imms, on); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForecastAdultNoDoses: the forecast of an adult with no
// immunization charted, the commonest chart of a practice-wide recall
// list (and one due for several vaccines).
func BenchmarkForecastAdultNoDoses(b *testing.B) {
	p := chart.Patient{BirthDate: "1961-06-15", Sex: chart.SexMale}
	on := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	if items := DueItems(chart.CareChart{Patient: p}, on); len(items) == 0 {
		b.Fatal("an unvaccinated adult is due for nothing")
	}
	b.ReportAllocs()
	for b.Loop() {
		DueItems(chart.CareChart{Patient: p}, on)
	}
}
