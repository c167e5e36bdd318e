package fhirimport

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"

	"outpost/chart"
	"outpost/fhir"
)

// reportInfo is what a result takes from the DiagnosticReport that groups it.
type reportInfo struct {
	id        chart.RecordID
	name      string
	performer string
}

// Attached documents the chart keeps, by what their bytes say they are
// (not what the sender declared).
var attachmentSignatures = []struct {
	mediaType, ext string
	magic          []byte
}{
	{"application/pdf", "pdf", []byte("%PDF-")},
	{"image/png", "png", []byte("\x89PNG\r\n\x1a\n")},
	{"image/jpeg", "jpg", []byte{0xFF, 0xD8, 0xFF}},
}

func sniff(data []byte) (mediaType, ext string, ok bool) {
	for _, s := range attachmentSignatures {
		if bytes.HasPrefix(data, s.magic) {
			return s.mediaType, s.ext, true
		}
	}
	return "", "", false
}

// mediaType is a content type without its parameters ("text/plain").
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// mapDiagnosticReport gives its results the report's id and name, keeps
// its PDF or image as an attachment of those results, and keeps its text
// as a note unless the same text came as a DocumentReference (Synthea 2.7
// sends every note both ways).
func (m *mapper) mapDiagnosticReport(i int, res fhir.Resource) {
	var d fhir.DiagnosticReport
	if !m.decode(i, &d) {
		return
	}
	if d.Status == "entered-in-error" || d.Status == "cancelled" {
		m.skip(i, "the source marks this report "+d.Status)
		return
	}
	info := reportInfo{id: m.ids(keyOf(res)), name: reportName(&d.Code)}
	if len(d.Performer) > 0 {
		info.performer = clip(m.nameOf(i, &d.Performer[0]), chart.MaxShortTextLen)
	}
	var results []chart.RecordID
	for j := range d.Result {
		if obs, ok := m.resolve(i, &d.Result[j]); ok && obs.Type == "Observation" {
			id := m.ids(keyOf(obs))
			m.reportOf[id] = info
			results = append(results, id)
		}
	}
	kept, noteKept, reasons := len(results) > 0, false, []string{}
	for j, a := range d.PresentedForm {
		switch mt := mediaType(a.ContentType); {
		case mt == "text/plain":
			text, err := attachmentText(a)
			switch {
			case err != "":
				reasons = append(reasons, err)
			case noteKept:
				reasons = append(reasons, "second text is kept only in the original JSON")
			case m.docTexts[text]:
				reasons = append(reasons, "its text arrived as a DocumentReference, imported as a note")
			default:
				note := m.note(i, d.Code.Text, info.name, text, m.encounterLink(i, d.Encounter), d.Performer, nil, d.Issued)
				// Its own id: the report's id groups the results (ReportID).
				note.ID = m.ids(SourceKey(res.Type, sourceID(res)+"/note"))
				if msg := m.keepNote(note); msg != "" {
					m.failInvalid(i, "the report's text", mapError(msg))
					return
				}
				kept, noteKept = true, true
			}
		default:
			att, why := m.attachment(i, a, j, results)
			if why != "" {
				reasons = append(reasons, why)
				continue
			}
			m.recs.Attachments = append(m.recs.Attachments, att)
			kept = true
		}
	}
	if !kept {
		reason := "a report with no results or documents Outpost keeps: kept in the original JSON"
		if len(reasons) > 0 {
			reason = "a report whose " + strings.Join(reasons, "; ") + ": kept in the original JSON"
		}
		m.skip(i, reason)
		return
	}
	m.imported(i)
}

// attachment decodes a PDF or image; why says why it was not kept.
func (m *mapper) attachment(i int, a fhir.Attachment, j int, results []chart.RecordID) (chart.ImportedAttachment, string) {
	if a.Data == "" {
		return chart.ImportedAttachment{}, "content is only a link, not the document itself"
	}
	data, err := base64.StdEncoding.DecodeString(a.Data)
	if err != nil {
		return chart.ImportedAttachment{}, "content is not valid base64"
	}
	mt, ext, ok := sniff(data)
	if !ok {
		return chart.ImportedAttachment{}, "content is " + strconv.Quote(mediaType(a.ContentType)) + ", not a PDF, PNG or JPEG"
	}
	res := m.resource(i)
	sum := sha256.Sum256(data)
	name := a.Title
	if name == "" {
		name = res.Type + " " + sourceID(res) + "." + ext
	}
	meta := chart.Meta{ID: m.ids(SourceKey(res.Type, sourceID(res)+"/attachment/"+strconv.Itoa(j))), Origin: m.sourceRef(res)}
	return chart.ImportedAttachment{
		Attachment: chart.Attachment{Meta: meta, FileName: clip(name, chart.MaxShortTextLen), MediaType: mt,
			Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])},
		Data: data, ResultIDs: append([]chart.RecordID{}, results...)}, ""
}

// attachmentText decodes a text/plain attachment; the error is a reason.
func attachmentText(a fhir.Attachment) (string, string) {
	if a.Data == "" {
		return "", "text is only a link"
	}
	data, err := base64.StdEncoding.DecodeString(a.Data)
	if err != nil {
		return "", "text is not valid base64"
	}
	text := plainText(string(data))
	if text == "" {
		return "", "text is empty"
	}
	return text, ""
}

// plainText keeps the text as written, with line ends made "\n" and any
// other control character (which the chart refuses) removed.
func plainText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// mapDocumentReference imports a text document as a signed, read-only
// note naming its author and source; a PDF or image is kept as an
// attachment; anything else only in the original JSON.
func (m *mapper) mapDocumentReference(i int, _ fhir.Resource) {
	var d documentReferenceIn
	if !decodeWrapped(m, i, &d, &d.DocumentReference, d.moveRelatesTo) {
		return
	}
	if d.Status == "entered-in-error" || d.DocStatus == "entered-in-error" {
		m.skip(i, "the source marks this document entered in error")
		return
	}
	var reasons []string
	for j, c := range d.Content {
		a := c.Attachment
		if mediaType(a.ContentType) != "text/plain" {
			att, why := m.attachment(i, a, j, nil)
			if why != "" {
				reasons = append(reasons, why)
				continue
			}
			m.recs.Attachments = append(m.recs.Attachments, att)
			m.imported(i)
			return
		}
		text, why := attachmentText(a)
		if why != "" {
			reasons = append(reasons, why)
			continue
		}
		var enc chart.RecordID
		if d.Context != nil && len(d.Context.Encounter) > 0 {
			enc = m.encounterLink(i, &d.Context.Encounter[0])
		}
		title := conceptText(d.Type)
		if title == "" {
			title = d.Description
		}
		note := m.note(i, title, "", text, enc, d.Author, d.Custodian, d.Date)
		for _, rel := range d.RelatesTo {
			if target, ok := m.resolve(i, &rel.Target); ok && rel.Code == "appends" && target.Type == "DocumentReference" {
				m.addenda = append(m.addenda, addendumOf{note: note.ID, target: m.ids(keyOf(target))})
			}
		}
		if msg := m.keepNote(note); msg != "" {
			m.fail(i, "chart-validation", "the note: "+msg)
			return
		}
		m.docTexts[text] = true
		m.imported(i)
		return
	}
	reason := "a document with no content Outpost keeps: kept in the original JSON"
	if len(reasons) > 0 {
		reason = "a document whose " + strings.Join(reasons, "; ") + ": kept in the original JSON"
	}
	m.skip(i, reason)
}

// documentReferenceIn reads relatesTo too: an addendum "appends" to the
// note it corrects (Outpost's export writes its addenda so).
type documentReferenceIn struct {
	fhir.DocumentReference
	RelatesTo []struct {
		Code   string         `json:"code"`
		Target fhir.Reference `json:"target"`
	} `json:"relatesTo,omitempty"`
}

// moveRelatesTo moves relatesTo as fhir.DocumentReference read it to
// where encoding/json puts it for a documentReferenceIn.
func (d *documentReferenceIn) moveRelatesTo() {
	if d.DocumentReference.RelatesTo == nil {
		return
	}
	d.RelatesTo = make([]struct {
		Code   string         `json:"code"`
		Target fhir.Reference `json:"target"`
	}, len(d.DocumentReference.RelatesTo))
	for k, r := range d.DocumentReference.RelatesTo {
		d.RelatesTo[k].Code, d.RelatesTo[k].Target = r.Code, r.Target
	}
	d.DocumentReference.RelatesTo = nil
}

// addendumOf links an imported note to the imported note it appends to.
type addendumOf struct{ note, target chart.RecordID }

// linkAddenda sets AddendumTo where the note appended to was imported
// too (a link to a note that is not in the chart would point at nothing).
func (m *mapper) linkAddenda() {
	index := map[chart.RecordID]int{}
	for k := range m.recs.Notes {
		index[m.recs.Notes[k].ID] = k
	}
	for _, a := range m.addenda {
		k, ok := index[a.note]
		if _, found := index[a.target]; ok && found {
			m.recs.Notes[k].AddendumTo = a.target
		}
	}
}

// note builds an imported note: clinical, titled by its type, its text in
// as many sections as the chart's section limit needs.
func (m *mapper) note(i int, title, alt, text string, enc chart.RecordID, authors []fhir.Reference, custodian *fhir.Reference, date string) chart.Note {
	if title = clip(title, chart.MaxShortTextLen); title == "" {
		title = clip(alt, chart.MaxShortTextLen)
	}
	if title == "" {
		title = "Imported document"
	}
	n := chart.Note{Meta: m.meta(i), EncounterID: enc, Kind: chart.NoteClinical, Title: title}
	for j := range authors {
		if name := m.nameOf(i, &authors[j]); name != "" {
			n.AuthorName = name
			break
		}
	}
	n.Imported = &chart.ImportedNote{AuthorName: n.AuthorName, Organization: clip(m.nameOf(i, custodian), chart.MaxShortTextLen),
		Date: dateOrTime(date), MediaType: "text/plain"}
	for k, part := range splitText(text, chart.MaxNoteSectionLen) {
		key, label := "text", "Text"
		if k > 0 {
			key, label = "text-"+strconv.Itoa(k+1), "Text (continued)"
		}
		n.Sections = append(n.Sections, chart.NoteSection{Key: key, Label: label, Text: part})
	}
	return n
}

// keepNote validates and keeps a note; it returns the chart's refusal.
func (m *mapper) keepNote(n chart.Note) string {
	if len(n.Sections) > chart.MaxNoteSections {
		return "the text is longer than a note holds (" + strconv.Itoa(chart.MaxNoteSections) + " sections); it is kept in the original JSON"
	}
	if err := m.validate(&n); err != nil {
		return chartMessage(err)
	}
	m.recs.Notes = append(m.recs.Notes, n)
	return ""
}

// splitText cuts text into parts of at most n characters, at a line end
// when there is one in the second half of a part.
func splitText(text string, n int) []string {
	r := []rune(text)
	var parts []string
	for len(r) > n {
		cut := n
		for k := n - 1; k > n/2; k-- {
			if r[k] == '\n' {
				cut = k + 1
				break
			}
		}
		parts = append(parts, strings.TrimSpace(string(r[:cut])))
		r = r[cut:]
	}
	return append(parts, strings.TrimSpace(string(r)))
}

// linkAttachments keeps, on each report attachment, only the results that
// were imported, and lists the attachment on each of them.
func (m *mapper) linkAttachments() {
	index := map[chart.RecordID]int{}
	for j := range m.recs.Results {
		index[m.recs.Results[j].ID] = j
	}
	for k := range m.recs.Attachments {
		a := &m.recs.Attachments[k]
		kept := []chart.RecordID{}
		for _, id := range a.ResultIDs {
			if j, ok := index[id]; ok {
				kept = append(kept, id)
				r := &m.recs.Results[j]
				r.AttachmentIDs = append(r.AttachmentIDs, a.Attachment.ID)
			}
		}
		a.ResultIDs = kept
	}
}

// loincLabReport is LOINC 11502-2 "Laboratory report": a report coded
// only so names no panel, and the chart keeps no name for it.
const loincLabReport = "11502-2"

func reportName(cc *fhir.CodeableConcept) string {
	if cc.Text == "" && len(cc.Coding) == 1 && hasCode(cc, chart.SystemLOINC, loincLabReport) {
		return ""
	}
	return conceptText(cc)
}
