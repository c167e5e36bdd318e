package sqlite

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"outpost/chart"
)

// validateImport checks every record of an imported patient before
// anything is written, naming the record at fault: the batch is written
// whole or not at all.
func validateImport(r *chart.PatientRecords, now time.Time) error {
	if err := r.Patient.Validate(now); err != nil {
		return importRecordError(kindPatient, r.Patient.Origin, "", err)
	}
	return firstError(
		func() error { return validateEach(chart.KindEncounter, r.Encounters, now, (*chart.Encounter).Validate) },
		func() error { return validateEach(chart.KindProblem, r.Problems, now, (*chart.Problem).Validate) },
		func() error {
			return validateEach(chart.KindMedication, r.Medications, now, (*chart.Medication).Validate)
		},
		func() error { return validateEach(chart.KindAllergy, r.Allergies, now, (*chart.Allergy).Validate) },
		func() error { return validateEach(chart.KindVitals, r.Vitals, now, validateImportedVitals) },
		func() error { return validateEach(chart.KindResult, r.Results, now, (*chart.Result).Validate) },
		func() error {
			return validateEach(chart.KindImmunization, r.Immunizations, now, (*chart.Immunization).Validate)
		},
		func() error { return validateEach(chart.KindNote, r.Notes, now, validateImportedNote) },
		func() error { return validateEach(chart.KindProcedure, r.Procedures, now, (*chart.Procedure).Validate) },
		func() error {
			return validateEach(chart.KindSocial, r.SocialHistory, now, (*chart.SocialHistory).Validate)
		},
		func() error {
			return validateEach(chart.KindFamily, r.FamilyHistory, now, (*chart.FamilyHistory).Validate)
		},
		func() error {
			return validateEach(chart.KindPregnancy, r.Pregnancy, now, (*chart.PregnancyStatus).Validate)
		},
		func() error {
			return validateEach(chart.KindSourceDocument, r.Sources, now, (*chart.SourceDocument).Validate)
		},
		func() error { return validateAttachments(r.Attachments) },
	)
}

// validateEach validates recs of one kind; the first problem of each kind
// is reported.
func validateEach[T any, P recordPtr[T]](kind string, recs []T, now time.Time, validate func(P, time.Time) error) error {
	for i := range recs {
		m := P(&recs[i]).RecordMeta()
		if !chart.ValidID(string(m.ID)) {
			return importRecordError(kind, m.Origin, string(m.ID), chart.FieldError("id", "It has no valid record id."))
		}
		if err := validate(P(&recs[i]), now); err != nil {
			return importRecordError(kind, m.Origin, string(m.ID), err)
		}
	}
	return nil
}

// validateImportedVitals checks what the store relies on: readings are
// entered field by field when charted here, and an import brings them
// converted already.
func validateImportedVitals(v *chart.VitalsRecord, now time.Time) error {
	var err error
	if v.TakenAt, err = chart.ValidateLocalDateTime("takenAt", "The time taken", v.TakenAt, now, true); err != nil {
		return err
	}
	if _, err := json.Marshal(v.Signs); err != nil {
		return chart.FieldError("signs", "A reading is not a number.")
	}
	if v.EncounterID != "" && !chart.ValidID(string(v.EncounterID)) {
		return chart.FieldError("encounterId", "The visit these vitals belong to has a malformed id.")
	}
	return nil
}

// validateImportedNote requires an imported note to say where it came
// from: it is stored signed, in its author's name.
func validateImportedNote(n *chart.Note, now time.Time) error {
	if n.Imported == nil {
		return chart.FieldError("imported", "An imported note must name its author and source.")
	}
	if n.AddendumTo != "" {
		return chart.FieldError("addendumTo", "An imported note cannot be an addendum to a note of this chart.")
	}
	return n.Validate(now)
}

func validateAttachments(as []chart.ImportedAttachment) error {
	for i := range as {
		a := &as[i].Attachment
		if !chart.ValidID(string(a.ID)) {
			return importRecordError(chart.KindAttachment, a.Origin, "", chart.FieldError("id", "It has no valid record id."))
		}
		name, media, err := checkAttachment(a.FileName, a.MediaType, as[i].Data)
		if err != nil {
			return importRecordError(chart.KindAttachment, a.Origin, string(a.ID), err)
		}
		a.FileName, a.MediaType = name, media
	}
	return nil
}

// importRecordError names the imported record a problem belongs to, by
// its source when known, keeping the problem's code and field.
func importRecordError(kind string, src *chart.SourceRef, id string, err error) error {
	var ce *chart.Error
	if !errors.As(err, &ce) {
		return err
	}
	what := nounFor(kind)
	switch {
	case src != nil && src.Type != "":
		what = fmt.Sprintf("%s (%s %s)", what, src.Type, src.ID)
	case id != "":
		what += " " + id
	}
	return &chart.Error{Code: ce.Code, Field: ce.Field, Message: fmt.Sprintf("Imported %s: %s", what, ce.Message)}
}
