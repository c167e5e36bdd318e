package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

func rxnorm(code, display string) chart.Coded {
	return chart.Coded{System: chart.SystemRxNorm, Code: code, Display: display}
}

// TestSafetyChecksUseRxNormIngredients: coded drugs and allergies are
// checked by their RxNorm ingredients, not their display names; allergies
// recorded to a class alert for its members (Outpost issue #9).
func TestSafetyChecksUseRxNormIngredients(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	amox := sampleMed(p, "")
	amox.Drug = rxnorm("308191", "amoxicillin 500 MG Oral Capsule")

	// An allergy to a brand the rules do not know: RxNorm says Pfizerpen is penicillin G.
	pfizerpen := sampleAllergy(p, "")
	pfizerpen.Substance = rxnorm("8096", "Pfizerpen")
	saved := must(c.nurse.SaveAllergy(ctxb, pfizerpen))(t)
	alerts := must(c.doc.CheckMedication(ctxb, amox))(t)
	if len(alerts) != 1 || alerts[0].RuleID != "class-penicillins" ||
		!strings.HasPrefix(alerts[0].Message, "Allergy to penicillins: amoxicillin is a penicillin.") {
		t.Fatalf("amoxicillin with a Pfizerpen allergy: %+v", alerts)
	}
	saved.Verification = chart.AllergyRefuted
	must(c.nurse.SaveAllergy(ctxb, saved))(t)

	// An allergy recorded to the class; the drug coded to a brand whose
	// name says nothing of its ingredients.
	sulfa := sampleAllergy(p, "")
	sulfa.Substance = chart.Coded{System: chart.SystemAllergyClass, Code: "sulfonamide-antibiotics", Display: "Sulfonamide antibiotics"}
	must(c.nurse.SaveAllergy(ctxb, sulfa))(t)
	sulfatrim := sampleMed(p, "")
	sulfatrim.Drug = rxnorm("220091", "Sulfatrim")
	alerts = must(c.doc.CheckMedication(ctxb, sulfatrim))(t)
	if len(alerts) != 1 || alerts[0].RuleID != "class-sulfonamide-antibiotics" ||
		!strings.HasPrefix(alerts[0].Message, "Allergy to sulfonamide antibiotics: sulfamethoxazole is a sulfonamide antibiotic.") {
		t.Fatalf("Sulfatrim with a sulfonamide class allergy: %+v", alerts)
	}
	// Free text still works, read by name.
	if a := must(c.doc.CheckMedication(ctxb, sampleMed(p, "Sulfamethoxazole 800 mg / trimethoprim 160 mg")))(t); len(a) != 1 {
		t.Fatalf("uncoded sulfamethoxazole: %+v", a)
	}
	if a := must(c.doc.CheckMedication(ctxb, sampleMed(p, "Furosemide 40 mg")))(t); len(a) != 0 {
		t.Fatalf("furosemide with a sulfonamide antibiotic allergy: %+v", a)
	}
}

func TestSafetyChecksFindInteractions(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	must(c.doc.SetChartFlags(ctxb, chart.ChartFlags{Meta: chart.Meta{PatientID: p}, NoKnownAllergies: true}))(t)
	warfarin := sampleMed(p, "")
	warfarin.Drug = rxnorm("855332", "warfarin sodium 5 MG Oral Tablet")
	must(c.doc.SaveMedication(ctxb, warfarin, ""))(t)
	ibuprofen := sampleMed(p, "")
	ibuprofen.Drug = rxnorm("197807", "ibuprofen 800 MG Oral Tablet")
	alerts := must(c.doc.CheckMedication(ctxb, ibuprofen))(t)
	if len(alerts) != 1 || alerts[0].Kind != chart.AlertDrugInteraction || alerts[0].RuleID != "interaction-warfarin-nsaids" {
		t.Fatalf("ibuprofen on warfarin: %+v", alerts)
	}
	_, err := c.doc.SaveMedication(ctxb, ibuprofen, "")
	wantErr(t, err, chart.EINVALID, "overrideReason")
}
