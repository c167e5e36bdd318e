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

// systemOutpostEncounterType codes how Outpost booked a visit (its export
// writes it beside the class, which cannot tell telephone from video).
const systemOutpostEncounterType = "urn:outpost:encounter-type"

// outpostEncounterType reads back an encounter Outpost exported: its own
// type code, and neither the class nor the type text it derived from it.
// A type text of its own (an encounter Outpost imported) means the class
// came from the source too, and stays.
func outpostEncounterType(out *chart.Encounter, cc *fhir.CodeableConcept) {
	for _, c := range cc.Coding {
		t := chart.EncounterType(c.Code)
		if c.System != systemOutpostEncounterType || (t != chart.EncounterOther && encounterClassOf[t] == "") {
			continue
		}
		derived := out.TypeText == c.Display
		if t != chart.EncounterOther {
			out.Type = t
			if derived && out.Class == encounterClassOf[t] {
				out.Class = ""
			}
		}
		if derived {
			out.TypeText = ""
		}
		return
	}
}

// encounterClassOf is the class Outpost's export gives each visit type.
var encounterClassOf = map[chart.EncounterType]string{
	chart.EncounterOffice: "AMB", chart.EncounterHome: "HH", chart.EncounterTelephone: "VR", chart.EncounterTelehealth: "VR",
}

// encounterIn reads reasonCode leniently: Synthea has written it as one
// object instead of an array (the edge case clinical-rule__synthea).
type encounterIn struct {
	fhir.Encounter
	ReasonCode json.RawMessage `json:"reasonCode,omitempty"`
	// read is reasonCode as fhir.Encounter reads it (an array), when it
	// did: then ReasonCode is left empty.
	read    []fhir.CodeableConcept
	wasRead bool
}

// takeReasons keeps reasonCode as fhir.Encounter read it.
func (e *encounterIn) takeReasons() {
	e.read, e.wasRead, e.Encounter.ReasonCode = e.Encounter.ReasonCode, true, nil
}

func (e *encounterIn) reasons() []fhir.CodeableConcept {
	if e.wasRead {
		return e.read
	}
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
	if !decodeWrapped(m, i, &e, &e.Encounter, e.takeReasons) {
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
		outpostEncounterType(&out, &e.Type[0])
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
		if c, id, ok := m.conditionCode(i, &d.Condition); ok {
			out.Diagnoses = m.addDiagnosis(out.ID, out.Diagnoses, id, c)
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

// conditionCode is the diagnosis code of the Condition ref points at, and
// that Condition's record id.
func (m *mapper) conditionCode(i int, ref *fhir.Reference) (chart.Coded, chart.RecordID, bool) {
	res, ok := m.resolve(i, ref)
	if !ok || res.Type != "Condition" {
		return chart.Coded{}, "", false
	}
	var c fhir.Condition
	if json.Unmarshal(res.Raw, &c) != nil {
		return chart.Coded{}, "", false
	}
	code, ok := diagnosisCode(c.Code)
	return code, m.ids(keyOf(res)), ok
}

// diagnosisCode keeps ICD-10-CM when the source has it, else SNOMED CT,
// else the text; ok is false when it would not pass the chart.
func diagnosisCode(cc *fhir.CodeableConcept) (chart.Coded, bool) {
	c := coded(cc, chart.SystemICD10CM, chart.SystemSNOMED)
	probe := chart.Problem{Condition: c}
	return probe.Condition, probe.Validate(mapNow()) == nil
}

// addDiagnosis appends c, the code of Condition condition, to the
// diagnoses of encounter unless that Condition is there already (listed
// by the encounter and pointing at it) or the list is full. Two
// Conditions with the same code are two diagnoses, as the chart keeps
// them.
func (m *mapper) addDiagnosis(encounter chart.RecordID, list []chart.Coded, condition chart.RecordID, c chart.Coded) []chart.Coded {
	key := [2]chart.RecordID{encounter, condition}
	if m.diagnosed[key] || len(list) >= chart.MaxDiagnoses {
		return list
	}
	m.diagnosed[key] = true
	return append(list, c)
}

// diagnosisAt is an encounter diagnosis found on a Condition, attached to
// its encounter once all are mapped.
type diagnosisAt struct {
	encounter chart.RecordID
	code      chart.Coded
	resource  int
	condition chart.RecordID
	listed    bool // also on the problem list
}

// attachDiagnoses adds each encounter-diagnosis Condition to the
// diagnoses of the encounter it points at.
func (m *mapper) attachDiagnoses() {
	for _, d := range m.diagnoses {
		j, ok := m.encounters[d.encounter]
		if !ok {
			continue
		}
		e := &m.recs.Encounters[j]
		full := len(e.Diagnoses) >= chart.MaxDiagnoses && !m.diagnosed[[2]chart.RecordID{d.encounter, d.condition}]
		e.Diagnoses = m.addDiagnosis(d.encounter, e.Diagnoses, d.condition, d.code)
		if full && !d.listed && m.outcomes[d.resource+1].Status == Imported {
			m.skip(d.resource, "its encounter already lists the most diagnoses the chart keeps: kept in the original JSON")
		}
	}
}

// Problem list and encounter diagnoses. A source that keeps a problem
// list (problem-list-item Conditions) gives its problem list; its
// encounter diagnoses stay with their encounters (Outpost's own export
// writes each visit diagnosis so). A source that keeps none, as Synthea
// 2.7, which marks every condition "encounter-diagnosis", gives its
// conditions that carry a clinical status as the problem list: a
// migrating practice expects its patients' problems, and resolved ones
// arrive resolved. An encounter diagnosis whose encounter was not
// imported goes on the problem list, so it is not lost.

// hasProblemList reports whether any Condition of the group is a
// problem-list item (read once).
func (m *mapper) hasProblemList() bool {
	if m.problemList == nil {
		found := false
		for _, res := range m.g.Resources {
			if res.Type != "Condition" {
				continue
			}
			var c struct {
				Category []fhir.CodeableConcept `json:"category"`
			}
			if json.Unmarshal(res.Raw, &c) == nil && categoryCodes(c.Category)["problem-list-item"] {
				found = true
				break
			}
		}
		m.problemList = &found
	}
	return *m.problemList
}

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
	out.Chronic = extensionTrue(c.Extension, extOutpostChronic)
	cats := categoryCodes(c.Category)
	enc := m.encounterLink(i, c.Encounter)
	visit := enc != "" && (cats["encounter-diagnosis"] || len(cats) == 0)
	listed := !visit || cats["problem-list-item"] || cats["health-concern"] ||
		(!m.hasProblemList() && c.ClinicalStatus != nil)
	if visit {
		m.diagnoses = append(m.diagnoses, diagnosisAt{enc, code, i, out.ID, listed})
	}
	if !listed {
		m.imported(i) // as its encounter's diagnosis
		return
	}
	keep(m, i, "the problem", out, &m.recs.Problems)
}
