package cdsi

import "testing"

// forecastFor forecasts one vaccine group for a patient born on dob with
// the given observations and doses.
func forecastFor(t *testing.T, dob, assess, group string, p Patient, doses ...Dose) GroupForecast {
	t.Helper()
	p.DOB, _ = ParseDate(dob)
	on, _ := ParseDate(assess)
	g, err := ForecastGroup(p, doses, on, group)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// An interval "from a relevant observation" counts from the observation's
// date (logic specification, interval from fromRelevantObs): Hib for a
// stem-cell transplant recipient is due 6 to 12 months after the transplant.
func TestIntervalFromObservationDate(t *testing.T) {
	transplant, _ := ParseDate("2016-01-10")
	g := forecastFor(t, "1996-05-13", "2016-01-10", "Hib", Patient{Gender: "M", Observations: []string{"004", "171"},
		ObservationDates: map[string]Date{"171": transplant}})
	if g.Earliest != "2016-07-10" || g.Recommended != "2016-07-10" || g.PastDue != "2017-01-09" {
		t.Errorf("Hib after a transplant on 2016-01-10: earliest %s, recommended %s, past due %s; want 2016-07-10, 2016-07-10, 2017-01-09",
			g.Earliest, g.Recommended, g.PastDue)
	}
}

// A risk series whose indication begins at a later age is relevant when no
// other series applies, and forecast from its minimum age: dengue for an
// 8-year-old with evidence of a past infection is due at 9.
func TestIndicationBeginningLater(t *testing.T) {
	g := forecastFor(t, "2013-07-10", "2022-02-18", "Dengue", Patient{Gender: "M", Observations: []string{"211"}})
	if g.Status != NotComplete || g.Earliest != "2022-07-10" || g.Recommended != "2022-07-10" {
		t.Errorf("dengue at 8 with a past infection: %s, earliest %s, recommended %s; want Not Complete from 2022-07-10",
			g.Status, g.Earliest, g.Recommended)
	}
}

// A risk series drives the forecast before a standard group of higher data
// priority: a 65-year-old with cochlear implants and no pneumococcal dose is
// due from 19 years (the risk series), not from 50 (the 50+ series).
func TestRiskSeriesBeforeGroupPriority(t *testing.T) {
	g := forecastFor(t, "1957-01-06", "2022-02-01", "Pneumococcal", Patient{Gender: "M", Observations: []string{"011"}})
	if g.Earliest != "1976-01-06" {
		t.Errorf("pneumococcal with cochlear implants at 65: earliest %s, want 1976-01-06 (series %v)", g.Earliest, g.Series)
	}
}

// A complete risk series stands for a standard series whose first dose is
// not yet due: a 9-month-old traveller's HepA dose completes the infant
// travel series; nothing is due until the 2-dose series may begin.
func TestCompleteRiskSeriesBeforeStandardNotYetDue(t *testing.T) {
	when, _ := ParseDate("2024-11-01")
	g := forecastFor(t, "2024-01-21", "2024-11-01", "HepA", Patient{Gender: "M", Observations: []string{"048"}},
		Dose{ID: "1", Date: when, CVX: "83"})
	if g.Status != Complete || g.Earliest != "" {
		t.Errorf("HepA travel dose at 9 months: %s, earliest %q; want Complete with no date", g.Status, g.Earliest)
	}
}

// Among complete series the one with the most valid doses is best: four
// HepB doses at 20 complete the 4-dose series, the fourth is valid, not
// extraneous to the 3-dose series.
func TestCompleteSeriesWithMostValidDoses(t *testing.T) {
	var doses []Dose
	for i, d := range []string{"2025-05-10", "2025-06-07", "2025-09-07", "2025-11-07"} {
		when, _ := ParseDate(d)
		doses = append(doses, Dose{ID: string(rune('1' + i)), Date: when, CVX: "43"})
	}
	g := forecastFor(t, "2005-05-10", "2025-11-10", "HepB", Patient{Gender: "F"}, doses...)
	if len(g.Doses) != 4 || g.Doses[3].Status != Valid || g.Status != Complete {
		t.Errorf("four HepB doses at 20: %s, doses %+v; want Complete with dose 4 valid", g.Status, g.Doses)
	}
}

// A Forecast-context skip is judged on the date the next dose could be
// given: Hib dose 2 at 12 months - 4 days; dose 3 (not needed from 12
// months) could only come after 12 months, so the final dose is forecast
// 8 weeks on, past due by 16 months + 4 weeks.
func TestForecastSkipOnTheEarliestDate(t *testing.T) {
	var doses []Dose
	for i, d := range []string{"2025-01-14", "2025-11-10"} {
		when, _ := ParseDate(d)
		doses = append(doses, Dose{ID: string(rune('1' + i)), Date: when, CVX: "48"})
	}
	g := forecastFor(t, "2024-11-14", "2025-11-10", "Hib", Patient{Gender: "F"}, doses...)
	if g.Earliest != "2026-01-05" || g.Recommended != "2026-01-05" || g.PastDue != "2026-04-10" {
		t.Errorf("Hib dose 2 at 12 months - 4 days: earliest %s, recommended %s, past due %s; want 2026-01-05, 2026-01-05, 2026-04-10",
			g.Earliest, g.Recommended, g.PastDue)
	}
}
