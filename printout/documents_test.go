package printout

import (
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
)

// everyPage checks the running header and footer on each page.
func everyPage(t *testing.T, pages []string, patient chart.Patient) {
	t.Helper()
	for i, pg := range pages {
		assertContains(t, fmt.Sprintf("page %d", i+1), pg,
			"Riverside Family Practice", fullName(patient), "DOB "+patient.BirthDate, "MRN "+patient.MRN,
			"Printed 2026-11-23 09:30", "Confidential health information",
			fmt.Sprintf("Page %d of %d", i+1, len(pages)))
	}
}

func TestVisitSummary(t *testing.T) {
	p := fixturePatient(0)
	data, err := VisitSummary(fixturePractice(), fixtureSummary(p), fixtureEncounter(p), fixtureNotes(p), chart.USUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "visit", "Visit summary", data)
	everyPage(t, pages, p)
	text := strings.Join(pages, "\n")
	assertContains(t, "visit summary", text,
		"Zoë Ångström", "Office visit", "2026-11-20 14:30", "Dr. Ana Ruiz", "Room 2",
		"Diabetes review and blood pressure check",
		"E11.9", "Type 2 diabetes mellitus without complications", "I10",
		"148/86 mmHg (high)", "98.6 °F", "154.3 lb", "96%",
		"Diabetes follow-up", "Subjective", "No hypoglycaemia.", "Review in 3 months.",
		"Electronically signed by Dr. Ana Ruiz (Clinician) on 2026-11-20 15:02", "content hash 3fa9c2e1b0d4",
		"Addendum: Correction", "HbA1c result received: 6.8 %.", "on 2026-11-21 08:15",
		"Metformin 500 mg oral tablet", "Lisinopril 10 mg oral tablet", "twice daily",
		"PENICILLIN G", "hives, severe, HIGH criticality", "CODEINE (intolerance)",
		"Essential (primary) hypertension", "resolved")
	assertOmits(t, "visit summary", text, retracted, "DRAFTNOTE", "OTHERVISIT", "STOPPED", "No known allergies")
	// A practice in US units gets US Letter.
	if size := pdfInfo(t, writePDF(t, "visit-size", data))["Page size"]; !strings.HasPrefix(size, "612 x 792") {
		t.Errorf("page size = %q, want US Letter", size)
	}
}

// The allergy section must tell "nobody asked" from "asked, none".
func TestVisitSummaryAllergyStatements(t *testing.T) {
	p := fixturePatient(0)
	for _, tc := range []struct {
		status    chart.AllergyStatus
		allergies []chart.Allergy
		want      string
	}{
		{chart.AllergiesNone, nil, "No known allergies"},
		{chart.AllergiesNotAsked, nil, "Allergies not yet asked"},
		{chart.AllergiesListed, fixtureSummary(p).Allergies[2:], "Allergies not confirmed"}, // only a retracted one
	} {
		t.Run(string(tc.status), func(t *testing.T) {
			s := fixtureSummary(p)
			s.AllergyStatus, s.Allergies = tc.status, tc.allergies
			data, err := VisitSummary(fixturePractice(), s, fixtureEncounter(p), nil, chart.MetricUnits(), printedAt)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(checkPDF(t, "allergies", "Visit summary", data), "\n")
			assertContains(t, "visit summary", text, tc.want, "No signed note for this visit yet.", "37.0 °C")
			assertOmits(t, "visit summary", text, "PENICILLIN", retracted)
		})
	}
}

func TestVisitSummaryRefusesWrongRecords(t *testing.T) {
	p := fixturePatient(0)
	other := fixturePatient(1)
	retractedVisit := fixtureEncounter(p)
	retractedVisit.EnteredInError = errorMark()
	for name, call := range map[string]func() ([]byte, error){
		"visit of another patient": func() ([]byte, error) {
			return VisitSummary(fixturePractice(), fixtureSummary(p), fixtureEncounter(other), nil, chart.MetricUnits(), printedAt)
		},
		"note of another patient": func() ([]byte, error) {
			return VisitSummary(fixturePractice(), fixtureSummary(p), fixtureEncounter(p), fixtureNotes(other), chart.MetricUnits(), printedAt)
		},
		"retracted visit": func() ([]byte, error) {
			return VisitSummary(fixturePractice(), fixtureSummary(p), retractedVisit, nil, chart.MetricUnits(), printedAt)
		},
	} {
		t.Run(name, func(t *testing.T) {
			data, err := call()
			if chart.ErrorCode(err) != chart.EINVALID || data != nil {
				t.Fatalf("got %d bytes, error %v; want an invalid error and nothing printed", len(data), err)
			}
		})
	}
}

func TestHomeVisitSheet(t *testing.T) {
	const n = 30
	var route []chart.ChartSummary
	for i := range n {
		s := fixtureSummary(fixturePatient(i))
		if i == 1 {
			s.AllergyStatus, s.Allergies = chart.AllergiesNone, nil
		}
		route = append(route, s)
	}
	data, err := HomeVisitSheet(fixturePractice(), route, chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "route", "Home visit sheet", data)
	if len(pages) < n {
		t.Fatalf("%d patients printed on %d pages; each patient starts a page", n, len(pages))
	}
	// Every page names the patient whose section it holds, and each
	// section starts on a page of its own.
	seen := 0
	for i, pg := range pages {
		if strings.Contains(pg, fmt.Sprintf("Visit %d of %d", seen+1, n)) {
			seen++
		}
		p := fixturePatient(seen - 1)
		assertContains(t, fmt.Sprintf("page %d", i+1), pg, "Home visit sheet", "Page "+itoa(i+1)+" of "+itoa(len(pages)),
			"Patient: "+fullName(p), "MRN "+p.MRN, "Confidential health information")
	}
	if seen != n {
		t.Errorf("found %d patient sections starting a page, want %d", seen, n)
	}
	first := pages[0]
	assertContains(t, "first patient", first, "Zoë Ångström (goes by Zo)", "78 years", "+1 (555) 201-7788",
		"10 Old Mill Road", "Lakeview, MN 56001", "Third farm past the grain silo", "Lars Ångström (son)",
		"Allergies and intolerances", "PENICILLIN G", "E11.9", "Metformin", "Take with breakfast",
		"148/86 mmHg", "70.0 kg", "37.0 °C", "Notes from this visit")
	assertOmits(t, "first patient", first, retracted, "resolved", "STOPPED")
	assertContains(t, "second patient", strings.Join(pages, "\n"), "No known allergies")
}

func TestHomeVisitSheetNeedsPatients(t *testing.T) {
	if _, err := HomeVisitSheet(fixturePractice(), nil, chart.MetricUnits(), printedAt); chart.ErrorCode(err) != chart.EINVALID {
		t.Fatalf("empty route: error %v, want invalid", err)
	}
}

func TestPrescription(t *testing.T) {
	p := fixturePatient(0)
	sum := fixtureSummary(p)
	med := sum.Medications[0]
	practice := fixturePractice()
	practice.Address, practice.Phone = "12 Mill Road\nRiverside, ON K0A 1B0", "+1 (613) 555-0199"
	doc := fixtureClinician()
	doc.LicenceNumber, doc.NPI = "CPSO 81234", "1234567893"
	data, err := Prescription(practice, sum, med, doc, printedAt)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "rx", "Prescription", data)
	if len(pages) != 1 {
		t.Errorf("a prescription took %d pages, want 1", len(pages))
	}
	everyPage(t, pages, p)
	assertContains(t, "prescription", pages[0], "Prescription", "Zoë Ångström", "1948-03-14",
		"Metformin 500 mg oral tablet", "RxNorm 861007", "500 mg", "oral", "twice daily", "60 tablets",
		"30 days", "2 refills", "Take with breakfast and the evening meal.", "2024-01-10",
		"Dr. Ana Ruiz", "Clinician", "Licence number", "CPSO 81234", "NPI", "1234567893",
		"12 Mill Road", "Riverside, ON K0A 1B0", "+1 (613) 555-0199",
		"Allergies and intolerances", "PENICILLIN G – hives, severe, HIGH criticality", "CODEINE (intolerance)",
		"Date", "2026-11-23", "Prescriber's signature")
	assertOmits(t, "prescription", pages[0], retracted)
	if size := pdfInfo(t, writePDF(t, "rx-size", data))["Page size"]; !strings.Contains(size, "(A4)") {
		t.Errorf("page size = %q, want A4", size)
	}
}

// A prescription says whether the patient has no known allergies or was
// never asked, and leaves out the credentials a prescriber has not set.
func TestPrescriptionAllergyStatementsAndMissingCredentials(t *testing.T) {
	p := fixturePatient(0)
	for _, tc := range []struct {
		status chart.AllergyStatus
		want   string
	}{
		{chart.AllergiesNone, "No known allergies"},
		{chart.AllergiesNotAsked, "Allergies not yet asked"},
		{chart.AllergiesUnreadable, "Allergies unknown"},
	} {
		t.Run(string(tc.status), func(t *testing.T) {
			sum := fixtureSummary(p)
			sum.AllergyStatus, sum.Allergies = tc.status, nil
			data, err := Prescription(fixturePractice(), sum, sum.Medications[0], fixtureClinician(), printedAt)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(checkPDF(t, "rx-allergies", "Prescription", data), "\n")
			assertContains(t, "prescription", text, tc.want, "Metformin 500 mg oral tablet")
			assertOmits(t, "prescription", text, "PENICILLIN", "Licence number", "NPI")
		})
	}
}

func TestPrescriptionRefusals(t *testing.T) {
	p := fixturePatient(0)
	meds := fixtureSummary(p).Medications
	nurse := fixtureNurse()
	inactive := fixtureClinician()
	inactive.Active = false
	for _, tc := range []struct {
		name       string
		patient    chart.Patient
		med        chart.Medication
		prescriber chart.User
		code       string
	}{
		{"stopped medication", p, meds[2], fixtureClinician(), chart.EINVALID},
		{"retracted medication", p, meds[3], fixtureClinician(), chart.EINVALID},
		{"another patient's medication", fixturePatient(1), meds[0], fixtureClinician(), chart.EINVALID},
		{"nurse as prescriber", p, meds[0], nurse, chart.EFORBIDDEN},
		{"inactive prescriber", p, meds[0], inactive, chart.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum := fixtureSummary(tc.patient)
			data, err := Prescription(fixturePractice(), sum, tc.med, tc.prescriber, printedAt)
			if chart.ErrorCode(err) != tc.code || data != nil {
				t.Fatalf("got %d bytes, error %v; want code %s and nothing printed", len(data), err, tc.code)
			}
			if chart.ErrorMessage(err) == "" {
				t.Error("refusal has no message for the user")
			}
		})
	}
}

func TestImmunizationRecordSpansPages(t *testing.T) {
	p := fixturePatient(0)
	data, err := ImmunizationRecord(fixturePractice(), p, fixtureImmunizations(p, 90), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "immunizations", "Immunization record", data)
	if len(pages) < 3 {
		t.Fatalf("90 vaccinations printed on %d pages, want the table to span pages", len(pages))
	}
	everyPage(t, pages, p)
	for i, pg := range pages {
		if strings.Contains(pg, "LOT") { // a page with vaccination rows repeats the header
			assertContains(t, fmt.Sprintf("page %d", i+1), pg, "Date", "Vaccine", "Dose #", "Lot", "Site", "Route", "Given by", "Source")
		}
	}
	text := strings.Join(pages, "\n")
	for i := range 90 {
		if !strings.Contains(text, fmt.Sprintf("LOT%04d", i)) {
			t.Errorf("vaccination %d (LOT%04d) is missing", i, i)
		}
	}
	assertContains(t, "immunization record", text, "CVX 140 Influenza, seasonal", "left deltoid", "Given here", "1990-01-01",
		"Vaccines refused", "CVX 208 COVID-19, mRNA", "Patient prefers to wait")
	assertOmits(t, "immunization record", text, retracted)
	// Oldest first: 1990 comes before 2025.
	if strings.Index(text, "1990-01-01") > strings.Index(text, "2025-") {
		t.Error("vaccinations are not in date order")
	}
}

func TestImmunizationRecordEmpty(t *testing.T) {
	p := fixturePatient(0)
	data, err := ImmunizationRecord(fixturePractice(), p, nil, printedAt)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "no-immunizations", "Immunization record", data)
	everyPage(t, pages, p)
	assertContains(t, "empty record", pages[0], "No vaccinations recorded.")
}

func BenchmarkHomeVisitSheet30(b *testing.B) {
	var route []chart.ChartSummary
	for i := range 30 {
		route = append(route, fixtureSummary(fixturePatient(i)))
	}
	for b.Loop() {
		if _, err := HomeVisitSheet(fixturePractice(), route, chart.MetricUnits(), printedAt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrescription also reports the file size: the font subsets are
// most of a one-page document.
func BenchmarkPrescription(b *testing.B) {
	p := fixturePatient(0)
	sum := fixtureSummary(p)
	med := sum.Medications[0]
	size := 0
	for b.Loop() {
		data, err := Prescription(fixturePractice(), sum, med, fixtureClinician(), printedAt)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
