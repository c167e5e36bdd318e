package fhirexport

import (
	"strconv"

	"outpost/chart"
	"outpost/fhir"
)

// encounterClasses maps the way Outpost books a visit to the HL7 v3
// ActEncounterCode class of US Core Encounter.
var encounterClasses = map[chart.EncounterType][2]string{
	chart.EncounterOffice:     {"AMB", "ambulatory"},
	chart.EncounterHome:       {"HH", "home health"},
	chart.EncounterTelephone:  {"VR", "virtual"},
	chart.EncounterTelehealth: {"VR", "virtual"},
}

var encounterTypeNames = map[chart.EncounterType]string{
	chart.EncounterOffice: "Office visit", chart.EncounterHome: "Home visit",
	chart.EncounterTelephone: "Telephone consultation", chart.EncounterTelehealth: "Telehealth visit",
	chart.EncounterOther: "Other encounter",
}

// encounters writes each encounter and, for each of its diagnoses, an
// encounter-diagnosis Condition it refers to.
func (b *builder) encounters() {
	for i := range b.recs.Encounters {
		e := &b.recs.Encounters[i]
		if b.skip(chart.KindEncounter, &e.Meta) {
			continue
		}
		id := resourceID(string(e.ID))
		r := &fhir.Encounter{DomainResource: domain("Encounter", id), Identifier: recordIdentifier(string(e.ID)),
			Status: b.encounterStatus(e), Class: encounterClass(e), Subject: &b.patient, ServiceProvider: &b.org}
		r.Type = []fhir.CodeableConcept{encounterType(e)}
		r.Period = b.period("the encounter", e.Start, e.End)
		start := ""
		if r.Period != nil {
			start = r.Period.Start
		}
		if p := b.person(e.ClinicianID, e.ClinicianName); p != nil {
			r.Participant = []fhir.EncounterParticipant{{Individual: p,
				Type: codedList(sysParticipationType, "PPRF", "primary performer")}}
		}
		if c := textConcept(e.Reason); c != nil {
			r.ReasonCode = []fhir.CodeableConcept{*c}
		}
		if e.Location != "" {
			r.Location = []fhir.EncounterLocation{{Location: fhir.Reference{Display: e.Location}}}
		}
		for j, d := range e.Diagnoses {
			cid := derivedID(id, "diagnosis/"+strconv.Itoa(j))
			r.Diagnosis = append(r.Diagnosis, fhir.EncounterDiagnosis{Condition: b.ref("Condition", cid), Rank: j + 1})
			b.add("Condition", cid, b.encounterDiagnosis(cid, id, start, d))
		}
		b.add("Encounter", id, r)
	}
}

// encounterStatus: an encounter booked for later is planned, any other
// has happened.
func (b *builder) encounterStatus(e *chart.Encounter) string {
	if e.Start > b.opts.now().In(b.opts.zone()).Format(chart.LocalDateTimeLayout) {
		return "planned"
	}
	return "finished"
}

func encounterClass(e *chart.Encounter) fhir.Coding {
	if e.Class != "" {
		return fhir.Coding{System: sysActCode, Code: e.Class}
	}
	if c, ok := encounterClasses[e.Type]; ok {
		return fhir.Coding{System: sysActCode, Code: c[0], Display: c[1]}
	}
	return fhir.Coding{System: sysNullFlavor, Code: "UNK", Display: "unknown"}
}

// encounterType is the source's name for an imported encounter, else how
// Outpost booked it (coded in Outpost's own system so it reads back).
func encounterType(e *chart.Encounter) fhir.CodeableConcept {
	c := fhir.CodeableConcept{Text: e.TypeText}
	if e.Type != "" {
		c.Coding = []fhir.Coding{{System: sysEncounterType, Code: string(e.Type), Display: encounterTypeNames[e.Type]}}
		if c.Text == "" {
			c.Text = encounterTypeNames[e.Type]
		}
	}
	if c.Text == "" && len(c.Coding) == 0 {
		c.Text = "Encounter"
	}
	return c
}

// encounterDiagnosis is the US Core encounter-diagnosis Condition of one
// diagnosis of an encounter.
func (b *builder) encounterDiagnosis(id, encounterID, start string, d chart.Coded) *fhir.Condition {
	return &fhir.Condition{DomainResource: domain("Condition", id),
		Category: codedList(sysConditionCategory, "encounter-diagnosis", "Encounter Diagnosis"),
		Code:     concept(d), Subject: b.patient, Encounter: b.refPtr("Encounter", encounterID),
		RecordedDate: start}
}

// problems writes the problem list as US Core problem-list-item Conditions.
func (b *builder) problems() {
	for i := range b.recs.Problems {
		p := &b.recs.Problems[i]
		if b.skip(chart.KindProblem, &p.Meta) {
			continue
		}
		id := resourceID(string(p.ID))
		r := &fhir.Condition{DomainResource: domain("Condition", id), Identifier: recordIdentifier(string(p.ID)),
			Category: codedList(sysConditionCategory, "problem-list-item", "Problem List Item"),
			Code:     concept(p.Condition), Subject: b.patient, Note: notes(p.Comment),
			OnsetDateTime: b.checkedDateTime("problem onset", p.Onset), RecordedDate: b.date(instant(p.CreatedAt))}
		if p.Status != "" {
			r.ClinicalStatus = coded(sysConditionClinical, string(p.Status), string(p.Status))
		}
		if p.Verification != "" {
			r.VerificationStatus = coded(sysConditionVerify, p.Verification, p.Verification)
		}
		b.abatement(r, p)
		if p.Chronic {
			yes := true
			r.Extension = []fhir.Extension{{URL: extChronic, ValueBoolean: &yes}}
		}
		b.add("Condition", id, r)
	}
}

const extChronic = extensionBase + "chronic"

// abatement is written unless the problem is still active: FHIR (con-4)
// allows an abatement only on a condition that is no longer active.
func (b *builder) abatement(r *fhir.Condition, p *chart.Problem) {
	if p.Abatement == "" {
		return
	}
	if p.Status == chart.ProblemActive || p.Status == "" {
		b.warnf("problem %q is active but has an abatement date (%s); the date was left out", p.Condition.Display, p.Abatement)
		return
	}
	r.AbatementDateTime = b.checkedDateTime("problem abatement", p.Abatement)
}
