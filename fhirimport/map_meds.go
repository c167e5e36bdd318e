package fhirimport

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// medicationStatus maps MedicationRequest.status. A stopped or cancelled
// prescription needs a stop reason in the chart: the source's status is it.
var medicationStatus = map[string]chart.MedicationStatus{
	"active": chart.MedActive, "on-hold": chart.MedActive, "completed": chart.MedCompleted,
	"stopped": chart.MedStopped, "cancelled": chart.MedStopped,
}

// Intents that are not a prescription: a plan or a proposal was never
// ordered, so it does not belong on the medication list.
var notOrdered = map[string]bool{"plan": true, "proposal": true}

func (m *mapper) mapMedicationRequest(i int, _ fhir.Resource) {
	var mr medicationRequestIn
	if !decodeWrapped(m, i, &mr, &mr.MedicationRequest, func() {
		mr.StatusReason, mr.MedicationRequest.StatusReason = mr.MedicationRequest.StatusReason, nil
	}) {
		return
	}
	reported := mr.ReportedBoolean != nil && *mr.ReportedBoolean
	if notOrdered[mr.Intent] && !reported {
		m.skip(i, "a medication "+mr.Intent+", never ordered: not on the medication list, kept in the original JSON")
		return
	}
	status, ok := medicationStatus[mr.Status]
	if !ok {
		m.skip(i, "a prescription the source marks "+strconv.Quote(mr.Status)+": not on the medication list, kept in the original JSON")
		return
	}
	out := chart.Medication{Meta: m.meta(i), Status: status, Source: chart.MedPrescribedHere}
	if reported {
		out.Source = chart.MedPatientReported
	}
	out.Drug = m.drug(i, mr.MedicationCodeableConcept, mr.MedicationReference)
	out.StartDate = dateOnly(mr.AuthoredOn)
	if !reported {
		out.PrescriberName = m.nameOf(i, mr.Requester)
	}
	out.EncounterID = m.encounterLink(i, mr.Encounter)
	out.RenewalOf = m.priorPrescription(i, mr.PriorPrescription)
	if status == chart.MedStopped {
		out.StopReason = clip(conceptText(mr.StatusReason), chart.MaxShortTextLen)
		if out.StopReason == "" {
			out.StopReason = mr.Status + " at the source"
		}
	}
	dosage(&out, mr.DosageInstruction)
	if d := mr.DispenseRequest; d != nil {
		if d.Quantity != nil {
			out.Quantity = clip(strings.TrimSpace(string(d.Quantity.Value)+" "+quantityUnit(d.Quantity)), 60)
		}
		if d.NumberOfRepeatsAllowed != nil {
			out.Refills = *d.NumberOfRepeatsAllowed
		}
		out.DaysSupply = days(d.ExpectedSupplyDuration)
		if p := d.ValidityPeriod; p != nil {
			if out.StartDate == "" {
				out.StartDate = dateOnly(p.Start)
			}
			out.StopDate = dateOnly(p.End)
		}
	}
	m.keepMedication(i, out, annotations(mr.Note))
}

// priorPrescription is the record id of the prescription this one renews,
// when it is a MedicationRequest of this import.
func (m *mapper) priorPrescription(i int, ref *fhir.Reference) chart.RecordID {
	res, ok := m.resolve(i, ref)
	if !ok || res.Type != "MedicationRequest" {
		return ""
	}
	return m.ids(keyOf(res))
}

// medicationRequestIn reads the status reason too (the reason a
// prescription was stopped).
type medicationRequestIn struct {
	fhir.MedicationRequest
	StatusReason *fhir.CodeableConcept `json:"statusReason,omitempty"`
}

// statementStatus maps MedicationStatement.status; not-taken and
// entered-in-error are not on the list.
var statementStatus = map[string]chart.MedicationStatus{
	"active": chart.MedActive, "intended": chart.MedActive, "on-hold": chart.MedActive, "unknown": chart.MedActive,
	"completed": chart.MedCompleted, "stopped": chart.MedStopped,
}

func (m *mapper) mapMedicationStatement(i int, _ fhir.Resource) {
	var ms fhir.MedicationStatement
	if !m.decode(i, &ms) {
		return
	}
	status, ok := statementStatus[ms.Status]
	if !ok {
		m.skip(i, "a medication the source marks "+strconv.Quote(ms.Status)+": not on the medication list, kept in the original JSON")
		return
	}
	out := chart.Medication{Meta: m.meta(i), Status: status, Source: chart.MedPatientReported}
	out.Drug = m.drug(i, ms.MedicationCodeableConcept, ms.MedicationReference)
	out.StartDate = dateOnly(ms.EffectiveDateTime)
	if p := ms.EffectivePeriod; p != nil {
		out.StartDate, out.StopDate = dateOnly(p.Start), dateOnly(p.End)
	}
	if out.StartDate == "" {
		out.StartDate = dateOnly(ms.DateAsserted)
	}
	if status == chart.MedStopped {
		out.StopReason = "stopped at the source"
	}
	out.EncounterID = m.encounterLink(i, ms.Context)
	dosage(&out, ms.Dosage)
	m.keepMedication(i, out, annotations(ms.Note))
}

func (m *mapper) keepMedication(i int, out chart.Medication, note string) {
	if note != "" {
		out.Instructions = strings.TrimSpace(out.Instructions + "\n" + note)
	}
	out.Instructions = clipText(out.Instructions, chart.MaxLongTextLen)
	if out.Drug.Display == "" {
		m.fail(i, "clinical-rule", "the medication has no code or name (medication[x])")
		return
	}
	keep(m, i, "the medication", out, &m.recs.Medications)
}

// drug is the medication's concept, from the request itself or the
// Medication resource it references; RxNorm is kept when present.
func (m *mapper) drug(i int, cc *fhir.CodeableConcept, ref *fhir.Reference) chart.Coded {
	if cc == nil && ref != nil {
		if res, ok := m.resolve(i, ref); ok && res.Type == "Medication" {
			var med fhir.Medication
			if json.Unmarshal(res.Raw, &med) == nil {
				cc = med.Code
			}
		}
		if cc == nil && ref.Display != "" {
			cc = &fhir.CodeableConcept{Text: ref.Display}
		}
	}
	return coded(cc, chart.SystemRxNorm)
}

// dosage fills instructions, route, frequency and dose from the first
// dosage instruction; the instructions are each dosage's patient
// instruction, else its text (the sig).
func dosage(out *chart.Medication, ds []fhir.Dosage) {
	if len(ds) > 0 {
		d := ds[0]
		out.Route = clip(conceptText(d.Route), 60)
		out.Frequency = clip(frequency(d.Timing, d.AsNeededBoolean), chart.MaxShortTextLen)
		for _, dr := range d.DoseAndRate {
			if q := dr.DoseQuantity; q != nil {
				doseOf(out, q)
				break
			}
		}
	}
	sig := out.Sig()
	var texts []string
	for j, d := range ds {
		t := strings.TrimSpace(d.PatientInstruction) // what the patient is told, else the sig
		if t == "" {
			t = strings.TrimSpace(d.Text)
			if j == 0 && t == sig { // a sig that only repeats the parts read above adds nothing
				t = ""
			}
		}
		if t != "" {
			texts = append(texts, t)
		}
	}
	out.Instructions = strings.Join(texts, "\n")
}

// doseOf reads a dose quantity: a positive value with its unit, or a unit
// alone (a quantity may have no value; the chart then keeps the unit).
func doseOf(out *chart.Medication, q *fhir.Quantity) {
	if q.Value == "" {
		out.Unit = clip(quantityUnit(q), 40)
		return
	}
	if x, err := strconv.ParseFloat(string(q.Value), 64); err == nil && x > 0 && len(q.Value) <= 20 {
		out.Dose, out.Unit = string(q.Value), clip(quantityUnit(q), 40)
	}
}

// frequency writes a timing as people say it ("twice a day", "once
// every 8 hours", "3 times a week"), a coded timing by its text, and adds
// "as needed".
func frequency(t *fhir.Timing, asNeeded *bool) string {
	var parts []string
	if t != nil {
		if r := t.Repeat; r != nil && r.Frequency > 0 {
			parts = append(parts, timesPer(r.Frequency, string(r.Period), r.PeriodUnit))
		} else if t.Code != nil {
			parts = append(parts, conceptText(t.Code))
		}
	}
	if asNeeded != nil && *asNeeded {
		parts = append(parts, "as needed")
	}
	return strings.Join(parts, ", ")
}

var periodUnits = map[string]string{"s": "second", "min": "minute", "h": "hour", "d": "day", "wk": "week",
	"mo": "month", "a": "year"}

func timesPer(n int, period, unit string) string {
	count := fmt.Sprintf("%d times", n)
	switch n {
	case 1:
		count = "once"
	case 2:
		count = "twice"
	}
	name, ok := periodUnits[unit]
	switch {
	case !ok || period == "":
		return count
	case period == "1" || period == "1.0":
		article := "a"
		if name == "hour" {
			article = "an"
		}
		return count + " " + article + " " + name
	}
	return count + " every " + period + " " + name + "s"
}

// days reads an expected supply duration (UCUM d, wk, mo, a) in days; 0
// when it is not a duration.
func days(q *fhir.Quantity) int {
	if q == nil {
		return 0
	}
	x, err := strconv.ParseFloat(string(q.Value), 64)
	if err != nil || x <= 0 || math.IsInf(x, 0) {
		return 0
	}
	per := map[string]float64{"d": 1, "day": 1, "days": 1, "wk": 7, "week": 7, "mo": 30, "month": 30, "a": 365, "year": 365}
	unit := q.Code
	if unit == "" {
		unit = q.Unit
	}
	f, ok := per[unit]
	if !ok || x*f > 1e6 {
		return 0
	}
	return int(math.Round(x * f))
}

func quantityUnit(q *fhir.Quantity) string {
	if q.Unit != "" {
		return q.Unit
	}
	return q.Code
}

// clipText shortens multi-line text to at most n characters.
func clipText(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
