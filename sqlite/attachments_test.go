package sqlite

import (
	"bytes"
	"strings"
	"testing"

	"outpost/chart"
)

var (
	pngBytes  = append([]byte("\x89PNG\r\n\x1a\n"), "IHDR rest of a scan"...)
	jpegBytes = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, "JFIF rest of a scan"...)
	htmlBytes = []byte(`<!doctype html><script>parent.document.title = "pwned"</script>`)
)

// TestAttachmentContentCheck: only PDF, PNG and JPEG whose bytes match the
// declared type are accepted; HTML, SVG and mislabelled files are not.
func TestAttachmentContentCheck(t *testing.T) {
	pdf := scannedReport()
	for _, tc := range []struct {
		name, media string
		data        []byte
		want        string // normalised type, "" = refused
	}{
		{"pdf", "application/pdf", pdf, "application/pdf"},
		{"png, type in capitals", " IMAGE/PNG ", pngBytes, "image/png"},
		{"jpeg", "image/jpeg", jpegBytes, "image/jpeg"},
		{"html", "text/html", htmlBytes, ""},
		{"svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ""},
		{"html declared as pdf", "application/pdf", htmlBytes, ""},
		{"pdf declared as png", "image/png", pdf, ""},
		{"pdf declared as html", "text/html", pdf, ""},
		{"no type", "", pdf, ""},
		{"empty", "application/pdf", nil, ""},
		{"too large", "application/pdf", append([]byte("%PDF-"), make([]byte, MaxAttachmentSize)...), ""},
	} {
		got, err := CheckAttachmentContent(tc.media, tc.data)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("%s: CheckAttachmentContent = %q, %v; want %q", tc.name, got, err, tc.want)
		}
		if err != nil {
			wantErr(t, err, chart.EINVALID, "")
		}
	}
}

// TestAttachmentUploadRefusesHTML: the upload path refuses HTML whatever it
// is declared as, and stores nothing.
func TestAttachmentUploadRefusesHTML(t *testing.T) {
	c := newClinic(t)
	r := must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: c.patient.ID},
		Test: chart.Coded{Display: "Potassium"}, Value: "4.1", Unit: "mmol/L", CollectedAt: "2026-11-20"}))(t)
	for _, media := range []string{"text/html", "application/pdf", "image/png"} {
		_, err := c.doc.AttachToResult(ctxb, r.ID, "report.html", media, htmlBytes)
		wantErr(t, err, chart.EINVALID, "")
	}
	if n := countRows(t, c.w, "attachment_data"); n != 0 {
		t.Fatalf("%d attachment_data rows after refused uploads", n)
	}
}

// TestAttachmentPulledHTMLNeverShown: a workstation that skips the upload
// check (an insider's, or a compromised one) syncs an HTML page as an
// attachment, once declared text/html and once as a "PDF". The pull does
// not stop (the real PDF beside them arrives and opens), the HTML bytes are
// not stored as viewable, and opening either says the file cannot be shown.
func TestAttachmentPulledHTMLNeverShown(t *testing.T) {
	fa, docA, p := scanningClinic(t)
	pdf := scannedReport()
	good := attachScan(t, docA, p.ID, pdf)
	r := must(docA.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p.ID}, Test: chart.Coded{Display: "Sodium"},
		Value: "140", Unit: "mmol/L", CollectedAt: "2026-11-20"}))(t)
	asHTML := must(docA.attachChecked(ctxb, r.ID, "report.html", "text/html", htmlBytes))(t)
	asPDF := must(docA.attachChecked(ctxb, r.ID, "report.pdf", "application/pdf", htmlBytes))(t)

	fb := joinPractice(t, fa)
	docB := fb.signIn(t, "cleo", clinicianPass)
	apply(t, fb.admin, changeLog(t, fa.w, kindPatient, chart.KindResult, chart.KindAttachment, kindAttachmentData)...)

	if _, data := attachmentData(t, docB, good.ID); !bytes.Equal(data, pdf) {
		t.Fatal("the real PDF pulled beside the HTML does not open")
	}
	for _, a := range []chart.Attachment{asHTML, asPDF} {
		_, data, err := docB.AttachmentData(ctxb, a.ID)
		if e := wantErr(t, err, chart.EINVALID, ""); !strings.Contains(e.Message, "cannot be shown: it is not a PDF or image") {
			t.Fatalf("opening pulled %s says %q", a.MediaType, e.Message)
		}
		if data != nil {
			t.Fatalf("pulled %s returned %d bytes", a.MediaType, len(data))
		}
	}
	if n := countRows(t, fb.w, "attachment_data"); n != 1 {
		t.Fatalf("B stored %d attachment_data rows, want only the PDF's", n)
	}
}

// scanningClinic is a practice with clinician cleo signed in and a patient.
func scanningClinic(t *testing.T) (*fixture, *Session, chart.Patient) {
	t.Helper()
	f := newFixture(t)
	f.addUser(t, f.admin, "cleo", chart.RoleClinician, clinicianPass)
	doc := f.signIn(t, "cleo", clinicianPass)
	return f, doc, register(t, doc, samplePatient("Wilhelmina", "Quennell"))
}
