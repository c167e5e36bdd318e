package printout

import (
	"strings"
	"testing"

	"outpost/chart"
)

// TestSuperbill prints a visit's superbill: diagnoses, services with
// units and fees, and the total, with the running head on every page.
func TestSuperbill(t *testing.T) {
	p := fixturePatient(0)
	enc := fixtureEncounter(p)
	b := chart.Superbill{Meta: chart.Meta{PatientID: p.ID}, EncounterID: enc.ID, Date: "2026-11-20", Diagnoses: enc.Diagnoses,
		Lines: []chart.SuperbillLine{
			{Code: "XMPL-VISIT", Description: "Example office visit (made up)", FeeCents: 7550, Units: 1},
			{Code: "XMPL-INJ", Description: "Example injection (made up)", FeeCents: 1225, Units: 2}},
		TotalCents: 10000}
	data, err := Superbill(fixturePractice(), p, enc, b, printedAt)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "superbill", "Superbill", data)
	everyPage(t, pages, p)
	assertContains(t, "superbill", strings.Join(pages, "\n"), "Diagnoses (ICD-10-CM)", "E11.9",
		"Type 2 diabetes mellitus without complications", "XMPL-VISIT", "$75.50", "XMPL-INJ", "$12.25", "$24.50",
		"Total", "$100.00", "Dr. Ana Ruiz")

	other := b
	other.PatientID = fixturePatient(1).ID
	if _, err := Superbill(fixturePractice(), p, enc, other, printedAt); err == nil {
		t.Fatal("a superbill of another patient printed under this one's name")
	}
}
