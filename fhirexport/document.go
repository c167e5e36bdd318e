package fhirexport

import (
	"crypto/sha1"
	"encoding/base64"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// LOINC document types of the notes: a clinician's note is a progress
// note, a nurse's a nurse note (both in the US Core clinical-note list).
var noteTypes = map[chart.NoteKind][2]string{
	chart.NoteClinical: {"11506-3", "Progress note"},
	chart.NoteNursing:  {"34746-8", "Nurse Note"},
}

// notes writes each signed note (and signed addendum) as a US Core
// DocumentReference: its text as a text/plain attachment, the author, the
// signer as authenticator, the visit. Drafts are not part of the record
// and are not exported.
func (b *builder) notes() {
	for i := range b.recs.Notes {
		n := &b.recs.Notes[i]
		if b.skip(chart.KindNote, &n.Meta) || !n.Signed() {
			continue
		}
		id := resourceID(string(n.ID))
		typ := noteTypes[n.Kind]
		if typ[0] == "" {
			typ = noteTypes[chart.NoteClinical]
		}
		data := []byte(NoteText(n))
		sum := sha1.Sum(data)
		r := &fhir.DocumentReference{DomainResource: domain("DocumentReference", id), Identifier: recordIdentifier(string(n.ID)),
			Status: "current", DocStatus: "final",
			Type:     &fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: typ[0], Display: typ[1]}}, Text: n.Title},
			Category: codedList(sysDocCategory, "clinical-note", "Clinical Note"),
			Subject:  &b.patient, Date: instant(n.Signature.SignedAt), Custodian: &b.org, Description: n.Title,
			Authenticator: b.person(n.Signature.SignerID, n.Signature.SignerName),
			Content: []fhir.DocumentContent{{Attachment: fhir.Attachment{ContentType: "text/plain; charset=utf-8",
				Data: base64.StdEncoding.EncodeToString(data), Size: int64(len(data)),
				Hash: base64.StdEncoding.EncodeToString(sum[:]), Title: n.Title}}}}
		if n.Imported != nil {
			r.Author = []fhir.Reference{{Display: n.Imported.AuthorName}}
			r.Content[0].Attachment.Creation = b.dateTime(n.Imported.Date)
		} else if a := b.person(n.AuthorID, n.AuthorName); a != nil {
			r.Author = []fhir.Reference{*a}
		}
		if enc := b.recordRef("Encounter", n.EncounterID); enc != nil {
			r.Context = &fhir.DocumentContext{Encounter: []fhir.Reference{*enc}}
		}
		if to := b.recordRef("DocumentReference", n.AddendumTo); to != nil {
			r.RelatesTo = []fhir.DocumentRelatesTo{{Code: "appends", Target: *to}}
		}
		b.add("DocumentReference", id, r)
	}
}

// NoteText is a note as plain text: its title, then each section's label
// and text, as the printed note reads.
func NoteText(n *chart.Note) string {
	var sb strings.Builder
	sb.WriteString(n.Title)
	sb.WriteString("\n")
	for _, s := range n.Sections {
		if strings.TrimSpace(s.Text) == "" {
			continue
		}
		sb.WriteString("\n")
		if s.Label != "" {
			sb.WriteString(s.Label + "\n")
		}
		sb.WriteString(strings.TrimRight(s.Text, "\n") + "\n")
	}
	return sb.String()
}

// procedures writes each procedure as a Procedure.
func (b *builder) procedures() {
	for i := range b.recs.Procedures {
		p := &b.recs.Procedures[i]
		if b.skip(chart.KindProcedure, &p.Meta) {
			continue
		}
		id := resourceID(string(p.ID))
		status := p.Status
		if status == "" {
			status = "unknown"
		}
		r := &fhir.Procedure{DomainResource: domain("Procedure", id), Identifier: recordIdentifier(string(p.ID)),
			Status: status, Code: concept(p.Code), Subject: b.patient, Encounter: b.recordRef("Encounter", p.EncounterID),
			Note: notes(p.Comment)}
		if p.PerformedEnd != "" {
			r.PerformedPeriod = b.period("the procedure", p.Performed, p.PerformedEnd)
		} else {
			r.PerformedDateTime = b.checkedDateTime("procedure date", p.Performed)
		}
		if c := textConcept(p.Reason); c != nil {
			r.ReasonCode = []fhir.CodeableConcept{*c}
		}
		if c := textConcept(p.BodySite); c != nil {
			r.BodySite = []fhir.CodeableConcept{*c}
		}
		if p.Performer != "" {
			r.Performer = []fhir.ProcedurePerformer{{Actor: fhir.Reference{Display: p.Performer}}}
		}
		b.add("Procedure", id, r)
	}
}
