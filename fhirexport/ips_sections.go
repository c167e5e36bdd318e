package fhirexport

import (
	"fmt"

	"outpost/chart"
	"outpost/fhir"
)

// LOINC codes of the IPS sections Outpost fills, and of the referral's
// own narrative sections.
const (
	ipsLOINCProblems      = "11450-4"
	ipsLOINCAllergies     = "48765-2"
	ipsLOINCMedications   = "10160-0"
	ipsLOINCImmunizations = "11369-6"
	ipsLOINCResults       = "30954-2"
	ipsLOINCVitalSigns    = "8716-3"
	ipsLOINCPlanOfCare    = "18776-5"
	ipsLOINCReferral      = "42349-1" // Reason for referral (narrative)
)

// ipsSection is a section being written: its entries and its narrative.
type ipsSection struct {
	title, code, display string
	entries              []fhir.Reference
	items                []string // the narrative's list
	notes                []string // paragraphs: what is missing, what the list means
}

// link adds record id's resource as an entry, when the chart's resources
// hold it, and its line to the narrative either way.
func (s *ipsSection) link(d *ipsDoc, id chart.RecordID, line string) {
	if url := ipsURN(string(id)); d.need(url) {
		s.entries = append(s.entries, fhir.Reference{Reference: url})
	}
	s.items = append(s.items, line)
}

func (s *ipsSection) damaged(n int, noun string) {
	if n > 0 {
		s.notes = append(s.notes, fmt.Sprintf("%d %s record(s) could not be opened on the sending workstation and are not included: ask the referrer.", n, noun))
	}
}

func (s *ipsSection) fhir() fhir.CompositionSection {
	return fhir.CompositionSection{
		Title: s.title,
		Code:  &fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: s.code, Display: s.display}}},
		Text:  &fhir.Narrative{Status: "generated", Div: ipsDiv(s.items, s.notes)},
		Entry: s.entries,
	}
}

// sections writes the Composition's sections: problems, allergies and
// medications always (with an explicit statement when empty), the others
// when the chart has something to say.
func (d *ipsDoc) sections(recs chart.PatientRecords, ref chart.Referral) []fhir.CompositionSection {
	s := chart.SummarizeForReferral(recs, ref.At)
	subject := string(recs.Patient.ID)
	out := []fhir.CompositionSection{
		d.problemSection(s, ref, subject),
		d.allergySection(s, ref, subject),
		d.medicationSection(s, ref, subject),
	}
	for _, sec := range []*ipsSection{d.immunizationSection(s), d.resultSection(s), d.vitalSection(s), ipsPlanSection(s), ipsReferralSection(ref)} {
		if sec != nil {
			out = append(out, sec.fhir())
		}
	}
	return out
}

func (d *ipsDoc) problemSection(s chart.ReferralSummary, ref chart.Referral, subject string) fhir.CompositionSection {
	sec := &ipsSection{title: "Active problems", code: ipsLOINCProblems, display: "Problem list - Reported"}
	ipsLinkAll(d, sec, "problem", s.Problems, func(p chart.Problem) (chart.Meta, string) {
		return p.Meta, ipsJoin(", ", ipsCoded(p.Condition), ipsOnset(p.Onset), p.Comment)
	})
	if len(sec.entries) == 0 {
		d.absent(sec, ref, subject, ipsNoProblemInfo)
	}
	return sec.fhir()
}

func (d *ipsDoc) allergySection(s chart.ReferralSummary, ref chart.Referral, subject string) fhir.CompositionSection {
	sec := &ipsSection{title: "Allergies and intolerances", code: ipsLOINCAllergies, display: "Allergies and adverse reactions Document"}
	ipsLinkAll(d, sec, "allergy", s.Allergies, func(a chart.Allergy) (chart.Meta, string) {
		return a.Meta, ipsJoin(", ", ipsCoded(a.Substance), a.Type, a.Reaction, a.Severity, ipsCriticality(a.Criticality), a.Verification)
	})
	if len(sec.entries) == 0 {
		// Only a recorded "no known allergies", with nothing unreadable,
		// may say so; anything else is "no information".
		which := ipsNoAllergyInfo
		if s.AllergyStatus == chart.AllergiesNone {
			which = ipsNoKnownAllergies
		}
		d.absent(sec, ref, subject, which)
	}
	return sec.fhir()
}

func (d *ipsDoc) medicationSection(s chart.ReferralSummary, ref chart.Referral, subject string) fhir.CompositionSection {
	sec := &ipsSection{title: "Current medications", code: ipsLOINCMedications, display: "History of Medication use Narrative"}
	ipsLinkAll(d, sec, "medication", s.Medications, func(m chart.Medication) (chart.Meta, string) {
		return m.Meta, ipsJoin(", ", ipsCoded(m.Drug), ipsJoin(" ", m.Dose, m.Unit), m.Route, m.Frequency, m.Instructions)
	})
	if len(sec.entries) == 0 {
		d.absent(sec, ref, subject, ipsNoMedicationInfo)
	}
	return sec.fhir()
}

// ipsLinkAll links each opened record with its narrative line and says in
// the narrative how many could not be opened.
func ipsLinkAll[T any](d *ipsDoc, sec *ipsSection, noun string, recs []T, describe func(T) (chart.Meta, string)) {
	damaged := 0
	for _, r := range recs {
		m, line := describe(r)
		if m.IsDamaged() {
			damaged++
			continue
		}
		sec.link(d, m.ID, line)
	}
	sec.damaged(damaged, noun)
}

func (d *ipsDoc) immunizationSection(s chart.ReferralSummary) *ipsSection {
	if len(s.Immunizations) == 0 {
		return nil
	}
	sec := &ipsSection{title: "Immunizations", code: ipsLOINCImmunizations, display: "History of Immunization Narrative"}
	for _, im := range s.Immunizations {
		given := "given"
		if im.Refused {
			given = ipsJoin(": ", "refused", im.RefusalReason)
		}
		sec.link(d, im.ID, ipsJoin(", ", ipsCoded(im.Vaccine), im.Date, given))
	}
	return sec
}

func (d *ipsDoc) resultSection(s chart.ReferralSummary) *ipsSection {
	if len(s.Results) == 0 && s.DamagedResults == 0 {
		return nil
	}
	sec := &ipsSection{title: fmt.Sprintf("Results of the last %d months", chart.RecentResultsMonths), code: ipsLOINCResults,
		display: "Relevant diagnostic tests/laboratory data Narrative"}
	for _, r := range s.Results {
		at := r.CollectedAt
		if at == "" {
			at = r.ResultedAt
		}
		flag := ""
		if r.Flag != "" && r.Flag != "normal" {
			flag = "(" + r.Flag + ")"
		}
		sec.link(d, r.ID, ipsJoin(", ", ipsCoded(r.Test), ipsJoin(" ", r.Value, r.Unit, flag), at))
	}
	sec.damaged(s.DamagedResults, "result")
	return sec
}

func (d *ipsDoc) vitalSection(s chart.ReferralSummary) *ipsSection {
	if s.Vitals == nil {
		return nil
	}
	sec := &ipsSection{title: "Vital signs", code: ipsLOINCVitalSigns, display: "Vital signs"}
	sec.link(d, s.Vitals.ID, ipsJoin(": ", s.Vitals.TakenAt, ipsVitals(s.Vitals.Signs)))
	return sec
}

// ipsPlanSection is the last visit's assessment and plan, as narrative.
func ipsPlanSection(s chart.ReferralSummary) *ipsSection {
	v := s.LastVisit
	if v == nil {
		return nil
	}
	sec := &ipsSection{title: "Last visit: assessment and plan", code: ipsLOINCPlanOfCare, display: "Plan of care note"}
	sec.notes = append(sec.notes, ipsJoin(", ", v.Note.Title, "signed by "+v.Note.Signature.SignerName,
		v.Note.Signature.SignedAt.UTC().Format("2006-01-02")))
	if v.Assessment != "" {
		sec.items = append(sec.items, "Assessment: "+v.Assessment)
	}
	if v.Plan != "" {
		sec.items = append(sec.items, "Plan: "+v.Plan)
	}
	for _, a := range v.Addenda {
		for _, t := range a.Sections {
			if t.Text != "" {
				sec.items = append(sec.items, "Addendum: "+t.Text)
			}
		}
	}
	return sec
}

// ipsReferralSection says to whom, why and what is asked, and how to call
// the referrer back.
func ipsReferralSection(ref chart.Referral) *ipsSection {
	sec := &ipsSection{title: "Reason for referral", code: ipsLOINCReferral, display: "Reason for referral (narrative)"}
	sec.items = []string{"To: " + ipsJoin(", ", ref.RecipientName, ref.RecipientOrganization, ref.RecipientContact),
		"Reason: " + ref.Reason}
	if ref.Question != "" {
		sec.items = append(sec.items, "Question: "+ref.Question)
	}
	sec.items = append(sec.items, "From: "+ipsJoin(", ", ref.Referrer.Name, ref.Referrer.Practice, ref.Referrer.CallBack()))
	return sec
}
