package sqlite

import (
	"errors"
	"strings"
	gosync "sync"
	"testing"

	"outpost/chart"
)

func TestImportIDsAreStableAcrossWorkstationsAndKeyed(t *testing.T) {
	f, doc := importClinic(t)
	other := newFixture(t) // another practice: another key
	id := doc.ImportIDs()("Valley|Condition/c1")
	if !chart.ValidID(string(id)) {
		t.Fatalf("import id %q is not a UUID", id)
	}
	if again := f.admin.ImportIDs()("Valley|Condition/c1"); again != id {
		t.Fatalf("same practice, same source: %s then %s", id, again)
	}
	if elsewhere := other.admin.ImportIDs()("Valley|Condition/c1"); elsewhere == id {
		t.Fatal("another practice's key derived the same id: ids are not keyed")
	}
	if doc.ImportIDs()("Valley|Condition/c2") == id {
		t.Fatal("two sources gave one id")
	}
}

// One ImportIDs reuses its keyed HMAC: each id is still the one a fresh
// HMAC gives, whatever came before it and from whichever goroutine.
func TestImportIDsReusedGiveEachSourceItsOwnID(t *testing.T) {
	_, doc := importClinic(t)
	ids := doc.ImportIDs()
	fresh := func(key string) chart.RecordID { return doc.ImportIDs()(key) }
	keys := []string{"Valley|Condition/c1", "", "Valley|Observation/" + strings.Repeat("x", 200), "Valley|Condition/c1"}
	for _, k := range keys {
		if got, want := ids(k), fresh(k); got != want {
			t.Fatalf("%q: %s reused, %s fresh", k, got, want)
		}
	}
	want := fresh("Valley|Patient/p")
	var wg gosync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				if got := ids("Valley|Patient/p"); got != want {
					t.Errorf("concurrent: %s, want %s", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestImportPatientCreatesThenAddsNothingTheSecondTime(t *testing.T) {
	f, doc := importClinic(t)
	batch := importBatch(doc.ImportIDs(), "a", "Quilla", "Marchbanks", false)
	out := must(doc.ImportPatient(ctxb, batch, chart.ImportOptions{ImportID: "imp-1", File: "valley.json"}))(t)
	if !out.Created || out.Held || out.Imported[chart.KindResult] != 1 || out.Imported[chart.KindNote] != 1 ||
		out.Imported[chart.KindProcedure] != 1 || out.Imported[chart.KindSourceDocument] != 1 || out.Imported[chart.KindAttachment] != 1 {
		t.Fatalf("first import %+v, want a new patient and every record imported", out)
	}
	p := must(doc.OpenPatient(ctxb, out.PatientID))(t)
	if p.MRN == "" || p.MRN == "a-MRN" || len(p.Identifiers) != 1 || p.Origin == nil {
		t.Fatalf("imported patient %+v: want an Outpost MRN, the outside identifier kept and its origin", p)
	}
	records, changes := recordCount(t, f.w)

	again := must(doc.ImportPatient(ctxb, importBatch(doc.ImportIDs(), "a", "Quilla", "Marchbanks", false),
		chart.ImportOptions{ImportID: "imp-2", File: "valley.json"}))(t)
	if again.Created || again.PatientID != out.PatientID || len(again.Imported) != 0 ||
		again.AlreadyPresent[chart.KindResult] != 1 || again.AlreadyPresent[chart.KindSourceDocument] != 1 {
		t.Fatalf("second import %+v, want the same chart and every record already present", again)
	}
	if r, c := recordCount(t, f.w); r != records || c != changes {
		t.Fatalf("second import wrote: records %d→%d, changes %d→%d", records, r, changes, c)
	}
}

func TestImportPatientIsAllOrNothing(t *testing.T) {
	f, doc := importClinic(t)
	batch := importBatch(doc.ImportIDs(), "b", "Rowan", "Pettigrew", false)
	// The procedure names a visit that is in no chart: it fails after the
	// patient, encounter, problem, results, attachment and note are written.
	batch.Procedures[0].EncounterID = chart.NewRecordID()
	records, changes := recordCount(t, f.w)
	audits := countRows(t, f.w, "audit_log")
	_, err := doc.ImportPatient(ctxb, batch, chart.ImportOptions{ImportID: "imp-1", File: "valley.json"})
	if de := wantErr(t, err, chart.EINVALID, "encounterId"); !strings.Contains(de.Message, "Procedure pr1") {
		t.Fatalf("error %q does not name the record at fault", de.Message)
	}
	if r, c := recordCount(t, f.w); r != records || c != changes || countRows(t, f.w, "audit_log") != audits {
		t.Fatalf("a failed import wrote: records %d→%d, changes %d→%d", records, r, changes, c)
	}
	if hits := must(doc.SearchPatients(ctxb, "Pettigrew", 10))(t); len(hits) != 0 {
		t.Fatalf("the failed patient is in the index: %+v", hits)
	}
	batch.Procedures[0].EncounterID = batch.Encounters[0].ID

	// A failure while writing, after the encounter, problem and result.
	audits = countRows(t, f.w, "audit_log")
	written := 0
	importFault = func(kind string) error {
		if written++; kind == chart.KindNote {
			return errors.New("disk went away")
		}
		return nil
	}
	_, err = doc.ImportPatient(ctxb, batch, chart.ImportOptions{ImportID: "imp-1"})
	importFault = nil
	if err == nil || written < 4 {
		t.Fatalf("injected failure after %d records: %v", written, err)
	}
	if r, c := recordCount(t, f.w); r != records || c != changes || countRows(t, f.w, "audit_log") != audits {
		t.Fatalf("a failed import wrote: records %d→%d, changes %d→%d", records, r, changes, c)
	}

	out := must(doc.ImportPatient(ctxb, batch, chart.ImportOptions{ImportID: "imp-1"}))(t)
	if !out.Created || out.Imported[chart.KindProcedure] != 1 || out.Imported[chart.KindNote] != 1 {
		t.Fatalf("import after the failures %+v, want it whole", out)
	}
}

func TestImportRefusesAnInvalidRecordNamingIt(t *testing.T) {
	f, doc := importClinic(t)
	batch := importBatch(doc.ImportIDs(), "c", "Tamsin", "Oakhurst", false)
	batch.Problems[0].Verification = "probably"
	records, _ := recordCount(t, f.w)
	_, err := doc.ImportPatient(ctxb, batch, chart.ImportOptions{})
	if de := wantErr(t, err, chart.EINVALID, "verification"); !strings.Contains(de.Message, "Condition c1") {
		t.Fatalf("error %q does not name the condition", de.Message)
	}
	if r, _ := recordCount(t, f.w); r != records {
		t.Fatal("an invalid batch wrote records")
	}
}

func TestImportMatchesByIdentifierAndByNameAndBirthDate(t *testing.T) {
	_, doc := importClinic(t)
	ids := doc.ImportIDs()
	charted := register(t, doc, chart.Patient{GivenName: "Quilla", FamilyName: "Marchbanks", BirthDate: "1958-07-30",
		Sex: chart.SexFemale, Phone: "+1 555 0100 222"})
	out := must(doc.ImportPatient(ctxb, importBatch(ids, "d", "quilla", "MARCHBANKS", false), chart.ImportOptions{}))(t)
	if out.Created || out.PatientID != charted.ID || out.Match != chart.MatchNameBirth {
		t.Fatalf("outcome %+v, want a merge into %s by name and birth date", out, charted.ID)
	}
	p := must(doc.OpenPatient(ctxb, charted.ID))(t)
	if p.Phone != "+1 555 0100 222" || p.Email != "q@example.org" || len(p.Identifiers) != 1 {
		t.Fatalf("merged demographics %+v: want the practice's phone kept, the email and identifier added", p)
	}
	if !strings.Contains(strings.Join(out.Kept, ","), "phone") || !strings.Contains(strings.Join(out.Filled, ","), "email") {
		t.Fatalf("outcome says filled %v kept %v; want email filled and phone kept", out.Filled, out.Kept)
	}
	// The same person from another source, under a changed name: the
	// identifier the first import added finds the chart.
	other := importBatch(ids, "e", "Quilla", "Marchbanks-Oduya", false)
	other.Patient.Identifiers = p.Identifiers
	out = must(doc.ImportPatient(ctxb, other, chart.ImportOptions{}))(t)
	if out.PatientID != charted.ID || out.Match != chart.MatchIdentifier {
		t.Fatalf("outcome %+v, want a merge into %s by identifier", out, charted.ID)
	}
}

func TestImportHoldsAnUncertainMatchAndAPersonResolvesIt(t *testing.T) {
	f, doc := importClinic(t)
	charted := register(t, doc, chart.Patient{GivenName: "Quill", FamilyName: "Marchbanks", BirthDate: "1958-07-30"})
	records, _ := recordCount(t, f.w)
	out := must(doc.ImportPatient(ctxb, importBatch(doc.ImportIDs(), "f", "Quilla", "Marchbanks", false),
		chart.ImportOptions{ImportID: "imp-9", File: "valley.json"}))(t)
	if !out.Held || out.PatientID != "" {
		t.Fatalf("outcome %+v, want the batch held", out)
	}
	if r, _ := recordCount(t, f.w); r != records {
		t.Fatal("a held batch wrote chart records")
	}
	scanForSecrets(t, f.dir, []string{"Quilla", "Wrist strapped", "a-MRN", "Claim"})
	// Importing it again while it waits does not queue it twice.
	must(doc.ImportPatient(ctxb, importBatch(doc.ImportIDs(), "f", "Quilla", "Marchbanks", false), chart.ImportOptions{}))(t)
	held := must(doc.HeldImports(ctxb))(t)
	if len(held) != 1 || held[0].Incoming.GivenName != "Quilla" || len(held[0].Candidates) != 1 ||
		held[0].Candidates[0].ID != charted.ID || held[0].Counts[chart.KindResult] != 1 {
		t.Fatalf("held imports %+v, want one with the charted candidate", held)
	}
	_, err := doc.ResolveHeldImport(ctxb, held[0].ID, chart.ImportOptions{})
	wantErr(t, err, chart.EINVALID, "matchTo")
	got := must(doc.ResolveHeldImport(ctxb, held[0].ID, chart.ImportOptions{MatchTo: charted.ID}))(t)
	if got.PatientID != charted.ID || got.Match != chart.MatchChosen || got.Imported[chart.KindAttachment] != 1 {
		t.Fatalf("resolved %+v, want the batch in the chosen chart with its attachment", got)
	}
	if len(must(doc.HeldImports(ctxb))(t)) != 0 {
		t.Fatal("the resolved batch is still waiting")
	}
	_, err = doc.ResolveHeldImport(ctxb, held[0].ID, chart.ImportOptions{NewPatient: true})
	wantErr(t, err, chart.ENOTFOUND, "")
}

func TestLabResultsNeverCreateAPatient(t *testing.T) {
	f, doc := importClinic(t)
	out := must(doc.ImportPatient(ctxb, importBatch(doc.ImportIDs(), "g", "Odile", "Fairweather", true),
		chart.ImportOptions{Lab: true, File: "lab.ndjson"}))(t)
	if !out.Held || out.Created {
		t.Fatalf("outcome %+v, want a lab batch with no chart held", out)
	}
	held := must(doc.HeldImports(ctxb))(t)
	if len(held) != 1 || !held[0].LabResults {
		t.Fatalf("held %+v", held)
	}
	_, err := doc.ResolveHeldImport(ctxb, held[0].ID, chart.ImportOptions{NewPatient: true})
	wantErr(t, err, chart.EINVALID, "matchTo")
	if err := doc.DismissHeldImport(ctxb, held[0].ID, ""); chart.ErrorCode(err) != chart.EINVALID {
		t.Fatalf("dismiss without a reason: %v", err)
	}
	if err := doc.DismissHeldImport(ctxb, held[0].ID, "not our patient"); err != nil {
		t.Fatal(err)
	}
	if len(must(doc.HeldImports(ctxb))(t)) != 0 {
		t.Fatal("dismissed batch still held")
	}
	entries := actionDetails(t, f, chart.AuditImport)
	if !strings.Contains(entries, "dismissed an incoming patient from lab.ndjson") || !strings.Contains(entries, "not our patient") {
		t.Fatalf("audit lacks the dismissal: %s", entries)
	}
}

func TestImportedNotesAreSignedAndReadOnly(t *testing.T) {
	_, doc := importClinic(t)
	batch := importBatch(doc.ImportIDs(), "h", "Perpetua", "Langstroth", false)
	out := must(doc.ImportPatient(ctxb, batch, chart.ImportOptions{}))(t)
	n := must(doc.Note(ctxb, batch.Notes[0].ID))(t)
	if !n.Signed() || n.Signature.SignerName != "Dr. Hal Quinlan (imported from Valley Hospital)" || n.Imported == nil ||
		n.Signature.ContentHash != noteContentHash(&n) || n.PatientID != out.PatientID {
		t.Fatalf("imported note %+v signature %+v", n, n.Signature)
	}
	wantLocked(t, doc, n.ID, true)
	edit := n
	edit.Sections[0].Text = "Changed"
	_, err := doc.SaveNoteDraft(ctxb, edit)
	wantErr(t, err, chart.ECONFLICT, "")
	_, err = doc.SignNote(ctxb, n.ID, n.Version)
	wantErr(t, err, chart.ECONFLICT, "")
	add := must(doc.StartAddendum(ctxb, n.ID))(t)
	if add.AddendumTo != n.ID {
		t.Fatalf("addendum %+v", add)
	}
}

func TestExternalResultsAwaitReviewAndMigratedOnesDoNot(t *testing.T) {
	_, doc := importClinic(t)
	must(doc.ImportPatient(ctxb, importBatch(doc.ImportIDs(), "i", "Migrated", "Person", false), chart.ImportOptions{}))(t)
	if got := must(doc.ResultsToReview(ctxb))(t); len(got) != 0 {
		t.Fatalf("a migration's past results await review: %+v", got)
	}
	ext := importBatch(doc.ImportIDs(), "j", "Outside", "Stranger", true)
	if out := must(doc.ImportPatient(ctxb, ext, chart.ImportOptions{}))(t); !out.Created {
		t.Fatalf("outcome %+v", out)
	}
	got := must(doc.ResultsToReview(ctxb))(t)
	if len(got) != 1 || got[0].Origin == nil || !got[0].Origin.External || got[0].Origin.System != "Valley Hospital" ||
		len(got[0].AttachmentIDs) != 1 {
		t.Fatalf("results to review %+v, want the outside result with its source and report", got)
	}
	a, data := must2(doc.AttachmentData(ctxb, got[0].AttachmentIDs[0]))(t)
	if a.FileName != "cbc.pdf" || string(data) != string(samplePDF) {
		t.Fatalf("attachment %+v", a)
	}
}

func TestImportIsAuditedOncePerPatient(t *testing.T) {
	f, doc := importClinic(t)
	before := countRows(t, f.w, "audit_log")
	out := must(doc.ImportPatient(ctxb, importBatch(doc.ImportIDs(), "k", "Audrey", "Counted", false),
		chart.ImportOptions{ImportID: "imp-42", File: "synthea/Audrey.json"}))(t)
	if n := countRows(t, f.w, "audit_log") - before; n != 1 {
		t.Fatalf("import wrote %d audit entries, want 1", n)
	}
	entries := actionDetails(t, f, chart.AuditImport)
	for _, want := range []string{"synthea/Audrey.json", "imp-42", "1 procedure", "1 result", "new chart"} {
		if !strings.Contains(entries, want) {
			t.Fatalf("import audit %q lacks %q", entries, want)
		}
	}
	_ = out
}

func TestPatientRecordsIsTheWholeCurrentChartAndAudited(t *testing.T) {
	f, doc := importClinic(t)
	batch := importBatch(doc.ImportIDs(), "l", "Export", "Able", false)
	out := must(doc.ImportPatient(ctxb, batch, chart.ImportOptions{}))(t)
	if err := doc.MarkEnteredInError(ctxb, chart.KindProblem, batch.Problems[0].ID, "wrong patient"); err != nil {
		t.Fatal(err)
	}
	_, err := doc.PatientRecords(ctxb, out.PatientID, "")
	wantErr(t, err, chart.EINVALID, "purpose")
	recs := must(doc.PatientRecords(ctxb, out.PatientID, "FHIR export for Dr Ames"))(t)
	if len(recs.Problems) != 0 || len(recs.Encounters) != 1 || len(recs.Procedures) != 1 || len(recs.Sources) != 1 ||
		len(recs.Notes) != 1 || len(recs.Attachments) != 1 || string(recs.Attachments[0].Data) != string(samplePDF) ||
		len(recs.Attachments[0].ResultIDs) != 1 || recs.Patient.ID != out.PatientID {
		t.Fatalf("exported %+v", recs)
	}
	if recs.Procedures[0].Code.Code != "274474001" || recs.Encounters[0].End != "2026-03-02T13:40" {
		t.Fatalf("exported records lost fields: %+v %+v", recs.Procedures[0], recs.Encounters[0])
	}
	entries := actionDetails(t, f, chart.AuditExport)
	if !strings.Contains(entries, "FHIR export for Dr Ames") {
		t.Fatalf("export audit %q", entries)
	}
	ids := must(doc.AllPatientIDs(ctxb))(t)
	if len(ids) != 1 || ids[0] != out.PatientID {
		t.Fatalf("all patients %v", ids)
	}
	if _, err := f.admin.PatientRecords(ctxb, out.PatientID, "practice migration"); err != nil {
		t.Fatalf("an administrator may export: %v", err)
	}
}

func TestFrontDeskMayNotImport(t *testing.T) {
	f, _ := importClinic(t)
	f.addUser(t, f.admin, "fran", chart.RoleFrontDesk, clinicianPass)
	desk := f.signIn(t, "fran", clinicianPass)
	_, err := desk.ImportPatient(ctxb, importBatch(desk.ImportIDs(), "m", "No", "Way", false), chart.ImportOptions{})
	wantErr(t, err, chart.EFORBIDDEN, "")
}
