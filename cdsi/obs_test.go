package cdsi

import "testing"

// An interval "from a relevant observation" counts from the observation's
// date (logic specification, interval from fromRelevantObs): Hib for a
// stem-cell transplant recipient is due 6 to 12 months after the transplant.
func TestIntervalFromObservationDate(t *testing.T) {
	dob, _ := ParseDate("1996-05-13")
	transplant, _ := ParseDate("2016-01-10")
	p := Patient{DOB: dob, Gender: "M", Observations: []string{"004", "171"},
		ObservationDates: map[string]Date{"171": transplant}}
	g, err := ForecastGroup(p, nil, transplant, "Hib")
	if err != nil {
		t.Fatal(err)
	}
	if g.Earliest != "2016-07-10" || g.Recommended != "2016-07-10" || g.PastDue != "2017-01-09" {
		t.Errorf("Hib after a transplant on 2016-01-10: earliest %s, recommended %s, past due %s; want 2016-07-10, 2016-07-10, 2017-01-09",
			g.Earliest, g.Recommended, g.PastDue)
	}
}

// A risk series whose indication begins at a later age is relevant when no
// other series applies, and forecast from its minimum age: dengue for an
// 8-year-old with evidence of a past infection is due at 9.
func TestIndicationBeginningLater(t *testing.T) {
	dob, _ := ParseDate("2013-07-10")
	assess, _ := ParseDate("2022-02-18")
	p := Patient{DOB: dob, Gender: "M", Observations: []string{"211"}}
	g, err := ForecastGroup(p, nil, assess, "Dengue")
	if err != nil {
		t.Fatal(err)
	}
	if g.Status != NotComplete || g.Earliest != "2022-07-10" || g.Recommended != "2022-07-10" {
		t.Errorf("dengue at 8 with a past infection: %s, earliest %s, recommended %s; want Not Complete from 2022-07-10",
			g.Status, g.Earliest, g.Recommended)
	}
}

// A risk series drives the forecast before a standard group of higher data
// priority: a 65-year-old with cochlear implants and no pneumococcal dose is
// due from 19 years (the risk series), not from 50 (the 50+ series).
func TestRiskSeriesBeforeGroupPriority(t *testing.T) {
	dob, _ := ParseDate("1957-01-06")
	assess, _ := ParseDate("2022-02-01")
	p := Patient{DOB: dob, Gender: "M", Observations: []string{"011"}}
	g, err := ForecastGroup(p, nil, assess, "Pneumococcal")
	if err != nil {
		t.Fatal(err)
	}
	if g.Earliest != "1976-01-06" {
		t.Errorf("pneumococcal with cochlear implants at 65: earliest %s, want 1976-01-06 (series %v)", g.Earliest, g.Series)
	}
}
