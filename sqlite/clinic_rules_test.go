package sqlite

import (
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
)

// Prescribing belongs to clinicians: the store refuses a nurse's
// "prescribed here" medication whatever the UI offers, and writes nothing.
func TestMedicationNurseMayNotPrescribe(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	prescribed := sampleMed(p, "Amoxicillin 500 mg oral capsule")
	prescribed.Source = chart.MedPrescribedHere
	_, err := c.nurse.CheckMedication(ctxb, prescribed)
	wantErr(t, err, chart.EFORBIDDEN, "source")
	before := tableCounts(t, c.w)
	_, err = c.nurse.SaveMedication(ctxb, prescribed, "")
	if de := wantErr(t, err, chart.EFORBIDDEN, "source"); !strings.Contains(de.Message, "Reported by patient") {
		t.Errorf("message does not say what to do instead: %q", de.Message)
	}
	if after := tableCounts(t, c.w); after["records"] != before["records"] || after["changes"] != before["changes"] {
		t.Fatalf("a refused prescription wrote rows: %v → %v", before, after)
	}
	// What the patient reports, the nurse records, with no prescriber.
	reported := sampleMed(p, "Ibuprofen 200 mg oral tablet")
	reported.Source = chart.MedPatientReported
	got := must(c.nurse.SaveMedication(ctxb, reported, ""))(t)
	if got.Source != chart.MedPatientReported || got.PrescriberID != "" {
		t.Errorf("reported medication = %+v", got)
	}
	// A clinician's prescription, attributed to the clinician.
	rx := must(c.doc.SaveMedication(ctxb, prescribed, ""))(t)
	if rx.PrescriberID != c.doc.user.ID {
		t.Errorf("prescriber = %q, want the clinician", rx.PrescriberID)
	}
	// The nurse may record that it was stopped, not change the dose.
	redosed := rx
	redosed.Dose = "1000"
	_, err = c.nurse.SaveMedication(ctxb, redosed, "")
	wantErr(t, err, chart.EFORBIDDEN, "source")
	stopped := rx
	stopped.Status, stopped.StopDate, stopped.StopReason = chart.MedStopped, "2026-11-23", "rash"
	if got := must(c.nurse.SaveMedication(ctxb, stopped, ""))(t); got.Status != chart.MedStopped || got.PrescriberID != c.doc.user.ID {
		t.Errorf("stopped = %+v", got)
	}
}

// A 13-month-old's vitals are judged against a toddler's ranges and get
// no BMI; the store reads the age from the sealed patient record.
func TestVitalsUseThePatientsAge(t *testing.T) {
	c := newClinic(t)
	child := samplePatient("Ila", "Toddler")
	child.BirthDate = "2025-10-20" // 13 months on the test clock's 2026-11-23
	child = register(t, c.desk, child)
	e := chart.VitalsEntry{HeartRate: reading(130), RespiratoryRate: reading(30), Weight: reading(10), Height: reading(76)}
	v := must(c.nurse.RecordVitals(ctxb, child.ID, "", "2026-11-23T09:00", e))(t)
	if len(v.Flags) != 0 || v.Signs.BMI != nil {
		t.Errorf("13-month-old: flags %+v, BMI %v; want none", v.Flags, v.Signs.BMI)
	}
	adult := must(c.nurse.RecordVitals(ctxb, c.patient.ID, "", "2026-11-23T09:00", e))(t)
	if len(adult.Flags) == 0 || adult.Signs.BMI == nil {
		t.Errorf("adult: flags %+v, BMI %v; want flags and a BMI", adult.Flags, adult.Signs.BMI)
	}
	_, err := c.nurse.RecordVitals(ctxb, child.ID, "", "2025-10-01T09:00", e)
	wantErr(t, err, chart.EINVALID, "takenAt")
}

// A date of birth is read as typed, in the practice's date order, which
// defaults from its units and can be set.
func TestPatientBirthDateInThePracticeOrder(t *testing.T) {
	c := newClinic(t)
	typed := func(s *Session, dob string) (chart.Patient, error) {
		p := samplePatient("Typed", "Dob"+fmt.Sprint(len(dob)))
		p.BirthDate = dob
		return s.RegisterPatient(ctxb, p)
	}
	if p := must(typed(c.desk, "12 Mar 1980"))(t); p.BirthDate != "1980-03-12" {
		t.Errorf("12 Mar 1980 stored as %q", p.BirthDate)
	}
	if o := must(c.desk.DateOrder(ctxb))(t); o != chart.DateOrderDMY {
		t.Errorf("metric practice date order %q", o)
	}
	if p := must(typed(c.desk, "03/12/1980"))(t); p.BirthDate != "1980-12-03" {
		t.Errorf("day-first practice: 03/12/1980 stored as %q", p.BirthDate)
	}
	must(c.admin.SetPracticeUnits(ctxb, chart.USUnits()))(t)
	if o := must(c.desk.DateOrder(ctxb))(t); o != chart.DateOrderMDY {
		t.Errorf("US practice date order %q", o)
	}
	if p := must(typed(c.desk, "03/12/1980"))(t); p.BirthDate != "1980-03-12" {
		t.Errorf("month-first practice: 03/12/1980 stored as %q", p.BirthDate)
	}
	_, err := typed(c.desk, "31/12/1980")
	if de := wantErr(t, err, chart.EINVALID, "birthDate"); !strings.Contains(de.Message, "31 Dec 1980") {
		t.Errorf("wrong-order message: %q", de.Message)
	}
	us := chart.USUnits()
	us.DateOrder = chart.DateOrderDMY
	must(c.admin.SetPracticeUnits(ctxb, us))(t)
	if p := must(typed(c.desk, "03/12/1980"))(t); p.BirthDate != "1980-12-03" {
		t.Errorf("chosen day-first order: 03/12/1980 stored as %q", p.BirthDate)
	}
	_, err = c.admin.SetPracticeUnits(ctxb, chart.PracticeUnits{DateOrder: "ymd"})
	wantErr(t, err, chart.EINVALID, "dateOrder")
	// The duplicate check compares the date as it will be stored.
	dupe := samplePatient(c.patient.GivenName, c.patient.FamilyName)
	dupe.BirthDate, dupe.Phone = "12 Apr 1961", ""
	if d := must(c.desk.DuplicateCandidates(ctxb, dupe))(t); len(d) != 1 || d[0].Patient.ID != c.patient.ID {
		t.Errorf("duplicates for a typed date of birth = %+v", d)
	}
}

func TestPatientFormErrorsAllAtOnce(t *testing.T) {
	c := newClinic(t)
	p := samplePatient("", "\u202Eeoj")
	p.BirthDate, p.Phone = "2099-01-01", "call me"
	_, err := c.desk.RegisterPatient(ctxb, p)
	var fields []string
	for _, f := range chart.ErrorFields(err) {
		fields = append(fields, f.Field)
	}
	if strings.Join(fields, " ") != "familyName givenName birthDate phone" {
		t.Errorf("fields = %v (%v)", fields, err)
	}
	got := must(c.desk.RegisterPatient(ctxb, samplePatient("Ann\u200B", "Lee\uFEFF")))(t)
	if got.GivenName != "Ann" || got.FamilyName != "Lee" {
		t.Errorf("invisible characters kept: %q %q", got.GivenName, got.FamilyName)
	}
	_, err = c.admin.AddUser(ctxb, chart.NewUser{FullName: "Dr \u202Eeoj", Username: "joe", Role: chart.RoleClinician, Passphrase: "long enough passphrase"})
	wantErr(t, err, chart.EINVALID, "fullName")
}

// The patient list says how many matched, not just the 50 it shows.
func TestFindPatientsCountsBeyondTheLimit(t *testing.T) {
	c := newClinic(t)
	for i := range 57 {
		register(t, c.desk, samplePatient(fmt.Sprintf("Given%02d", i), "Okonkwo"))
	}
	found := must(c.desk.FindPatients(ctxb, "okonkwo", 50))(t)
	if len(found.Patients) != 50 || found.Total != 57 {
		t.Fatalf("FindPatients = %d shown of %d, want 50 of 57", len(found.Patients), found.Total)
	}
	if hits := must(c.desk.SearchPatients(ctxb, "-", 50))(t); len(hits) != 0 {
		t.Errorf("punctuation alone found %d patients", len(hits))
	}
	audit := must(c.admin.Audit(ctxb, chart.AuditFilter{Action: chart.AuditSearch, Limit: 5}))(t)
	if len(audit) == 0 || !strings.Contains(audit[0].Detail, "57 results, 50 shown") && !strings.Contains(audit[1].Detail, "57 results, 50 shown") {
		t.Errorf("audit of a cut search: %+v", audit)
	}
}

// A dose dated after its lot expired is saved only with a stated reason,
// which stays with the record.
func TestImmunizationAfterLotExpiryNeedsAReason(t *testing.T) {
	c := newClinic(t)
	im := chart.Immunization{Meta: chart.Meta{PatientID: c.patient.ID}, Vaccine: chart.Coded{Display: "Td (adult)"},
		Date: "2026-11-20", Lot: "TD123", Expiry: "2026-10-31"}
	before := tableCounts(t, c.w)
	_, err := c.nurse.SaveImmunization(ctxb, im)
	if de := wantErr(t, err, chart.EINVALID, "expiredLotReason"); !strings.Contains(de.Message, "Lot TD123 expired on 31 October 2026") {
		t.Errorf("warning: %q", de.Message)
	}
	if after := tableCounts(t, c.w); after["records"] != before["records"] {
		t.Fatalf("an unexplained expired-lot dose was saved")
	}
	im.ExpiredLotReason = "Manufacturer extended the expiry; letter on file"
	saved := must(c.nurse.SaveImmunization(ctxb, im))(t)
	if saved.ExpiredLotReason != im.ExpiredLotReason {
		t.Errorf("reason not kept: %+v", saved)
	}
	list := must(c.nurse.Immunizations(ctxb, c.patient.ID))(t)
	if len(list) != 1 || list[0].ExpiredLotReason != im.ExpiredLotReason {
		t.Errorf("stored: %+v", list)
	}
}
