package fhirimport

import (
	"outpost/chart"
	"outpost/fhir"
)

// mapPregnancy records a pregnancy status with its last menstrual period
// and estimated delivery date (components) and comment (notes).
func (m *mapper) mapPregnancy(i int, o *fhir.Observation) {
	status := ""
	for s, answer := range chart.PregnancyAnswers {
		if hasCode(o.ValueCodeableConcept, chart.SystemLOINC, answer[0]) {
			status = s
		}
	}
	if status == "" {
		m.skip(i, "a pregnancy status with no answer the chart lists: kept in the original JSON")
		return
	}
	out := chart.PregnancyStatus{Meta: m.meta(i), Date: dateOnly(effective(o)), Status: status,
		Comment: clipText(annotations(o.Note), chart.MaxLongTextLen)}
	if out.Date == "" {
		m.fail(i, "clinical-rule", "the pregnancy status has no date (effective[x])")
		return
	}
	for j := range o.Component {
		c := &o.Component[j]
		switch {
		case hasCode(&c.Code, chart.SystemLOINC, chart.LOINCLMP):
			out.LMP = dateOnly(c.ValueDateTime)
		case hasCode(&c.Code, chart.SystemLOINC, chart.LOINCEDD):
			out.EDD = dateOnly(c.ValueDateTime)
		}
	}
	keep(m, i, "the pregnancy status", out, &m.recs.Pregnancy)
}
