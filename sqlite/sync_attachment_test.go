package sqlite

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// scannedReport makes a small PDF with a line of text that must never
// reach the server in clear.
func scannedReport() []byte {
	return append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("BT (Potassium 6.1 mmol/L canary-scan-4471) Tj ET\n"), 200)...)
}

// attachScan saves a result for p and attaches pdf to it, as s.
func attachScan(t testing.TB, s *Session, p chart.PatientID, pdf []byte) chart.Attachment {
	t.Helper()
	r := must(s.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Potassium"},
		Value: "6.1", Unit: "mmol/L", CollectedAt: "2026-11-20"}))(t)
	return must(s.AttachToResult(ctxb, r.ID, "k report.pdf", "application/pdf", pdf))(t)
}

// TestAttachmentBytesSync: B opens A's scanned report byte-identical after
// sync; the server's files never hold its text.
func TestAttachmentBytesSync(t *testing.T) {
	server := newPracticeServer(t)
	fa := newFixture(t)
	fa.addUser(t, fa.admin, "cleo", chart.RoleClinician, clinicianPass)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	b := syncingWorkstation{fb, server.enroll(t, fb.admin)}

	docA := fa.signIn(t, "cleo", clinicianPass)
	p := register(t, docA, samplePatient("Wilhelmina", "Quennell"))
	pdf := scannedReport()
	att := attachScan(t, docA, p.ID, pdf)
	var sent int
	fa.w.db.QueryRow(`SELECT count(*) FROM changes WHERE kind = ? AND record_id = ?`, kindAttachmentData, att.ID).Scan(&sent)
	if sent != 1 {
		t.Fatalf("A wrote %d attachment_data changes, want 1", sent)
	}
	a.sync(t)
	b.sync(t)

	docB := fb.signIn(t, "cleo", clinicianPass)
	got, data := attachmentData(t, docB, att.ID)
	if !bytes.Equal(data, pdf) || got.SHA256 != att.SHA256 || got.FileName != "k report.pdf" {
		t.Fatalf("B opened %d bytes (%+v), want A's %d byte report", len(data), got, len(pdf))
	}
	if n := countRows(t, fb.w, "attachment_data"); n != 1 {
		t.Fatalf("B holds %d attachment_data rows, want 1", n)
	}
	wantNoPlaintext(t, server.dir, []string{"canary-scan-4471", "Potassium 6.1", "k report.pdf"})
}

// TestAttachmentBytesNotYetSynced: details without bytes give a clear
// not_found; bytes sealed for another attachment are refused; the right
// bytes, in a later page or even before the details, open byte-identical.
func TestAttachmentBytesNotYetSynced(t *testing.T) {
	ctx := context.Background()
	fa, docA, p := scanningClinic(t)
	pdf := scannedReport()
	att := attachScan(t, docA, p.ID, pdf)
	other := attachScan(t, docA, p.ID, append(scannedReport(), "other"...))
	out, err := fa.admin.Outbox(ctx, wire.MaxChangesPerPush)
	if err != nil {
		t.Fatal(err)
	}
	var rest []wire.Change
	var bytesOf = map[string]wire.Change{}
	for _, c := range out {
		if c.Kind == kindAttachmentData {
			bytesOf[c.RecordID] = c
			continue
		}
		rest = append(rest, c)
	}

	fc := joinPractice(t, fa)
	docC := fc.signIn(t, "cleo", clinicianPass)
	applyRemote(t, fc.admin, rest...)
	_, _, err = docC.AttachmentData(ctx, att.ID)
	if e := wantErr(t, err, chart.ENOTFOUND, ""); !strings.Contains(e.Message, "not synced") {
		t.Fatalf("message %q does not say the file has not synced", e.Message)
	}
	forged := bytesOf[string(other.ID)]
	forged.ChangeID, forged.RecordID = chart.NewChangeID(), string(att.ID)
	applyRemote(t, fc.admin, forged)
	if n := countRows(t, fc.w, "attachment_data"); n != 0 {
		t.Fatalf("bytes sealed for another attachment were stored: %d rows", n)
	}
	applyRemote(t, fc.admin, bytesOf[string(att.ID)])
	if _, data := attachmentData(t, docC, att.ID); !bytes.Equal(data, pdf) {
		t.Fatal("C's attachment bytes differ from A's")
	}

	// Bytes before their details: kept in the change log, read from there.
	fd := joinPractice(t, fa)
	docD := fd.signIn(t, "cleo", clinicianPass)
	applyRemote(t, fd.admin, bytesOf[string(att.ID)])
	applyRemote(t, fd.admin, rest...)
	if _, data := attachmentData(t, docD, att.ID); !bytes.Equal(data, pdf) {
		t.Fatal("D's attachment bytes differ from A's")
	}
}

func applyRemote(t *testing.T, s *Session, changes ...wire.Change) {
	t.Helper()
	if _, _, err := s.ApplyRemote(context.Background(), changes, 0); err != nil {
		t.Fatalf("ApplyRemote: %v", err)
	}
}
