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
