package sqlite

import (
	"crypto/rand"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/seal"
)

// One damaged record must not hide its neighbours: each list and the chart
// summary return every record that opens and a placeholder for the one that
// does not (a flipped bit on disk, or a blob sealed under a data key this
// workstation does not hold).

// damage spoils one record's current sealed row in one of two ways.
type damage func(t *testing.T, w *Workstation, id chart.RecordID)

var damages = map[string]damage{
	"bit flip": func(t *testing.T, w *Workstation, id chart.RecordID) {
		t.Helper()
		flipByte(t, w, "sealed", id)
		flipSummary(t, w, id)
	},
	"unknown key": func(t *testing.T, w *Workstation, id chart.RecordID) {
		t.Helper()
		foreignEpoch(t, w, "sealed", id)
		if hasSummary(t, w, id) {
			foreignEpoch(t, w, "sealed_summary", id)
		}
	},
}

// flipSummary flips a byte of a note's sealed summary too (the timeline
// reads it instead of the note).
func flipSummary(t *testing.T, w *Workstation, id chart.RecordID) {
	t.Helper()
	if hasSummary(t, w, id) {
		flipByte(t, w, "sealed_summary", id)
	}
}

func hasSummary(t *testing.T, w *Workstation, id chart.RecordID) bool {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`SELECT count(*) FROM records WHERE id = ? AND sealed_summary IS NOT NULL`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// foreignEpoch makes a valid blob look sealed under an epoch this
// workstation never held: "OE" and a random epoch id before it (the
// format of seal.Keyring.Seal).
func foreignEpoch(t *testing.T, w *Workstation, column string, id chart.RecordID) {
	t.Helper()
	var blob []byte
	if err := w.db.QueryRow(`SELECT `+column+` FROM records WHERE id = ?`, id).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	if seal.EpochOf(blob).IsRoot() {
		blob = append([]byte("OE"+strings.Repeat("\x00", seal.EpochIDSize)), blob...)
	}
	rand.Read(blob[2 : 2+seal.EpochIDSize])
	if _, err := w.db.Exec(`UPDATE records SET `+column+` = ? WHERE id = ?`, blob, id); err != nil {
		t.Fatal(err)
	}
}

// listCase saves two records of one kind and lists them.
type listCase struct {
	kind string
	// save saves the i-th record (0 or 1) and returns its id.
	save func(t *testing.T, c *clinic, i int) chart.RecordID
	// list lists the kind: each record's Meta, and whether its content
	// (a field only a record that opened has) is present.
	list func(c *clinic) ([]listed, error)
}

type listed struct {
	meta       chart.Meta
	hasContent bool
}

func metasOf[T any, P recordPtr[T]](xs []T, err error, content func(*T) bool) ([]listed, error) {
	out := make([]listed, len(xs))
	for i := range xs {
		out[i] = listed{*P(&xs[i]).RecordMeta(), content(&xs[i])}
	}
	return out, err
}

var drugs = []string{"Amoxicillin", "Metformin"}

func listCases() []listCase {
	p := func(c *clinic) chart.PatientID { return c.patient.ID }
	return []listCase{
		{chart.KindProblem, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.doc.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p(c)},
				Condition: chart.Coded{Display: drugs[i] + " problem"}, Status: chart.ProblemActive}))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Problems(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.Problem) bool { return x.Condition.Display != "" })
		}},
		{chart.KindMedication, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.doc.SaveMedication(ctxb, sampleMed(p(c), drugs[i]), ""))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Medications(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.Medication) bool { return x.Drug.Display != "" })
		}},
		{chart.KindAllergy, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.doc.SaveAllergy(ctxb, sampleAllergy(p(c), []string{"Latex", "Peanut"}[i])))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Allergies(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.Allergy) bool { return x.Substance.Display != "" })
		}},
		{chart.KindImmunization, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.doc.SaveImmunization(ctxb, chart.Immunization{Meta: chart.Meta{PatientID: p(c)},
				Vaccine: chart.Coded{Display: "MMR"}, Date: "2025-0" + string(rune('1'+i)) + "-01", Source: "historical"}))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Immunizations(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.Immunization) bool { return x.Vaccine.Display != "" })
		}},
		{chart.KindVitals, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.nurse.RecordVitals(ctxb, p(c), "", "2026-11-2"+string(rune('1'+i))+"T09:00",
				chart.VitalsEntry{HeartRate: reading(70)}))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Vitals(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.VitalsRecord) bool { return x.TakenAt != "" })
		}},
		{chart.KindResult, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p(c)},
				Test: chart.Coded{Display: drugs[i] + " level"}, Value: "5"}))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Results(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.Result) bool { return x.Test.Display != "" })
		}},
		{chart.KindEncounter, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.doc.SaveEncounter(ctxb, sampleEncounter(p(c))))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Encounters(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.Encounter) bool { return x.Start != "" })
		}},
		{chart.KindNote, func(t *testing.T, c *clinic, i int) chart.RecordID {
			return must(c.doc.SaveNoteDraft(ctxb, sampleNote(p(c), "", drugs[i])))(t).ID
		}, func(c *clinic) ([]listed, error) {
			xs, err := c.doc.Notes(ctxb, p(c))
			return metasOf(xs, err, func(x *chart.Note) bool { return x.Title != "" })
		}},
	}
}

func TestDamagedRecordIsAPlaceholderInItsList(t *testing.T) {
	for how, spoil := range damages {
		for _, lc := range listCases() {
			t.Run(how+"/"+lc.kind, func(t *testing.T) {
				c := newClinic(t)
				good, bad := lc.save(t, c, 0), lc.save(t, c, 1)
				spoil(t, c.w, bad)
				got, err := lc.list(c)
				if err != nil {
					t.Fatalf("list with one damaged %s: %v", lc.kind, err)
				}
				if len(got) != 2 {
					t.Fatalf("listed %d records, want the good one and a placeholder: %+v", len(got), got)
				}
				for _, r := range got {
					switch r.meta.ID {
					case good:
						if r.meta.IsDamaged() || !r.hasContent {
							t.Errorf("the intact %s came back as %+v", lc.kind, r)
						}
					case bad:
						wantPlaceholder(t, r.meta, lc.kind, c.patient.ID)
						if r.hasContent {
							t.Errorf("placeholder has content: %+v", r)
						}
					default:
						t.Errorf("unexpected record %+v", r)
					}
				}
				wantAuditSays(t, c, c.patient.ID, string(bad))
			})
		}
	}
}

func wantPlaceholder(t *testing.T, m chart.Meta, kind string, patient chart.PatientID) {
	t.Helper()
	if m.PatientID != patient || m.Version != 1 || !strings.Contains(m.Damaged, "This "+nounFor(kind)+" could not be opened") ||
		!strings.Contains(m.Damaged, "administrator") {
		t.Errorf("placeholder = %+v, want ids, version 1 and the damaged message", m)
	}
}

// wantAuditSays checks that a chart read of patient was audited naming
// the damaged record.
func wantAuditSays(t *testing.T, c *clinic, patient chart.PatientID, id string) {
	t.Helper()
	entries := must(c.admin.Audit(ctxb, chart.AuditFilter{PatientID: patient, Action: chart.AuditChartOpen}))(t)
	for _, e := range entries {
		if strings.Contains(e.Detail, "could not be opened: ") && strings.Contains(e.Detail, id) {
			return
		}
	}
	t.Errorf("no chart read audit names damaged record %s: %+v", id, entries)
}

func TestChartSummaryShowsPlaceholders(t *testing.T) {
	for how, spoil := range damages {
		t.Run(how, func(t *testing.T) {
			c := newClinic(t)
			p := c.patient.ID
			goodAllergy := must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Latex")))(t)
			badAllergy := must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Peanut")))(t)
			goodMed := must(c.doc.SaveMedication(ctxb, sampleMed(p, "Metformin"), ""))(t)
			badMed := must(c.doc.SaveMedication(ctxb, sampleMed(p, "Amoxicillin"), ""))(t)
			goodProblem := must(c.doc.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p},
				Condition: chart.Coded{Display: "Asthma"}, Status: chart.ProblemActive}))(t)
			badProblem := must(c.doc.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p},
				Condition: chart.Coded{Display: "Gout"}, Status: chart.ProblemActive}))(t)
			older := must(c.nurse.RecordVitals(ctxb, p, "", "2026-11-20T09:00", chart.VitalsEntry{HeartRate: reading(70)}))(t)
			newer := must(c.nurse.RecordVitals(ctxb, p, "", "2026-11-22T09:00", chart.VitalsEntry{HeartRate: reading(90)}))(t)
			enc := must(c.doc.SaveEncounter(ctxb, sampleEncounter(p)))(t)
			badEnc := must(c.doc.SaveEncounter(ctxb, sampleEncounter(p)))(t)
			note := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Good.")))(t)
			badNote := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Spoilt.")))(t)
			badResult := must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p},
				Test: chart.Coded{Display: "Hb"}, Value: "12"}))(t)
			for _, id := range []chart.RecordID{badAllergy.ID, badMed.ID, badProblem.ID, newer.ID, badEnc.ID, badNote.ID, badResult.ID} {
				spoil(t, c.w, id)
			}

			sum, err := c.doc.ChartSummary(ctxb, p)
			if err != nil {
				t.Fatalf("summary with damaged records: %v", err)
			}
			if sum.AllergyStatus != chart.AllergiesListed || !sameIDs(metaIDs(sum.Allergies), goodAllergy.ID, badAllergy.ID) {
				t.Errorf("allergies = %s %+v", sum.AllergyStatus, sum.Allergies)
			}
			if !sameIDs(metaIDs(sum.Medications), goodMed.ID, badMed.ID) {
				t.Errorf("current medications = %+v, want the good one and the placeholder", sum.Medications)
			}
			if len(sum.Problems) != 2 || sum.Problems[0].ID != badProblem.ID || sum.Problems[1].ID != goodProblem.ID {
				t.Errorf("problems = %+v, want the placeholder first, then the active one", sum.Problems)
			}
			for _, m := range []chart.Meta{sum.Allergies[1].Meta, sum.Medications[1].Meta, sum.Problems[0].Meta} {
				if !m.IsDamaged() {
					t.Errorf("not a placeholder: %+v", m)
				}
			}
			if sum.LatestVitals == nil || sum.LatestVitals.ID != older.ID || sum.DamagedVitals == nil ||
				sum.DamagedVitals.ID != newer.ID || !sum.DamagedVitals.IsDamaged() {
				t.Errorf("latest vitals = %+v, damaged = %+v", sum.LatestVitals, sum.DamagedVitals)
			}
			if len(sum.ResultsToReview) != 1 || !sum.ResultsToReview[0].IsDamaged() {
				t.Errorf("results to review = %+v, want the placeholder", sum.ResultsToReview)
			}
			var damagedItems []chart.RecordID
			var intact int
			for _, it := range sum.Timeline {
				if it.Damaged != "" {
					damagedItems = append(damagedItems, it.ID)
				} else if it.ID == enc.ID || it.ID == note.ID {
					intact++
				}
			}
			if !sameIDs(damagedItems, badEnc.ID, badNote.ID) || intact != 2 || len(sum.Timeline) != 4 {
				t.Errorf("timeline = %+v", sum.Timeline)
			}
			for _, id := range []chart.RecordID{badAllergy.ID, badMed.ID, newer.ID, badNote.ID} {
				wantAuditSays(t, c, p, string(id))
			}
		})
	}
}

func metaIDs[T any, P recordPtr[T]](xs []T) []chart.RecordID {
	var out []chart.RecordID
	for i := range xs {
		out = append(out, P(&xs[i]).RecordMeta().ID)
	}
	return out
}

func sameIDs(got []chart.RecordID, want ...chart.RecordID) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[chart.RecordID]bool{}
	for _, id := range got {
		seen[id] = true
	}
	for _, id := range want {
		if !seen[id] {
			return false
		}
	}
	return true
}

// TestDamagedAllergyIsNeverNoKnownAllergies: a chart whose only allergy
// (or whose "no known allergies" statement) does not open cannot say
// whether the patient has allergies.
func TestDamagedAllergyIsNeverNoKnownAllergies(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	a := must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Peanut")))(t)
	flipByte(t, c.w, "sealed", a.ID)
	sum := must(c.doc.ChartSummary(ctxb, p))(t)
	if sum.AllergyStatus != chart.AllergiesUnreadable || len(sum.Allergies) != 1 || !sum.Allergies[0].IsDamaged() {
		t.Errorf("only allergy damaged: status %q, allergies %+v", sum.AllergyStatus, sum.Allergies)
	}

	other := register(t, c.desk, samplePatient("Nka", "Statement"))
	flags := must(c.doc.SetChartFlags(ctxb, chart.ChartFlags{Meta: chart.Meta{PatientID: other.ID}, NoKnownAllergies: true}))(t)
	if s := must(c.doc.ChartSummary(ctxb, other.ID))(t); s.AllergyStatus != chart.AllergiesNone {
		t.Fatalf("before: %q", s.AllergyStatus)
	}
	flipByte(t, c.w, "sealed", flags.ID)
	if s := must(c.doc.ChartSummary(ctxb, other.ID))(t); s.AllergyStatus != chart.AllergiesUnreadable {
		t.Errorf("damaged no-known-allergies statement: status %q, want %q", s.AllergyStatus, chart.AllergiesUnreadable)
	}
}

func TestSavingAPlaceholderIsRefused(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	must(c.doc.SaveMedication(ctxb, sampleMed(p, "Metformin"), ""))(t)
	bad := must(c.doc.SaveMedication(ctxb, sampleMed(p, "Amoxicillin"), ""))(t)
	flipByte(t, c.w, "sealed", bad.ID)
	meds := must(c.doc.Medications(ctxb, p))(t)
	var ph chart.Medication
	for _, m := range meds {
		if m.IsDamaged() {
			ph = m
		}
	}
	if ph.ID != bad.ID {
		t.Fatalf("no placeholder in %+v", meds)
	}
	before, spoilt := tableCounts(t, c.w), sealedOf(t, c.w, bad.ID)
	_, err := c.doc.SaveMedication(ctxb, ph, "")
	de := wantErr(t, err, chart.EINTEGRITY, "")
	if !strings.Contains(de.Message, "cannot be changed") {
		t.Errorf("message %q does not say the medication cannot be changed", de.Message)
	}
	// The same edit without the mark (as a client that drops it would
	// send it) is refused too: the version it replaces does not open.
	edit := ph
	edit.Damaged, edit.Drug, edit.Status = "", chart.Coded{Display: "Overwritten"}, chart.MedActive
	edit.Dose, edit.Unit, edit.Route, edit.Frequency, edit.StartDate = "1", "mg", "oral", "daily", "2026-11-23"
	_, err = c.doc.SaveMedication(ctxb, edit, "")
	wantErr(t, err, chart.EINTEGRITY, "")
	if after := tableCounts(t, c.w); after["records"] != before["records"] || after["changes"] != before["changes"] {
		t.Errorf("a refused save wrote: %v → %v", before, after)
	}
	if after := sealedOf(t, c.w, bad.ID); string(after) != string(spoilt) {
		t.Error("the damaged version was replaced")
	}
}

func sealedOf(t *testing.T, w *Workstation, id chart.RecordID) []byte {
	t.Helper()
	var sealed []byte
	if err := w.db.QueryRow(`SELECT sealed FROM records WHERE id = ?`, id).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	return sealed
}

// TestSealedDamagedMarkIsIgnored: the mark is the store's, set only when a
// record does not open; a record sealed with it (a forged change) opens as
// a record like any other.
func TestSealedDamagedMarkIsIgnored(t *testing.T) {
	c := newClinic(t)
	m := must(c.doc.SaveMedication(ctxb, sampleMed(c.patient.ID, "Metformin"), ""))(t)
	var head chart.ChangeID
	c.w.db.QueryRow(`SELECT head_change_id FROM records WHERE id = ?`, m.ID).Scan(&head)
	m.Damaged = "forged"
	sealed, err := sealClinical(c.doc.key, chart.KindMedication, &m.Meta, &m, head)
	if err != nil {
		t.Fatal(err)
	}
	c.w.db.Exec(`UPDATE records SET sealed = ? WHERE id = ?`, sealed, m.ID)
	meds := must(c.doc.Medications(ctxb, c.patient.ID))(t)
	if len(meds) != 1 || meds[0].IsDamaged() || meds[0].Drug.Display != "Metformin" {
		t.Errorf("medications = %+v", meds)
	}
}

// TestListStillFailsOnAStoreError: only an integrity failure becomes a
// placeholder; a row the store cannot even read fails the list.
func TestListStillFailsOnAStoreError(t *testing.T) {
	c := newClinic(t)
	m := must(c.doc.SaveMedication(ctxb, sampleMed(c.patient.ID, "Metformin"), ""))(t)
	if _, err := c.w.db.Exec(`UPDATE records SET version = 'one' WHERE id = ?`, m.ID); err != nil {
		t.Fatal(err)
	}
	_, err := c.doc.Medications(ctxb, c.patient.ID)
	if code := chart.ErrorCode(err); code != chart.EINTERNAL {
		t.Errorf("list over an unreadable row: %v (code %q), want an internal error", err, code)
	}
}

// TestDamagedAfterKeyChange: records sealed under a changed practice key
// (an epoch of its own) whose blob names an epoch this workstation does not
// hold become placeholders too.
func TestDamagedAfterKeyChange(t *testing.T) {
	c := newClinic(t)
	must(c.admin.RotatePracticeKey(ctxb, "laptop lost"))(t)
	c.doc = c.signIn(t, "cleo", clinicianPass) // signs in with the new key current
	good := must(c.doc.SaveMedication(ctxb, sampleMed(c.patient.ID, "Metformin"), ""))(t)
	bad := must(c.doc.SaveMedication(ctxb, sampleMed(c.patient.ID, "Amoxicillin"), ""))(t)
	if seal.EpochOf(sealedOf(t, c.w, bad.ID)).IsRoot() {
		t.Fatal("saved under the root key after the key changed")
	}
	foreignEpoch(t, c.w, "sealed", bad.ID)
	meds := must(c.doc.Medications(ctxb, c.patient.ID))(t)
	if len(meds) != 2 || meds[0].ID != good.ID || meds[0].IsDamaged() || meds[1].ID != bad.ID {
		t.Fatalf("medications = %+v", meds)
	}
	wantPlaceholder(t, meds[1].Meta, chart.KindMedication, c.patient.ID)
}

func TestSafetyCheckSaysWhatItCouldNotCheck(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	a := must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Penicillin")))(t)
	flipByte(t, c.w, "sealed", a.ID)
	alerts := must(c.doc.CheckMedication(ctxb, sampleMed(p, "Amoxicillin")))(t)
	if len(alerts) != 1 || alerts[0].Kind != "unchecked" || !strings.Contains(alerts[0].Message, "1 allergy record") {
		t.Fatalf("alerts = %+v, want one saying an allergy could not be checked", alerts)
	}
	_, err := c.doc.SaveMedication(ctxb, sampleMed(p, "Amoxicillin"), "")
	wantErr(t, err, chart.EINVALID, "overrideReason")
	must(c.doc.SaveMedication(ctxb, sampleMed(p, "Amoxicillin"), "Asked the patient: no allergies to it."))(t)
}

func TestPatientListCountsUnreadablePatients(t *testing.T) {
	f := newFixture(t)
	victim := register(t, f.admin, samplePatient("Tamper", "Victim"))
	register(t, f.admin, samplePatient("Safe", "Bystander"))
	flipByte(t, f.w, "sealed", chart.RecordID(victim.ID))

	s := f.signIn(t, "ada", adminPass)
	for _, q := range []string{"", "Bystander"} {
		found := must(s.FindPatients(ctxb, q, 50))(t)
		if found.Unreadable != 1 || len(found.Patients) != 1 || found.Patients[0].FamilyName != "Bystander" {
			t.Errorf("FindPatients(%q) = %+v, want the bystander and 1 unreadable", q, found)
		}
	}
	entries := must(s.Audit(ctxb, chart.AuditFilter{Action: chart.AuditSearch, Limit: 1}))(t)
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, "1 patient record could not be opened") {
		t.Errorf("search audit = %+v", entries)
	}
	// Once the record is gone from this workstation it is no longer counted.
	if _, err := f.w.db.Exec(`DELETE FROM records WHERE id = ?`, victim.ID); err != nil {
		t.Fatal(err)
	}
	if found := must(s.FindPatients(ctxb, "", 50))(t); found.Unreadable != 0 {
		t.Errorf("after the record left: %d unreadable", found.Unreadable)
	}
}
