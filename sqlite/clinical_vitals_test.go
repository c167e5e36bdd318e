package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

func TestVitalsUseThePracticeUnits(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	must(c.admin.SetPracticeUnits(ctxb, chart.USUnits()))(t)
	v := must(c.nurse.RecordVitals(ctxb, p, "", "2026-11-22T15:00", chart.VitalsEntry{
		Weight: reading(154), Height: reading(65), Temperature: reading(98.6)}))(t)
	if w, _ := v.Signs.Value(chart.VitalWeight); w < 69.8 || w > 69.9 {
		t.Fatalf("154 lb stored as %v kg", w)
	}
	if temp, _ := v.Signs.Value(chart.VitalTemperature); temp != 37 {
		t.Fatalf("98.6 °F stored as %v °C", temp)
	}
	if v.Signs.BMI == nil {
		t.Fatal("BMI not computed")
	}

	// A Celsius reading typed into a Fahrenheit practice is impossible.
	before := tableCounts(t, c.w)
	_, err := c.nurse.RecordVitals(ctxb, p, "", "", chart.VitalsEntry{Temperature: reading(37)})
	de := wantErr(t, err, chart.EINVALID, "temperature")
	if !strings.Contains(de.Message, "°F") && !strings.Contains(de.Message, "F") {
		t.Fatalf("message %q does not speak the practice's unit", de.Message)
	}
	if after := tableCounts(t, c.w); after["records"] != before["records"] {
		t.Fatal("impossible vitals were stored")
	}
	_, err = c.nurse.RecordVitals(ctxb, p, "", "", chart.VitalsEntry{})
	wantErr(t, err, chart.EINVALID, "vitals")

	later := must(c.nurse.RecordVitals(ctxb, p, "", "2026-11-23T08:00", chart.VitalsEntry{HeartRate: reading(130)}))(t)
	if len(later.Flags) != 1 || later.Flags[0].Field != chart.VitalHeartRate {
		t.Fatalf("flags = %+v", later.Flags)
	}
	// Back-charted after the fact: the summary still shows the set taken last.
	must(c.nurse.RecordVitals(ctxb, p, "", "2026-11-01T08:00", chart.VitalsEntry{HeartRate: reading(70)}))(t)
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.LatestVitals == nil || sum.LatestVitals.ID != later.ID {
		t.Fatalf("latest vitals = %+v, want %s", sum.LatestVitals, later.ID)
	}
	trend := must(c.doc.Vitals(ctxb, p))(t)
	if len(trend) != 3 || trend[0].TakenAt != "2026-11-01T08:00" || trend[2].ID != later.ID {
		t.Fatalf("trend = %+v", trend)
	}
	if err := c.doc.MarkEnteredInError(ctxb, chart.KindVitals, later.ID, "wrong patient"); err != nil {
		t.Fatal(err)
	}
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.LatestVitals == nil || sum.LatestVitals.TakenAt != "2026-11-22T15:00" {
		t.Fatalf("latest vitals after retraction = %+v", sum.LatestVitals)
	}
}
