package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "/work/shared/fixtures/codes"

// TestEmbeddedDataIsReproducible regenerates the data files from the
// fixtures and compares them with the committed ones, so a hand edit or a
// stale file is caught. It is skipped where the fixtures are not present.
func TestEmbeddedDataIsReproducible(t *testing.T) {
	if _, err := os.Stat(fixtures); err != nil {
		t.Skipf("fixtures not available: %v", err)
	}
	files, err := Generate(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "data", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("data/%s differs from what the generator makes; run go generate ./codes", name)
		}
	}
}

func TestConvertersRefuseBadInput(t *testing.T) {
	var out bytes.Buffer
	if err := convertICD10(strings.NewReader("code,billable\nA00,0\n"), &out); err == nil {
		t.Error("ICD-10-CM without the description column: no error")
	}
	icd := "order_number,code,code_dotted,billable,short_description,long_description,poa_exempt\n1,A000,A00.0,2,x,y,N\n"
	if err := convertICD10(strings.NewReader(icd), &out); err == nil {
		t.Error("billable flag 2: no error")
	}
	out.Reset()
	cvx := "cvx_code,short_description,full_vaccine_name,status\n03,,\"measles,\tmumps\nand rubella\",Active\n"
	if err := convertCVX(strings.NewReader(cvx), &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "03\tActive\tmeasles, mumps and rubella\tmeasles, mumps and rubella\n" {
		t.Errorf("CVX row %q: want the full name as display and no tabs or newlines inside fields", got)
	}
}

func TestLOINCKeepsLabsAndVitalsOnly(t *testing.T) {
	in := "loinc,display,category,value_type,ucum_unit\n" +
		"718-7,Hemoglobin [Mass/volume] in Blood,laboratory,valueQuantity,g/dL\n" +
		"8867-4,Heart rate,vital-signs,valueQuantity,/min\n" +
		"85354-9,Blood Pressure,vital-signs,component,\n" +
		"44249-1,PHQ-9 quick depression assessment panel,survey,component,\n" +
		"4548-4,Hemoglobin A1c/\u200bHemoglobin.total in Blood,laboratory,valueQuantity,%\n"
	var out bytes.Buffer
	err := convertLOINC(strings.NewReader(in), &out)
	if err == nil || !strings.Contains(err.Error(), "only 4") {
		t.Errorf("a short list: %v", err)
	}
	want := "718-7\tlab\tg/dL\tHemoglobin [Mass/volume] in Blood\n8867-4\tvital\t/min\tHeart rate\n" +
		"85354-9\tpanel\t\tBlood Pressure\n4548-4\tlab\t%\tHemoglobin A1c/Hemoglobin.total in Blood\n"
	if out.String() != want {
		t.Errorf("LOINC rows:\n%s\nwant\n%s", out.String(), want)
	}
	if err := convertLOINC(strings.NewReader("loinc,display,category,value_type,ucum_unit\n718,x,laboratory,valueQuantity,g\n"), &out); err == nil {
		t.Error("a malformed LOINC code: no error")
	}
}

func TestRxNormSupplementRowsWithoutAIngredientAreHistorical(t *testing.T) {
	concepts := map[string]*rxConcept{
		"1":  {rxcui: "1", tty: "IN", name: "sertraline"},
		"2":  {rxcui: "2", tty: "IN", name: "albuterol"},
		"10": {rxcui: "10", tty: "SCD", name: "sertraline 200 MG Oral Tablet", ingredients: []string{"1"}},
		"11": {rxcui: "11", tty: "SCD", name: "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler"},
		"12": {rxcui: "12", tty: "SCD", name: "24 HR albuterol 4 MG Extended Release Oral Tablet [Brand]"},
	}
	for id, want := range map[string]bool{"10": false, "11": true, "12": true} {
		if got := hasAIngredient(concepts[id], concepts); got != want {
			t.Errorf("%s %q: A-ingredient %v, want %v", id, concepts[id].name, got, want)
		}
	}
}
