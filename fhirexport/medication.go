package fhirexport

import (
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// medications writes the medication list as US Core MedicationRequests:
// a prescription written here is an order (intent "order", reported
// false, requester the prescriber); a medication the patient reports
// taking is, as US Core 6.1 records a self-reported medication, a plan
// (intent "plan", reported true, requester the patient).
func (b *builder) medications() {
	for i := range b.recs.Medications {
		m := &b.recs.Medications[i]
		if b.skip(chart.KindMedication, &m.Meta) {
			continue
		}
		id := resourceID(string(m.ID))
		reported := m.Source == chart.MedPatientReported
		r := &fhir.MedicationRequest{DomainResource: domain("MedicationRequest", id),
			Identifier: recordIdentifier(string(m.ID)), Status: medicationStatus(m.Status),
			ReportedBoolean: &reported, MedicationCodeableConcept: concept(m.Drug), Subject: b.patient,
			Encounter: b.recordRef("Encounter", m.EncounterID), AuthoredOn: b.authoredOn(m),
			PriorPrescription: b.recordRef("MedicationRequest", m.RenewalOf)}
		if reported {
			r.Intent = "plan"
			r.Requester = &b.patient
		} else {
			r.Intent = "order"
			r.Category = codedList(sysMedReqCategory, "community", "Community")
			r.Requester = b.person(m.PrescriberID, m.PrescriberName)
		}
		if m.StopReason != "" {
			r.StatusReason = textConcept(m.StopReason)
		}
		if d := b.dosage(m); d != nil {
			r.DosageInstruction = []fhir.Dosage{*d}
		}
		r.DispenseRequest = b.dispense(m)
		b.add("MedicationRequest", id, r)
	}
}

func medicationStatus(s chart.MedicationStatus) string {
	switch s {
	case chart.MedCompleted:
		return "completed"
	case chart.MedStopped:
		return "stopped"
	case chart.MedActive:
		return "active"
	}
	return "unknown"
}

// authoredOn is the start date, else the day it was charted.
func (b *builder) authoredOn(m *chart.Medication) string {
	if d := b.date(m.StartDate); d != "" {
		return d
	}
	return instant(m.CreatedAt)
}

// dosage is the sig as written ("500 mg by mouth twice daily") with its
// parts: the dose as a quantity, the route and the frequency as text (the
// chart keeps them as typed, not coded).
func (b *builder) dosage(m *chart.Medication) *fhir.Dosage {
	d := &fhir.Dosage{PatientInstruction: m.Instructions, Route: textConcept(m.Route)}
	if m.Frequency != "" {
		d.Timing = &fhir.Timing{Code: textConcept(m.Frequency)}
	}
	sig := *m
	if v, _, ok := number(m.Dose); ok {
		d.DoseAndRate = []fhir.DoseAndRate{{DoseQuantity: quantity(v, "", m.Unit)}}
		sig.Dose = string(v) // as the quantity spells it ("0,5" is 0.5), so the text reads back as the parts
	} else if m.Dose == "" && m.Unit != "" { // the unit alone ("mg"): a quantity may have no value
		d.DoseAndRate = []fhir.DoseAndRate{{DoseQuantity: quantity("", "", m.Unit)}}
	}
	d.Text = sig.Sig()
	if d.Text == "" && d.PatientInstruction == "" {
		return nil
	}
	return d
}

// dispense is how much, how many refills, for how long, and the dates the
// medication runs (start to stop).
func (b *builder) dispense(m *chart.Medication) *fhir.DispenseRequest {
	d := &fhir.DispenseRequest{}
	empty := true
	if m.Source != chart.MedPatientReported || m.Refills > 0 {
		refills := m.Refills
		d.NumberOfRepeatsAllowed, empty = &refills, false
	}
	if v, _, ok := number(leadingNumber(m.Quantity)); ok {
		unit := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m.Quantity), leadingNumber(m.Quantity)))
		d.Quantity, empty = &fhir.Quantity{Value: v, Unit: unit}, false
	}
	if m.DaysSupply > 0 {
		d.ExpectedSupplyDuration = &fhir.Quantity{Value: decimal(float64(m.DaysSupply)), Unit: "days", System: sysUCUM, Code: "d"}
		empty = false
	}
	if start, stop := b.date(m.StartDate), b.date(m.StopDate); start != "" || stop != "" {
		d.ValidityPeriod, empty = &fhir.Period{Start: start, End: stop}, false
	}
	if empty {
		return nil
	}
	return d
}

// leadingNumber is the number a quantity starts with ("30" of "30 tablets").
func leadingNumber(s string) string {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || s[end] == ',') {
		end++
	}
	return s[:end]
}
