package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
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
	fa, pdf, good, asHTML, asPDF := forgedAttachments(t)
	fb := joinPractice(t, fa)
	docB := fb.signIn(t, "cleo", clinicianPass)
	applyRemote(t, fb.admin, clinicalLog(t, fa)...)

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
	if n, err := fb.w.HeldCount(ctxb); err != nil || n != 2 {
		t.Fatalf("B holds back %d changes, %v; want the two HTML pages", n, err)
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

// forgedAttachments is workstation A of a practice whose clinician attached
// a real PDF to a potassium result, and (as a workstation that skips the
// upload check would) an HTML page to a sodium result twice: declared
// text/html, and declared as a PDF.
func forgedAttachments(t *testing.T) (a *fixture, pdf []byte, good, asHTML, asPDF chart.Attachment) {
	t.Helper()
	a, docA, p := scanningClinic(t)
	pdf = scannedReport()
	good = attachScan(t, docA, p.ID, pdf)
	r := must(docA.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p.ID}, Test: chart.Coded{Display: "Sodium"},
		Value: "140", Unit: "mmol/L", CollectedAt: "2026-11-20"}))(t)
	asHTML = must(docA.attachChecked(ctxb, r.ID, "report.html", "text/html", htmlBytes))(t)
	asPDF = must(docA.attachChecked(ctxb, r.ID, "report.pdf", "application/pdf", htmlBytes))(t)
	return a, pdf, good, asHTML, asPDF
}

// clinicalLog is what a pull brings of a's chart: patients, results and attachments.
func clinicalLog(t *testing.T, a *fixture) []wire.Change {
	return changeLog(t, a.w, kindPatient, chart.KindResult, chart.KindAttachment, kindAttachmentData)
}

// TestE2EForgedAttachmentStore makes the store frontend/e2e/ui.mjs opens:
// a workstation in $OUTPOST_E2E_FORGED_DIR that joined forgedAttachments'
// practice and pulled its chart through ApplyRemote (the sync pull path),
// on the real clock. Clinician "cleo" signs in with clinicianPass. Skipped
// unless the e2e asks for it.
func TestE2EForgedAttachmentStore(t *testing.T) {
	dir := os.Getenv("OUTPOST_E2E_FORGED_DIR")
	if dir == "" {
		t.Skip("only for frontend/e2e/ui.mjs (OUTPOST_E2E_FORGED_DIR)")
	}
	ctx := context.Background()
	fa, _, _, _, _ := forgedAttachments(t)
	w, err := OpenWorkstation(ctx, filepath.Join(dir, "chart.db"), Options{WorkFactor: testWorkFactor, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.BeginJoin(ctx, fa.admin.Practice().ID, chart.NewDeviceID()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ApplyJoinPull(ctx, changeLog(t, fa.w, practiceWideKinds...), 0); err != nil {
		t.Fatal(err)
	}
	s, err := w.SignIn(ctx, "ada", adminPass)
	if err != nil {
		t.Fatal(err)
	}
	applyRemote(t, s.(*Session), clinicalLog(t, fa)...)
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
}
