package fhirexport

import (
	"outpost/chart"
	"outpost/fhir"
)

// immunizations writes each vaccine given, recorded from history or
// refused as a US Core Immunization: CVX code, date, lot, expiry,
// manufacturer, site, route and who gave it; a refusal is not-done with
// the reason "patient objection".
func (b *builder) immunizations() {
	for i := range b.recs.Immunizations {
		im := &b.recs.Immunizations[i]
		if b.skip(chart.KindImmunization, &im.Meta) {
			continue
		}
		id := resourceID(string(im.ID))
		primary := im.Source != "historical"
		vaccine := concept(im.Vaccine)
		if vaccine == nil {
			vaccine = &fhir.CodeableConcept{Text: "Vaccine"}
		}
		r := &fhir.Immunization{DomainResource: domain("Immunization", id), Identifier: recordIdentifier(string(im.ID)),
			Status: "completed", VaccineCode: *vaccine, Patient: b.patient, PrimarySource: &primary,
			LotNumber: im.Lot, ExpirationDate: b.date(im.Expiry), Site: textConcept(im.Site), Route: textConcept(im.Route),
			Recorded: instant(im.CreatedAt)}
		if r.OccurrenceDateTime = b.dateTime(im.Date); r.OccurrenceDateTime == "" {
			r.OccurrenceString = "unknown"
			if im.Date != "" {
				r.OccurrenceString = im.Date
			}
		}
		if im.Refused {
			r.Status = "not-done"
			r.StatusReason = &fhir.CodeableConcept{Coding: []fhir.Coding{{System: sysActReason, Code: "PATOBJ",
				Display: "patient objection"}}, Text: im.RefusalReason}
		}
		if im.Manufacturer != "" {
			r.Manufacturer = &fhir.Reference{Display: im.Manufacturer}
		}
		if im.GivenBy != "" {
			r.Performer = []fhir.ImmunizationPerformer{{Actor: fhir.Reference{Display: im.GivenBy},
				Function: coded(sysV2PerformerFn, "AP", "Administering Provider")}}
		}
		if im.DoseNumber > 0 {
			r.ProtocolApplied = []fhir.ImmunizationProtocol{{DoseNumberPositiveInt: im.DoseNumber}}
		}
		if im.ExpiredLotReason != "" {
			r.Note = notes("Given after the lot's expiry date: " + im.ExpiredLotReason)
		}
		b.add("Immunization", id, r)
	}
}
