package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/merge"
)

// syncedClinic is two workstations of one practice, each with the same
// clinician signed in (only a draft's author may edit or sign it).
type syncedClinic struct {
	server     *practiceServer
	a, b       syncingWorkstation
	docA, docB *Session
	patient    chart.Patient
}

func newSyncedClinic(t *testing.T) *syncedClinic {
	t.Helper()
	c := &syncedClinic{server: newPracticeServer(t)}
	fa := newFixture(t)
	fa.addUser(t, fa.admin, "cleo", chart.RoleClinician, clinicianPass)
	c.a = syncingWorkstation{fa, c.server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	c.b = syncingWorkstation{fb, c.server.enroll(t, fb.admin)}
	c.docA, c.docB = fa.signIn(t, "cleo", clinicianPass), fb.signIn(t, "cleo", clinicianPass)
	c.patient = register(t, fa.admin, samplePatient("Ottoline", "Vexworthy"))
	return c
}

// newClinicWithPatients is newSyncedClinic with n more patients named
// after name registered on A, synced to B; ids are all of its patients.
func newClinicWithPatients(t *testing.T, n int, name string) (c *syncedClinic, ids []chart.PatientID) {
	t.Helper()
	c = newSyncedClinic(t)
	ids = []chart.PatientID{c.patient.ID}
	for i := range n {
		ids = append(ids, register(t, c.a.admin, samplePatient(name, fmt.Sprintf("%s%d", name, i))).ID)
	}
	c.roundTrip(t)
	return c, ids
}

// roundTrip syncs A, then B, then A: afterwards both hold every change.
func (c *syncedClinic) roundTrip(t *testing.T) {
	t.Helper()
	c.a.sync(t)
	c.b.sync(t)
	c.a.sync(t)
}

// TestSyncClinicalKinds charts a visit on A and checks B shows it, then
// that a retraction beats a concurrent edit and a signing beats a
// concurrent draft edit, on both workstations.
func TestSyncClinicalKinds(t *testing.T) {
	c := newSyncedClinic(t)
	p := c.patient.ID
	enc := must(c.docA.SaveEncounter(ctxb, sampleEncounter(p)))(t)
	note := must(c.docA.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Quarrelsome cough since Tuesday")))(t)
	must(c.docA.SignNote(ctxb, note.ID, note.Version))(t)
	allergy := must(c.docA.SaveAllergy(ctxb, sampleAllergy(p, "Pennywhistle pollen")))(t)
	must(c.docA.SaveMedication(ctxb, sampleMed(p, "Lisinopril 10 MG Oral Tablet"), ""))(t)
	must(c.docA.RecordVitals(ctxb, p, enc.ID, "2026-11-23T08:35", chart.VitalsEntry{HeartRate: reading(72)}))(t)
	result := must(c.docA.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Hb"}, Value: "12"}))(t)
	c.a.sync(t)
	// Other kinds (audit entries, users) may travel too; count the chart's.
	if r, n := c.b.sync(t), chartChanges(t, c.b.w); n != 8 || r.Conflicts != 0 {
		t.Fatalf("B's first sync %+v holds %d chart changes, want 8 (patient, encounter, note twice, allergy, med, "+
			"vitals, result) and no conflict", r, n)
	}

	sum := must(c.docB.ChartSummary(ctxb, p))(t)
	if sum.AllergyStatus != chart.AllergiesListed || len(sum.Allergies) != 1 || len(sum.Medications) != 1 ||
		sum.LatestVitals == nil || len(sum.ResultsToReview) != 1 {
		t.Fatalf("B's chart summary = %+v; want the allergy, medication, vitals and a result to review from A", sum)
	}
	if !timelineHas(sum.Timeline, note.ID, "signed") || !timelineHas(sum.Timeline, enc.ID, "") {
		t.Fatalf("B's timeline %+v lacks the encounter or the signed note", sum.Timeline)
	}
	if n := must(c.docB.Note(ctxb, note.ID))(t); !n.Signed() || !strings.Contains(n.Sections[0].Text, "Quarrelsome") {
		t.Fatalf("B's note = %+v, want A's signed note", n)
	}
	wantLocked(t, c.docB, note.ID, true)

	c.acknowledgeWhileEdited(t, result)
	c.retractWhileEdited(t, allergy)
	c.signWhileEdited(t, enc.ID)
	wantNoPlaintext(t, c.server.dir, []string{"Quarrelsome", "Pennywhistle", "Lisinopril", "Vexworthy",
		"Sore throat", "Xanthic", "Zymurgic", "anaphylaxis"})
}

// acknowledgeWhileEdited: B acknowledges the result while A corrects its
// value. The merge keeps both, and to_review follows the merged result
// (reviewed), whichever side's change it is shown under.
func (c *syncedClinic) acknowledgeWhileEdited(t *testing.T, result chart.Result) {
	t.Helper()
	must(c.docB.AcknowledgeResult(ctxb, result.ID))(t)
	result.Value = "12.4"
	must(c.docA.SaveResult(ctxb, result))(t)
	c.roundTrip(t)
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		list := must(s.Results(ctxb, c.patient.ID))(t)
		if len(list) != 1 || list[0].Value != "12.4" || list[0].ReviewedAt == nil {
			t.Fatalf("%s results %+v, want A's value and B's review", who, list)
		}
		if sum := must(s.ChartSummary(ctxb, c.patient.ID))(t); len(sum.ResultsToReview) != 0 {
			t.Fatalf("%s still has %d results to review after the merge", who, len(sum.ResultsToReview))
		}
	}
}

// retractWhileEdited: B marks the allergy entered in error while A edits
// its reaction offline. The retraction wins on both; A's edit touched
// another field, so it is kept in the (retracted) record, not a conflict.
func (c *syncedClinic) retractWhileEdited(t *testing.T, allergy chart.Allergy) {
	t.Helper()
	if err := c.docB.MarkEnteredInError(ctxb, chart.KindAllergy, allergy.ID, "wrong patient"); err != nil {
		t.Fatal(err)
	}
	allergy.Reaction = "anaphylaxis"
	must(c.docA.SaveAllergy(ctxb, allergy))(t)
	c.roundTrip(t)
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		if list := must(s.Allergies(ctxb, c.patient.ID))(t); len(list) != 0 {
			t.Fatalf("%s still lists %+v, want the allergy retracted", who, list)
		}
		row, err := loadClinicalRow(ctxb, s.w.db, chart.KindAllergy, allergy.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := openClinical[chart.Allergy](s.key, row)
		if err != nil || got.EnteredInError == nil || got.EnteredInError.Reason != "wrong patient" || got.Reaction != "anaphylaxis" {
			t.Fatalf("%s allergy = %+v (%v), want retracted with A's reaction kept", who, got, err)
		}
		if cs := sealedConflicts(t, s, chart.KindAllergy, string(allergy.ID)); len(cs) != 0 {
			t.Fatalf("%s keeps conflicts %+v for edits of different fields", who, cs)
		}
	}
}

// signWhileEdited: A signs a draft while B (the same clinician) edits it
// offline. Both end with the signed content, locked; B's edit is kept as
// a conflict against the signed note.
func (c *syncedClinic) signWhileEdited(t *testing.T, enc chart.RecordID) {
	t.Helper()
	draft := must(c.docA.SaveNoteDraft(ctxb, sampleNote(c.patient.ID, enc, "Xanthic sputum, no fever")))(t)
	c.roundTrip(t)
	must(c.docA.SignNote(ctxb, draft.ID, draft.Version))(t)
	edit := must(c.docB.Note(ctxb, draft.ID))(t)
	edit.Sections[0].Text = "Zymurgic smell noted"
	must(c.docB.SaveNoteDraft(ctxb, edit))(t)
	c.roundTrip(t)
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		n, err := s.Note(ctxb, draft.ID)
		if err != nil || !n.Signed() || n.Sections[0].Text != "Xanthic sputum, no fever" {
			t.Fatalf("%s note = %+v (%v), want the signed content", who, n, err)
		}
		wantLocked(t, s, draft.ID, true)
		cs := sealedConflicts(t, s, chart.KindNote, string(draft.ID))
		if len(cs) != 1 || cs[0].Field != "sections" || !cs[0].AgainstSigned ||
			len(cs[0].Others) != 1 || !strings.Contains(string(cs[0].Others[0].Value), "Zymurgic") {
			t.Fatalf("%s conflicts %+v, want B's edit kept against the signed sections", who, cs)
		}
		if _, err := s.SaveNoteDraft(ctxb, n); chart.ErrorCode(err) != chart.ECONFLICT {
			t.Fatalf("%s editing the signed note: %v, want ECONFLICT", who, err)
		}
	}
}

// chartChanges counts the patient and clinical changes w holds.
func chartChanges(t *testing.T, w *Workstation) int {
	t.Helper()
	var n int
	err := w.db.QueryRow(`SELECT count(*) FROM changes WHERE kind IN (?, ?, ?, ?, ?, ?, ?)`, kindPatient,
		chart.KindEncounter, chart.KindNote, chart.KindAllergy, chart.KindMedication, chart.KindVitals, chart.KindResult).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func timelineHas(items []chart.TimelineItem, id chart.RecordID, status string) bool {
	for _, it := range items {
		if it.ID == id && (status == "" || it.Status == status) {
			return true
		}
	}
	return false
}

func wantLocked(t *testing.T, s *Session, id chart.RecordID, want bool) {
	t.Helper()
	row, err := loadClinicalRow(ctxb, s.w.db, chart.KindNote, id)
	if err != nil || row.locked != want {
		t.Fatalf("note %s locked = %v (%v), want %v", id, row.locked, err, want)
	}
}

// sealedConflicts opens the conflicts sync keeps for a record.
func sealedConflicts(t *testing.T, s *Session, kind, id string) []merge.Conflict {
	t.Helper()
	var sealed []byte
	err := s.w.db.QueryRow(`SELECT sealed FROM record_conflicts WHERE record_id = ? AND kind = ?`, id, kind).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	pt, err := s.key.Open(sealed, seal.AD(conflictsADLabel, kind, id))
	if err != nil {
		t.Fatalf("open conflicts of %s: %v", id, err)
	}
	var out []merge.Conflict
	if err := json.Unmarshal(pt, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSyncChartFlags: "no known allergies" recorded on A reaches B (its
// kind, "chart-flags", once stopped A's sync at the protocol check).
func TestSyncChartFlags(t *testing.T) {
	c := newSyncedClinic(t)
	p := c.patient.ID
	must(c.docA.SetChartFlags(ctxb, chart.ChartFlags{Meta: chart.Meta{PatientID: p}, NoKnownAllergies: true}))(t)
	c.roundTrip(t)
	if sum := must(c.docB.ChartSummary(ctxb, p))(t); sum.AllergyStatus != chart.AllergiesNone {
		t.Fatalf("B's allergy status = %q, want no known allergies from A", sum.AllergyStatus)
	}
}
