package printout

import (
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

func fixtureReferral(p chart.Patient) chart.Referral {
	practice := fixturePractice()
	practice.Address, practice.Phone = "12 Mill Lane\nLakeview MN 56001", "+1 555 201 0000"
	doc := fixtureClinician()
	doc.LicenceNumber, doc.NPI = "MN-44821", "1234567893"
	return chart.Referral{ID: "0193a1c2-0000-7000-8000-0000000000aa", PatientID: p.ID,
		RecipientName: "Dr. Kwame Mensah", RecipientOrganization: "Lakeview Hospital Cardiology", RecipientContact: "cardiology@lakeview.example",
		Reason: "Exertional chest tightness for six weeks despite blood pressure control.", Question: "Is a stress test or angiography indicated?",
		Referrer: chart.NewReferrer(doc, practice), At: printedAt}
}

// fixtureRecords is the fixture chart as an export holds it, with results
// of this year and older, and notes of several kinds.
func fixtureRecords(p chart.Patient) chart.PatientRecords {
	s := fixtureSummary(p)
	older := *s.LatestVitals
	older.ID, older.TakenAt, older.Signs.Systolic = "v-0", "2025-01-10T09:00", ptr(171)
	hba1c := chart.Coded{System: chart.SystemLOINC, Code: "4548-4", Display: "Hemoglobin A1c/Hemoglobin.total in Blood"}
	return chart.PatientRecords{
		Patient: p, Allergies: s.Allergies, Problems: s.Problems, Medications: s.Medications,
		Vitals: []chart.VitalsRecord{older, *s.LatestVitals},
		Results: []chart.Result{
			{Meta: meta(p, "r-1"), Test: hba1c, Value: "7.9", Unit: "%", CollectedAt: "2026-02-01", RefHigh: "5.7"},
			{Meta: meta(p, "r-2"), Test: hba1c, Value: "6.8", Unit: "%", Flag: "high", RefLow: "4.0", RefHigh: "5.7", CollectedAt: "2026-11-18T08:10"},
			{Meta: meta(p, "r-3"), Test: chart.Coded{Display: "Ferritin OLDRESULT"}, Value: "12", CollectedAt: "2025-06-01"},
			{Meta: meta(p, "r-4"), Test: chart.Coded{Display: "Creatinine"}, Value: "88", Unit: "umol/L", RefText: "45–90", CollectedAt: "2026-11-18"},
		},
		Notes: fixtureNotes(p),
	}
}

func TestReferralLetter(t *testing.T) {
	p := fixturePatient(0)
	data, err := ReferralLetter(fixturePractice(), fixtureRecords(p), fixtureReferral(p), chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "referral", "Referral letter", data)
	everyPage(t, pages, p)
	text := strings.Join(pages, "\n")
	assertContains(t, "referral letter", text,
		"Referral letter", "2026-11-23",
		"Dr. Kwame Mensah", "Lakeview Hospital Cardiology", "cardiology@lakeview.example",
		"Dr. Ana Ruiz", "Clinician", "MN-44821", "1234567893", "12 Mill Lane", "Call back on", "+1 555 201 0000",
		"Zoë Ångström", "1948-03-14", "10000000",
		"Exertional chest tightness for six weeks", "Is a stress test or angiography indicated?",
		"E11.9", "Essential (primary) hypertension",
		"PENICILLIN G", "hives, severe, HIGH criticality", "CODEINE (intolerance)",
		"Metformin 500 mg oral tablet", "Lisinopril 10 mg oral tablet",
		"4548-4", "6.8 % (high)", "4.0–5.7 %", "2026-11-18 08:10", "Creatinine", "45–90",
		"148/86 mmHg (high)", "2026-11-20 14:35", "37.0 °C",
		"Last visit: assessment and plan", "Diabetes well controlled; blood pressure above target.",
		"Increase lisinopril if home readings stay above 140/90.", "Addendum: Correction", "HbA1c result received: 6.8 %.")
	assertOmits(t, "referral letter", text, retracted, "STOPPED", "OLDRESULT", "7.9 %", "171/86",
		"Fracture of radius", "No hypoglycaemia.", "DRAFTNOTE", "No known allergies")
}

// "No known allergies" prints only when the chart says so; a record that
// could not be opened must never be read as "none".
func TestReferralLetterAllergyStatements(t *testing.T) {
	p := fixturePatient(0)
	damaged := chart.Allergy{Meta: chart.Meta{ID: "a-d", PatientID: p.ID, Damaged: "could not be opened"}}
	for _, tc := range []struct {
		name      string
		nka       bool
		allergies []chart.Allergy
		want      []string
		omit      []string
	}{
		{"none known", true, nil, []string{"No known allergies"}, nil},
		{"not asked", false, nil, []string{"Allergies not yet asked"}, []string{"No known allergies"}},
		{"damaged with a no-known statement", true, []chart.Allergy{damaged},
			[]string{"AN ALLERGY RECORD COULD NOT BE OPENED"}, []string{"No known allergies"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := fixtureRecords(p)
			recs.NoKnownAllergies, recs.Allergies = tc.nka, tc.allergies
			data, err := ReferralLetter(fixturePractice(), recs, fixtureReferral(p), chart.MetricUnits(), printedAt)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(checkPDF(t, "referral-allergies", "Referral letter", data), "\n")
			assertContains(t, tc.name, text, tc.want...)
			assertOmits(t, tc.name, text, append(tc.omit, "PENICILLIN")...)
		})
	}
}

func TestReferralLetterWithAnEmptyChartAndNoPracticePhone(t *testing.T) {
	p := fixturePatient(1)
	ref := fixtureReferral(p)
	ref.Referrer.Phone, ref.Question = "", ""
	data, err := ReferralLetter(fixturePractice(), chart.PatientRecords{Patient: p, Results: []chart.Result{{Meta: chart.Meta{ID: "r-d", Damaged: "x"}}}},
		ref, chart.USUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(checkPDF(t, "referral-empty", "Referral letter", data), "\n")
	assertContains(t, "empty referral", text, "No phone in the practice settings", "No active problems recorded.",
		"No current medications recorded.", "No results in that time.", "1 result record(s) could not be opened",
		"No vital signs recorded.", "No signed visit note with an assessment or plan.")
	assertOmits(t, "empty referral", text, "Question for you")
}

func TestReferralLetterRefusals(t *testing.T) {
	p := fixturePatient(0)
	ref := fixtureReferral(p)
	ref.PatientID = "p-other"
	if _, err := ReferralLetter(fixturePractice(), fixtureRecords(p), ref, chart.MetricUnits(), printedAt); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("another patient's referral: %v, want invalid", err)
	}
	ref = fixtureReferral(p)
	ref.Referrer = chart.NewReferrer(fixtureNurse(), fixturePractice())
	if _, err := ReferralLetter(fixturePractice(), fixtureRecords(p), ref, chart.MetricUnits(), printedAt.Add(time.Hour)); chart.ErrorCode(err) != chart.EFORBIDDEN {
		t.Errorf("a nurse as referrer: %v, want forbidden", err)
	}
}
