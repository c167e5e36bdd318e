package fhirexport

import (
	"crypto/sha1"
	"encoding/base64"
	"slices"

	"outpost/chart"
	"outpost/fhir"
)

// results writes each lab result as a US Core laboratory Observation, and
// the results that share a ReportID as one DiagnosticReport (id = the
// report id) that lists them, carrying the report's PDF when the chart
// has it.
func (b *builder) results() {
	var reportOrder []chart.RecordID
	reports := map[chart.RecordID][]*chart.Result{}
	for i := range b.recs.Results {
		r := &b.recs.Results[i]
		if b.skip(chart.KindResult, &r.Meta) {
			continue
		}
		b.add("Observation", resourceID(string(r.ID)), b.labObservation(r))
		if r.ReportID != "" {
			if _, ok := reports[r.ReportID]; !ok {
				reportOrder = append(reportOrder, r.ReportID)
			}
			reports[r.ReportID] = append(reports[r.ReportID], r)
		}
	}
	for _, id := range reportOrder {
		b.report(id, reports[id])
	}
}

const extResultedDate = extensionBase + "resulted-date"

// loincLabReport is LOINC 11502-2 "Laboratory report", the code of a
// report the chart names nothing more precisely.
const loincLabReport = "11502-2"

var interpretations = map[string][2]string{
	chart.ResultNormal: {"N", "Normal"}, chart.ResultLow: {"L", "Low"}, chart.ResultHigh: {"H", "High"},
	chart.ResultCritical: {"AA", "Critical abnormal"}, chart.ResultAbnormal: {"A", "Abnormal"},
}

func (b *builder) labObservation(r *chart.Result) *fhir.Observation {
	id := resourceID(string(r.ID))
	code := concept(r.Test)
	if code == nil {
		code = &fhir.CodeableConcept{Text: "Laboratory result"}
	}
	o := &fhir.Observation{DomainResource: domain("Observation", id), Identifier: recordIdentifier(string(r.ID)),
		Status: "final", Category: codedList(sysObsCategory, "laboratory", "Laboratory"), Code: *code,
		Subject: &b.patient, Encounter: b.recordRef("Encounter", r.EncounterID),
		EffectiveDateTime: b.checkedDateTime("result collection time", r.CollectedAt), Issued: b.instantOf(r.ResultedAt)}
	if o.Issued == "" && validDate(r.ResultedAt) { // a day without a time is no instant: an extension keeps it
		o.Extension = []fhir.Extension{{URL: extResultedDate, ValueDateTime: r.ResultedAt}}
	}
	if v, cmp, ok := number(r.Value); ok {
		o.ValueQuantity = quantity(v, cmp, r.Unit)
	} else if r.Value != "" {
		s := r.Value
		o.ValueString = &s
	}
	if i, ok := interpretations[r.Flag]; ok {
		o.Interpretation = codedList(sysInterpretation, i[0], i[1])
	}
	if rr := referenceRange(r); rr != nil {
		o.ReferenceRange = []fhir.ReferenceRange{*rr}
	}
	if r.Performer != "" {
		o.Performer = []fhir.Reference{{Display: r.Performer}}
	}
	return o
}

func referenceRange(r *chart.Result) *fhir.ReferenceRange {
	rr := &fhir.ReferenceRange{Text: r.RefText}
	if v, _, ok := number(r.RefLow); ok {
		rr.Low = quantity(v, "", r.Unit)
	}
	if v, _, ok := number(r.RefHigh); ok {
		rr.High = quantity(v, "", r.Unit)
	}
	if rr.Low == nil && rr.High == nil && rr.Text == "" {
		return nil
	}
	return rr
}

// report is the US Core laboratory DiagnosticReport of results that came
// as one report.
func (b *builder) report(reportID chart.RecordID, rs []*chart.Result) {
	id := resourceID(string(reportID))
	first := rs[0]
	code := fhir.CodeableConcept{Text: first.ReportName}
	if code.Text == "" { // code is required: a report named nothing is LOINC's generic "Laboratory report"
		code.Coding = []fhir.Coding{{System: chart.SystemLOINC, Code: loincLabReport, Display: "Laboratory report"}}
	}
	dr := &fhir.DiagnosticReport{DomainResource: domain("DiagnosticReport", id), Identifier: recordIdentifier(string(reportID)),
		Status: "final", Category: codedList(sysV2DiagService, "LAB", "Laboratory"), Code: code,
		Subject: &b.patient, Encounter: b.recordRef("Encounter", first.EncounterID),
		EffectiveDateTime: b.dateTime(first.CollectedAt), Issued: b.instantOf(first.ResultedAt)}
	if first.Performer != "" {
		dr.Performer = []fhir.Reference{{Display: first.Performer}}
	}
	var ids []chart.RecordID
	for _, r := range rs {
		dr.Result = append(dr.Result, b.ref("Observation", resourceID(string(r.ID))))
		ids = append(ids, r.ID)
	}
	dr.PresentedForm = b.reportForms(ids)
	b.add("DiagnosticReport", id, dr)
}

// reportForms are the documents (PDFs) that came with the results ids.
func (b *builder) reportForms(ids []chart.RecordID) []fhir.Attachment {
	var out []fhir.Attachment
	for _, a := range b.recs.Attachments {
		if len(a.Data) == 0 || !slices.ContainsFunc(a.ResultIDs, func(id chart.RecordID) bool { return slices.Contains(ids, id) }) ||
			b.skip(chart.KindAttachment, &a.Attachment.Meta) {
			continue
		}
		out = append(out, attachmentOf(&a))
	}
	return out
}

// attachmentOf is a document as a FHIR attachment: its bytes, type, name,
// size and SHA-1.
func attachmentOf(a *chart.ImportedAttachment) fhir.Attachment {
	sum := sha1.Sum(a.Data)
	mediaType := a.Attachment.MediaType
	if mediaType == "" { // data needs a content type (att-1)
		mediaType = "application/octet-stream"
	}
	return fhir.Attachment{ContentType: mediaType, Title: a.Attachment.FileName,
		Data: base64.StdEncoding.EncodeToString(a.Data), Size: int64(len(a.Data)),
		Hash: base64.StdEncoding.EncodeToString(sum[:])}
}

// documents writes each document that belongs to no result (an advance
// directive or a letter that came with an import) as a DocumentReference
// carrying it; a result's PDF goes with its report.
func (b *builder) documents() {
	for i := range b.recs.Attachments {
		a := &b.recs.Attachments[i]
		if len(a.ResultIDs) > 0 || len(a.Data) == 0 || b.skip(chart.KindAttachment, &a.Attachment.Meta) {
			continue
		}
		id := resourceID(string(a.Attachment.ID))
		b.add("DocumentReference", id, &fhir.DocumentReference{DomainResource: domain("DocumentReference", id),
			Identifier: recordIdentifier(string(a.Attachment.ID)), Status: "current",
			Type: &fhir.CodeableConcept{Text: "Document"}, Subject: &b.patient, Date: instant(a.Attachment.CreatedAt),
			Custodian: &b.org, Description: a.Attachment.FileName,
			Content: []fhir.DocumentContent{{Attachment: attachmentOf(a)}}})
	}
}
