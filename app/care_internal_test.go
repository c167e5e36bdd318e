package app

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"outpost/cdsi"
	"outpost/chart"
	"outpost/chart/care"
)

// rowsWith is the recall list of charts with the given engines.
func rowsWith(charts []chart.CareChart, f care.RecallFilter, asOf time.Time, engines []care.Engine) []care.RecallRow {
	var rows []care.RecallRow
	for _, cc := range charts {
		if row, ok := care.RecallRowFor(cc, care.DueWith(cc, asOf, engines...), f, asOf); ok {
			rows = append(rows, row)
		}
	}
	care.SortRecalls(rows)
	return rows
}

// TestRuleFilterSkipsOnlyEnginesItDrops: a recall list of one rule, run
// without the engine that cannot give that rule, lists what the list run
// with every engine lists.
func TestRuleFilterSkipsOnlyEnginesItDrops(t *testing.T) {
	rules, err := care.Rules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules.Rules {
		if strings.HasPrefix(r.ID, cdsi.RuleID("")) {
			t.Fatalf("screening rule %q looks like a vaccine's", r.ID)
		}
	}
	asOf := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	var charts []chart.CareChart
	for i := range 120 {
		id := chart.PatientID(fmt.Sprintf("p%03d", i))
		c := chart.CareChart{Patient: chart.Patient{ID: id, GivenName: "G", FamilyName: fmt.Sprint(i),
			BirthDate: asOf.AddDate(-(i*7)%90, -(i % 12), -i%27).Format(time.DateOnly), Sex: []chart.Sex{chart.SexFemale, chart.SexMale}[i%2]}}
		if i%3 == 0 {
			c.Immunizations = []chart.Immunization{{Meta: chart.Meta{ID: chart.RecordID(id + "-i"), PatientID: id},
				Vaccine: chart.Coded{System: chart.SystemCVX, Code: []string{"187", "03", "141", "115"}[i%4]}, Date: asOf.AddDate(0, -3, 0).Format(time.DateOnly)}}
		}
		charts = append(charts, c)
	}
	filters := []string{"", "uspstf-colorectal", "uspstf-breast", "bright-futures-well-child", "uspstf-hiv"}
	for _, g := range []string{"Zoster", "MMR", "Influenza", "Tdap", "Pneumococcal", "HepB"} {
		filters = append(filters, cdsi.RuleID(g))
	}
	listed := 0
	for _, rule := range filters {
		f := care.RecallFilter{RuleID: rule}
		want := rowsWith(charts, f, asOf, careEngines)
		if got := rowsWith(charts, f, asOf, enginesFor(f)); !reflect.DeepEqual(got, want) {
			t.Errorf("rule %q: %d rows without the other engine, %d with every engine", rule, len(got), len(want))
		}
		listed += len(want)
	}
	if listed == 0 {
		t.Fatal("nobody is listed: the test compares nothing")
	}
}
