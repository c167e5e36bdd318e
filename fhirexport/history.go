package fhirexport

import (
	"outpost/chart"
	"outpost/fhir"
)

// socialHistory writes each answered smoking status as a US Core Smoking
// Status Observation (LOINC 72166-2, a SNOMED CT answer). A social
// history entry without a smoking status (alcohol, occupation only) has
// no US Core home and is not exported.
func (b *builder) socialHistory() {
	for i := range b.recs.SocialHistory {
		h := &b.recs.SocialHistory[i]
		if b.skip(chart.KindSocial, &h.Meta) || h.Smoking.Code == "" {
			continue
		}
		id := resourceID(string(h.ID))
		b.add("Observation", id, &fhir.Observation{DomainResource: domain("Observation", id),
			Identifier: recordIdentifier(string(h.ID)), Status: "final",
			Category: codedList(sysObsCategory, "social-history", "Social History"),
			Code: fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: chart.LOINCSmokingStatus,
				Display: "Tobacco smoking status"}}, Text: "Tobacco smoking status"},
			Subject: &b.patient, EffectiveDateTime: b.date(h.Date), Issued: instant(h.CreatedAt),
			ValueCodeableConcept: concept(h.Smoking), Note: notes(h.Comment)})
	}
}

// pregnancies writes each pregnancy status as an Observation (LOINC
// 82810-3) with the estimated date of delivery as a component.
func (b *builder) pregnancies() {
	for i := range b.recs.Pregnancy {
		p := &b.recs.Pregnancy[i]
		answer, ok := chart.PregnancyAnswers[p.Status]
		if b.skip(chart.KindPregnancy, &p.Meta) || !ok {
			continue
		}
		id := resourceID(string(p.ID))
		o := &fhir.Observation{DomainResource: domain("Observation", id), Identifier: recordIdentifier(string(p.ID)),
			Status: "final", Category: codedList(sysObsCategory, "social-history", "Social History"),
			Code: fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: chart.LOINCPregnancyStatus,
				Display: "Pregnancy status"}}, Text: "Pregnancy status"},
			Subject: &b.patient, EffectiveDateTime: b.date(p.Date),
			ValueCodeableConcept: &fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: answer[0],
				Display: answer[1]}}, Text: answer[1]},
			Note: notes(p.Comment)}
		o.Component = append(dateComponent(chart.LOINCLMP, "Last menstrual period start date", b.date(p.LMP)),
			dateComponent(chart.LOINCEDD, "Delivery date Estimated", b.date(p.EDD))...)
		b.add("Observation", id, o)
	}
}

// dateComponent is a LOINC-coded date component, none when there is no date.
func dateComponent(code, display, date string) []fhir.ObservationComponent {
	if date == "" {
		return nil
	}
	return []fhir.ObservationComponent{{Code: fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC,
		Code: code, Display: display}}}, ValueDateTime: date}}
}
