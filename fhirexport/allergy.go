package fhirexport

import (
	"outpost/chart"
	"outpost/codes"
	"outpost/fhir"
)

// SNOMED CT 716186003 "No known allergy": the US Core way to say the
// patient was asked and has none.
const snomedNoKnownAllergy = "716186003"

// allergies writes each allergy as a US Core AllergyIntolerance, or the
// chart's "no known allergies" as one coded SNOMED CT 716186003 when no
// allergy is listed.
func (b *builder) allergies() {
	listed := 0
	for i := range b.recs.Allergies {
		a := &b.recs.Allergies[i]
		if b.skip(chart.KindAllergy, &a.Meta) {
			continue
		}
		listed++
		id := resourceID(string(a.ID))
		r := &fhir.AllergyIntolerance{DomainResource: domain("AllergyIntolerance", id),
			Identifier: recordIdentifier(string(a.ID)), ClinicalStatus: coded(sysAllergyClinical, "active", "Active"),
			Type: a.Type, Category: allergyCategory(a.Substance), Criticality: a.Criticality,
			Code: concept(a.Substance), Patient: b.patient, RecordedDate: instant(a.CreatedAt), Note: notes(a.Comment)}
		if a.Verification != "" {
			r.VerificationStatus = coded(sysAllergyVerify, a.Verification, a.Verification)
		}
		if on := b.dateTime(a.Onset); on != "" {
			r.OnsetDateTime = on
		} else {
			r.OnsetString = a.Onset
		}
		if a.Reaction != "" {
			r.Reaction = []fhir.AllergyReaction{{Manifestation: []fhir.CodeableConcept{{Text: a.Reaction}}, Severity: a.Severity}}
		} else if a.Severity != "" {
			b.warnf("allergy to %q has a severity (%s) but no reaction; FHIR records severity per reaction, so it was left out",
				a.Substance.Display, a.Severity)
		}
		b.add("AllergyIntolerance", id, r)
	}
	if listed == 0 && b.recs.NoKnownAllergies {
		b.noKnownAllergies()
	}
}

func (b *builder) noKnownAllergies() {
	id := derivedID(string(b.recs.Patient.ID), "no-known-allergies")
	b.add("AllergyIntolerance", id, &fhir.AllergyIntolerance{DomainResource: domain("AllergyIntolerance", id),
		ClinicalStatus:     coded(sysAllergyClinical, "active", "Active"),
		VerificationStatus: coded(sysAllergyVerify, "confirmed", "Confirmed"),
		Code: &fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemSNOMED, Code: snomedNoKnownAllergy,
			Display: "No known allergy"}}, Text: "No known allergies"},
		Patient: b.patient})
}

// allergyCategory: medication for RxNorm products and drug classes; for
// Outpost's curated allergens, food, or environment for venom and the
// rest (latex, dust); none when the chart does not say.
func allergyCategory(c chart.Coded) []string {
	switch c.System {
	case chart.SystemRxNorm, chart.SystemAllergyClass:
		return []string{"medication"}
	case chart.SystemAllergen:
		if k := codes.AllergenKind(c.Code); k == "food" {
			return []string{"food"}
		} else if k != "" {
			return []string{"environment"}
		}
	}
	return nil
}
