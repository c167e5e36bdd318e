package sqlite

import (
	"testing"

	"outpost/chart"
)

// The review inbox names each result's patient, drops a result once it is
// acknowledged, and is closed to the front desk.
func TestReviewInboxNamesPatientsUntilAcknowledged(t *testing.T) {
	c := newClinic(t)
	other := register(t, c.desk, samplePatient("Ines", "Second"))
	k := must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: c.patient.ID},
		Test: chart.Coded{Display: "Potassium"}, Value: "5.9", Unit: "mmol/L", Flag: "high"}))(t)
	must(c.nurse.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: other.ID},
		Test: chart.Coded{Display: "Hb"}, Value: "12"}))(t)

	doc := c.signIn(t, "cleo", clinicianPass) // a session whose index holds both patients
	items := must(doc.ReviewInbox(ctxb))(t)
	if len(items) != 2 {
		t.Fatalf("inbox has %d items, want 2: %+v", len(items), items)
	}
	names := map[string]string{}
	for _, it := range items {
		names[it.Result.Test.Display] = it.Patient.FamilyName
	}
	if names["Potassium"] != "Clinicday" || names["Hb"] != "Second" {
		t.Fatalf("inbox names %v, want Potassium→Clinicday, Hb→Second", names)
	}

	must(doc.AcknowledgeResult(ctxb, k.ID))(t)
	items = must(doc.ReviewInbox(ctxb))(t)
	if len(items) != 1 || items[0].Result.Test.Display != "Hb" {
		t.Fatalf("after acknowledging potassium the inbox holds %+v, want only Hb", items)
	}

	_, err := c.desk.ReviewInbox(ctxb)
	wantErr(t, err, chart.EFORBIDDEN, "")
}
