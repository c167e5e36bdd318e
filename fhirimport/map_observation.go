package fhirimport

import (
	"strconv"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// mapObservation sends an Observation where the chart keeps it: vital
// signs into a vitals set, laboratory results (and anything a report
// groups) into results, smoking status into social history. Everything
// else (surveys, scores, other social history) stays only in the
// original JSON.
func (m *mapper) mapObservation(i int, res fhir.Resource) {
	var o fhir.Observation
	if !m.decode(i, &o) {
		return
	}
	if o.Status == "entered-in-error" || o.Status == "cancelled" {
		m.skip(i, "the source marks this observation "+o.Status)
		return
	}
	cats := categoryCodes(o.Category)
	_, inReport := m.reportOf[m.ids(keyOf(res))]
	switch {
	case hasCode(&o.Code, chart.SystemLOINC, chart.LOINCSmokingStatus):
		m.mapSmoking(i, &o)
	case hasCode(&o.Code, chart.SystemLOINC, chart.LOINCPregnancyStatus):
		m.mapPregnancy(i, &o)
	case len(o.HasMember) > 0 && observationHasNoValue(&o) && (cats["vital-signs"] || cats["vital-sign"]):
		m.vitalsPanel(i, &o)
	case cats["vital-signs"] || cats["vital-sign"] || isVitalCode(&o.Code):
		m.addVital(i, &o)
	case cats["laboratory"] || inReport:
		m.mapResult(i, res, &o)
	default:
		m.skip(i, reasonOtherObs)
	}
}

// interpretationFlags maps Observation.interpretation (v3
// ObservationInterpretation) to the chart's result flag.
var interpretationFlags = map[string]string{
	"N": chart.ResultNormal, "H": chart.ResultHigh, "HU": chart.ResultHigh, "L": chart.ResultLow, "LU": chart.ResultLow,
	"HH": chart.ResultCritical, "LL": chart.ResultCritical, "AA": chart.ResultCritical, "A": chart.ResultAbnormal,
	"POS": chart.ResultAbnormal, "DET": chart.ResultAbnormal, "NEG": chart.ResultNormal, "ND": chart.ResultNormal,
}

func (m *mapper) mapResult(i int, res fhir.Resource, o *fhir.Observation) {
	value, unit := observationValue(o)
	if value == "" {
		m.skip(i, "a result with no value (a panel, or data absent): kept in the original JSON")
		return
	}
	out := chart.Result{Meta: m.meta(i), Test: coded(&o.Code, chart.SystemLOINC), Value: clip(value, chart.MaxShortTextLen),
		Unit: clip(unit, 40), CollectedAt: dateOrTime(effective(o)), ResultedAt: dateOrTime(o.Issued),
		EncounterID: m.encounterLink(i, o.Encounter), AttachmentIDs: []chart.RecordID{}}
	if out.ResultedAt == "" { // a day without a time, as Outpost's export writes it
		out.ResultedAt = dateOnly(extensionDateTime(o.Extension, extOutpostResultedDate))
	}
	if len(o.ReferenceRange) > 0 {
		rr := o.ReferenceRange[0]
		out.RefLow, out.RefHigh = rangeBound(rr.Low), rangeBound(rr.High)
		out.RefText = clip(rr.Text, chart.MaxShortTextLen)
	}
	for j := range o.Interpretation {
		if f := interpretationFlags[firstCode(&o.Interpretation[j])]; f != "" {
			out.Flag = f
			break
		}
	}
	if len(o.Performer) > 0 {
		out.Performer = clip(m.nameOf(i, &o.Performer[0]), chart.MaxShortTextLen)
	}
	if rep, ok := m.reportOf[out.ID]; ok {
		out.ReportID, out.ReportName = rep.id, rep.name
		if out.Performer == "" {
			out.Performer = rep.performer
		}
	}
	keep(m, i, "the result", out, &m.recs.Results)
}

// observationValue writes value[x] as the chart's result text and unit.
func observationValue(o *fhir.Observation) (string, string) {
	switch {
	case o.ValueQuantity != nil && o.ValueQuantity.Value != "":
		q := o.ValueQuantity
		return q.Comparator + string(q.Value), quantityUnit(q)
	case o.ValueCodeableConcept != nil:
		return conceptText(o.ValueCodeableConcept), ""
	case o.ValueString != nil:
		return strings.TrimSpace(*o.ValueString), ""
	case o.ValueBoolean != nil:
		return strconv.FormatBool(*o.ValueBoolean), ""
	case o.ValueInteger != nil:
		return strconv.Itoa(*o.ValueInteger), ""
	case o.ValueRange != nil && o.ValueRange.Low != nil && o.ValueRange.High != nil:
		return string(o.ValueRange.Low.Value) + "–" + string(o.ValueRange.High.Value), quantityUnit(o.ValueRange.Low)
	case o.ValueRatio != nil && o.ValueRatio.Numerator != nil && o.ValueRatio.Denominator != nil:
		return string(o.ValueRatio.Numerator.Value) + ":" + string(o.ValueRatio.Denominator.Value), ""
	case o.ValueDateTime != "":
		return o.ValueDateTime, ""
	}
	return "", ""
}

// rangeBound is a reference range bound as the chart keeps it (a number).
func rangeBound(q *fhir.Quantity) string {
	if q == nil || q.Value == "" || len(q.Value) > 20 {
		return ""
	}
	if _, err := strconv.ParseFloat(string(q.Value), 64); err != nil {
		return ""
	}
	return string(q.Value)
}

// mapSmoking records a smoking status (LOINC 72166-2) as a social history
// entry. An answer outside the chart's list is kept as a comment, so what
// the source said is still read.
func (m *mapper) mapSmoking(i int, o *fhir.Observation) {
	out := chart.SocialHistory{Meta: m.meta(i), Date: dateOnly(effective(o))}
	if out.Date == "" {
		m.fail(i, "clinical-rule", "the smoking status has no date (effective[x])")
		return
	}
	answer := o.ValueCodeableConcept
	known := false
	for _, s := range chart.SmokingStatuses {
		if hasCode(answer, chart.SystemSNOMED, s.Code) {
			out.Smoking, known = s, true
			break
		}
	}
	if !known {
		text := conceptText(answer)
		if text == "" {
			m.skip(i, "a smoking status with no answer: kept in the original JSON")
			return
		}
		out.Comment = "Smoking status at the source: " + text
	}
	out.Comment = clipText(strings.TrimSpace(out.Comment+"\n"+annotations(o.Note)), chart.MaxLongTextLen)
	keep(m, i, "the smoking status", out, &m.recs.SocialHistory)
}

func observationHasNoValue(o *fhir.Observation) bool {
	v, _ := observationValue(o)
	return v == "" && len(o.Component) == 0
}

// isVitalCode: a sign the chart records, whatever the category (Outpost's
// own export files the pain score under survey, as US Core has it).
func isVitalCode(cc *fhir.CodeableConcept) bool {
	for _, c := range cc.Coding {
		if c.System == chart.SystemLOINC && vitalByLOINC[c.Code] != "" {
			return true
		}
	}
	return false
}
