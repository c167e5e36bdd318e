package fhirimport

import (
	"encoding/json"

	"outpost/chart"
	"outpost/fhir"
)

// encounterTypes maps the FHIR encounter class (v3 ActCode) to how
// Outpost books a visit; any other class (EMER, IMP, ACUTE, SS…) is an
// EncounterOther with the class kept.
var encounterTypes = map[string]chart.EncounterType{
	"AMB": chart.EncounterOffice, "HH": chart.EncounterHome, "VR": chart.EncounterTelehealth,
}

// snomedTelephoneEncounter is SNOMED CT 185317003 "Telephone encounter".
const snomedTelephoneEncounter = "185317003"

// encounterIn reads reasonCode leniently: Synthea has written it as one
// object instead of an array (the edge case clinical-rule__synthea).
type encounterIn struct {
	fhir.Encounter
	ReasonCode json.RawMessage `json:"reasonCode,omitempty"`
}

func (e *encounterIn) reasons() []fhir.CodeableConcept {
	var list []fhir.CodeableConcept
	if json.Unmarshal(e.ReasonCode, &list) == nil {
		return list
	}
	var one fhir.CodeableConcept
	if json.Unmarshal(e.ReasonCode, &one) == nil {
		return []fhir.CodeableConcept{one}
	}
	return nil
}

func (m *mapper) mapEncounter(i int, _ fhir.Resource) {
	var e encounterIn
	if !m.decode(i, &e) {
		return
	}
	if e.Status == "entered-in-error" || e.Status == "cancelled" {
		m.skip(i, "the source marks this encounter "+e.Status)
		return
	}
	out := chart.Encounter{Meta: m.meta(i), Class: e.Class.Code, Type: encounterTypes[e.Class.Code]}
	if out.Type == "" {
		out.Type = chart.EncounterOther
		if out.Class == "" {
			out.Class = "unknown"
		}
	}
	if len(e.Type) > 0 {
		out.TypeText = conceptText(&e.Type[0])
		if hasCode(&e.Type[0], chart.SystemSNOMED, snomedTelephoneEncounter) {
			out.Type = chart.EncounterTelephone // a virtual visit by telephone
		}
	}
	if e.Period != nil {
		out.Start, out.End = wallClock(e.Period.Start), wallClock(e.Period.End)
	}
	if out.Start == "" {
		m.skip(i, "an encounter with no start (period.start): the chart dates every visit; kept in the original JSON")
		return
	}
	if out.End != "" && out.End < out.Start {
		m.fail(i, "clinical-rule", "the encounter ends ("+out.End+") before it starts ("+out.Start+")")
		return
	}
	out.Reason = clip(joinTexts(e.reasons()), chart.MaxShortTextLen)
	out.ClinicianName = m.clinician(i, e.Participant)
	if len(e.Location) > 0 {
		out.Location = clip(m.nameOf(i, &e.Location[0].Location), chart.MaxShortTextLen)
	}
	for _, d := range e.Diagnosis {
		if c, ok := m.conditionCode(i, &d.Condition); ok {
			out.Diagnoses = addDiagnosis(out.Diagnoses, c)
		}
	}
	if keep(m, i, "the encounter", out, &m.recs.Encounters) {
		m.encounters[out.ID] = len(m.recs.Encounters) - 1
	}
}

// clinician names the encounter's primary performer (else attender, else
// the first participant who is a person).
func (m *mapper) clinician(i int, ps []fhir.EncounterParticipant) string {
	for _, role := range []string{"PPRF", "ATND", ""} {
		for j := range ps {
			p := &ps[j]
			if p.Individual == nil {
				continue
			}
			if role != "" && !hasRole(p.Type, role) {
				continue
			}
			if n := m.nameOf(i, p.Individual); n != "" {
				return n
			}
		}
	}
	return ""
}

func hasRole(types []fhir.CodeableConcept, code string) bool {
	for j := range types {
		if hasCode(&types[j], "", code) {
			return true
		}
	}
	return false
}

// conditionCode is the diagnosis code of the Condition ref points at.
func (m *mapper) conditionCode(i int, ref *fhir.Reference) (chart.Coded, bool) {
	res, ok := m.resolve(i, ref)
	if !ok || res.Type != "Condition" {
		return chart.Coded{}, false
	}
	var c fhir.Condition
	if json.Unmarshal(res.Raw, &c) != nil {
		return chart.Coded{}, false
	}
	return diagnosisCode(c.Code)
}

// diagnosisCode keeps ICD-10-CM when the source has it, else SNOMED CT,
// else the text; ok is false when it would not pass the chart.
func diagnosisCode(cc *fhir.CodeableConcept) (chart.Coded, bool) {
	c := coded(cc, chart.SystemICD10CM, chart.SystemSNOMED)
	probe := chart.Problem{Condition: c}
	return probe.Condition, probe.Validate(mapNow()) == nil
}

// addDiagnosis appends c unless the list already has it or is full.
func addDiagnosis(list []chart.Coded, c chart.Coded) []chart.Coded {
	for _, d := range list {
		if d.System == c.System && d.Code == c.Code && d.Display == c.Display {
			return list
		}
	}
	if len(list) >= chart.MaxDiagnoses {
		return list
	}
	return append(list, c)
}

// diagnosisAt is an encounter diagnosis found on a Condition, attached to
// its encounter once all are mapped.
type diagnosisAt struct {
	encounter chart.RecordID
	code      chart.Coded
}

// attachDiagnoses adds each encounter-diagnosis Condition to the
// diagnoses of the encounter it points at.
func (m *mapper) attachDiagnoses() {
	for _, d := range m.diagnoses {
		if j, ok := m.encounters[d.encounter]; ok {
			e := &m.recs.Encounters[j]
			e.Diagnoses = addDiagnosis(e.Diagnoses, d.code)
		}
	}
}

// Problem list. Every Condition goes on the problem list, whatever its
// category: a migrating practice expects its patients' problems, and
// Synthea 2.7 marks every condition "encounter-diagnosis" (resolved ones
// arrive resolved, so the active list stays what it was at the source).
// An encounter diagnosis is also listed on its encounter.

// problemStatus maps the clinical status (condition-clinical).
var problemStatus = map[string]chart.ProblemStatus{
	"active": chart.ProblemActive, "recurrence": chart.ProblemActive, "relapse": chart.ProblemActive,
	"inactive": chart.ProblemInactive, "remission": chart.ProblemResolved, "resolved": chart.ProblemResolved,
}

func (m *mapper) mapCondition(i int, _ fhir.Resource) {
	var c fhir.Condition
	if !m.decode(i, &c) {
		return
	}
	verification := firstCode(c.VerificationStatus)
	if verification == "entered-in-error" {
		m.skip(i, "the source marks this condition entered in error")
		return
	}
	code, ok := diagnosisCode(c.Code)
	if !ok || code.Display == "" {
		m.fail(i, "clinical-rule", "the condition has no code or text the chart can list")
		return
	}
	out := chart.Problem{Meta: m.meta(i), Condition: code, Verification: verification,
		Onset: partialDate(c.OnsetDateTime), Abatement: partialDate(c.AbatementDateTime)}
	out.Status = problemStatus[firstCode(c.ClinicalStatus)]
	if out.Status == "" {
		out.Status = chart.ProblemActive
		if out.Abatement != "" || c.AbatementString != "" {
			out.Status = chart.ProblemResolved
		}
	}
	out.Comment = clip(annotations(c.Note), chart.MaxLongTextLen)
	if !keep(m, i, "the problem", out, &m.recs.Problems) {
		return
	}
	if cats := categoryCodes(c.Category); cats["encounter-diagnosis"] || len(cats) == 0 {
		if enc := m.encounterLink(i, c.Encounter); enc != "" {
			m.diagnoses = append(m.diagnoses, diagnosisAt{enc, code})
		}
	}
	m.imported(i)
}
