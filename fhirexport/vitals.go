package fhirexport

import (
	"outpost/chart"
	"outpost/fhir"
)

// LOINC codes of the vital-signs panel and of the pulse oximetry code
// US Core 6.1 requires beside 59408-5.
const (
	loincVitalsPanel   = "85353-1"
	loincOxygenSatArt  = "2708-6"
	loincBPDisplay     = "Blood pressure panel with all children optional"
	loincVitalsDisplay = "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel"
)

// vitalOrder is the order signs are written in (blood pressure as one
// panel with its two components).
var vitalOrder = []chart.VitalField{chart.VitalHeartRate, chart.VitalRespiratoryRate, chart.VitalTemperature,
	chart.VitalSpO2, chart.VitalWeight, chart.VitalHeight, chart.VitalHeadCircumference, chart.VitalBMI, chart.VitalPain}

// vitals writes each vitals set as a vital-signs panel (85353-1, id = the
// record id) whose members are one US Core vital-sign Observation per
// sign measured, each with its LOINC code and its UCUM value.
func (b *builder) vitals() {
	for i := range b.recs.Vitals {
		v := &b.recs.Vitals[i]
		if b.skip(chart.KindVitals, &v.Meta) {
			continue
		}
		id := resourceID(string(v.ID))
		panel := b.vitalObservation(v, id, loincVitalsPanel, loincVitalsDisplay)
		panel.Identifier = recordIdentifier(string(v.ID))
		if bp := b.bloodPressure(v, id); bp != nil {
			panel.HasMember = append(panel.HasMember, b.ref("Observation", bp.ID))
		}
		for _, f := range vitalOrder {
			x, ok := v.Signs.Value(f)
			code, known := chart.VitalLOINC(f)
			if !ok || !known {
				continue
			}
			mid := derivedID(id, string(f))
			o := b.vitalObservation(v, mid, code.LOINC, code.Display)
			o.ValueQuantity = vitalQuantity(x, code.Unit)
			o.Interpretation = vitalInterpretation(v.Flags, f)
			if f == chart.VitalSpO2 {
				o.Code.Coding = append(o.Code.Coding, fhir.Coding{System: chart.SystemLOINC, Code: loincOxygenSatArt,
					Display: "Oxygen saturation in Arterial blood"})
			}
			if f == chart.VitalPain { // a score the patient reports, not a US Core vital sign
				o.Category = codedList(sysObsCategory, "survey", "Survey")
			}
			panel.HasMember = append(panel.HasMember, b.ref("Observation", mid))
			b.add("Observation", mid, o)
		}
		b.add("Observation", id, panel)
	}
}

func (b *builder) vitalObservation(v *chart.VitalsRecord, id, loinc, display string) *fhir.Observation {
	o := &fhir.Observation{DomainResource: domain("Observation", id), Status: "final",
		Category: codedList(sysObsCategory, "vital-signs", "Vital Signs"),
		Code:     fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: loinc, Display: display}}, Text: display},
		Subject:  &b.patient, Encounter: b.recordRef("Encounter", v.EncounterID),
		EffectiveDateTime: b.checkedDateTime("vitals time", v.TakenAt)}
	if p := b.person(v.TakenBy, v.TakenByName); p != nil {
		o.Performer = []fhir.Reference{*p}
	}
	return o
}

// bloodPressure is the US Core blood pressure panel (85354-9) with the
// systolic and diastolic as components, or nil when not measured.
func (b *builder) bloodPressure(v *chart.VitalsRecord, panelID string) *fhir.Observation {
	sys, okS := v.Signs.Value(chart.VitalSystolic)
	dia, okD := v.Signs.Value(chart.VitalDiastolic)
	if !okS || !okD {
		return nil
	}
	id := derivedID(panelID, "blood-pressure")
	o := b.vitalObservation(v, id, chart.LOINCBloodPressurePanel, loincBPDisplay)
	for _, c := range []struct {
		f chart.VitalField
		x float64
	}{{chart.VitalSystolic, sys}, {chart.VitalDiastolic, dia}} {
		code, _ := chart.VitalLOINC(c.f)
		o.Component = append(o.Component, fhir.ObservationComponent{
			Code:          fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: code.LOINC, Display: code.Display}}, Text: code.Display},
			ValueQuantity: vitalQuantity(c.x, code.Unit), Interpretation: vitalInterpretation(v.Flags, c.f)})
	}
	b.add("Observation", id, o)
	return o
}

func vitalQuantity(x float64, ucum string) *fhir.Quantity {
	return &fhir.Quantity{Value: decimal(x), Unit: chart.UnitSymbol(ucum), System: sysUCUM, Code: ucum}
}

// vitalInterpretation is H or L when the chart flagged the value as
// outside the typical range for the patient's age.
func vitalInterpretation(flags []chart.VitalFlag, f chart.VitalField) []fhir.CodeableConcept {
	for _, fl := range flags {
		if fl.Field != f {
			continue
		}
		switch fl.Level {
		case chart.FlagHigh:
			return codedList(sysInterpretation, "H", "High")
		case chart.FlagLow:
			return codedList(sysInterpretation, "L", "Low")
		}
	}
	return nil
}
