package codes

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func codesOf(cs []Code) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}

func TestLoadEmbeddedLists(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	counts := []struct {
		name string
		n    int
		want int
	}{
		{"ICD-10-CM", len(icd10List.get().display), 95524},
		{"CVX", len(cvxList.get().codes), 287},
		{"RxNorm", len(rxnormList.get().display), 27377},
		{"LOINC", len(loincList.get().codes), 172},
	}
	for _, c := range counts {
		if c.n != c.want {
			t.Errorf("%s: %d codes, want %d", c.name, c.n, c.want)
		}
	}
	billable := 0
	for _, b := range icd10List.get().billable {
		if b {
			billable++
		}
	}
	if billable != 72748 {
		t.Errorf("%d billable ICD-10-CM codes, want 72748", billable)
	}
}

func TestCVX(t *testing.T) {
	for _, q := range []string{"03", "3"} {
		got := CVX(q, 5)
		if len(got) == 0 || got[0].Code != "03" || got[0].Display != "MMR" {
			t.Errorf("CVX(%q) = %+v", q, got)
		}
	}
	if c, ok := LookupCVX("03"); !ok || c.Display != "MMR" || c.Detail != "measles, mumps and rubella virus vaccine" || c.System != SystemCVX {
		t.Errorf("LookupCVX(03) = %+v", c)
	}
	if c, ok := LookupCVX("8"); !ok || c.Code != "08" {
		t.Errorf("LookupCVX(8) = %+v; leading zeros are optional", c)
	}
	if got := CVX("measles", 10); !slices.Contains(codesOf(got), "03") {
		t.Errorf("measles: MMR missing from %v", codesOf(got))
	}
	for _, c := range cvxList.get().codes {
		if c.Display == "" {
			t.Errorf("CVX %s has no display", c.Code)
		}
	}
	// Among vaccines whose name starts with the query, active ones come first.
	seenInactive := false
	for _, c := range CVX("influenza", MaxLimit) {
		if !strings.HasPrefix(strings.ToLower(c.Display), "influenza") {
			continue
		}
		if c.Status == "Active" && seenInactive {
			t.Errorf("active %s %q ranked after an inactive vaccine", c.Code, c.Display)
		}
		seenInactive = seenInactive || c.Status != "Active"
	}
}

func TestLimits(t *testing.T) {
	if n := len(ICD10("a", 0)); n != DefaultLimit {
		t.Errorf("limit 0 gave %d, want %d", n, DefaultLimit)
	}
	if n := len(ICD10("a", 10000)); n != MaxLimit {
		t.Errorf("limit 10000 gave %d, want %d", n, MaxLimit)
	}
	for _, q := range []string{"", "   ", "...", "%%", strings.Repeat("x", 5000)} {
		if got := ICD10(q, 5); len(got) != 0 {
			t.Errorf("ICD10(%q) = %v", q, codesOf(got))
		}
		if got := RxNorm(q, 5); len(got) != 0 {
			t.Errorf("RxNorm(%q) = %v", q, codesOf(got))
		}
		if got := Allergens(q, 5, nil); len(got) != 0 {
			t.Errorf("Allergens(%q) = %v", q, codesOf(got))
		}
	}
	if n := len(Allergens("a", 7, nil)); n != 7 {
		t.Errorf("Allergens limit 7 gave %d", n)
	}
}

func TestAttribution(t *testing.T) {
	for _, want := range []string{"CC BY 4.0", "Victor Castro", "public domain", "National Library of Medicine", "CVX",
		"2025-10-06", "Regenstrief Institute", "loinc.org/license", "HL7", "CC0"} {
		if !strings.Contains(Attribution, want) {
			t.Errorf("Attribution does not mention %q", want)
		}
	}
}

func TestDamagedDataIsAnErrorNotAPanic(t *testing.T) {
	if _, err := loadICD10([]byte("not gzip")); err == nil {
		t.Error("ICD-10-CM: no error")
	}
	if _, err := loadCVX([]byte("03\tActive\tMMR\n")); err == nil {
		t.Error("CVX with a missing column: no error")
	}
	if _, err := loadRxNorm(gzipped(t, "\tIN\tp\t0\tno code\t\t\n")); err == nil {
		t.Error("RxNorm without a code: no error")
	}
	if _, err := loadRxNorm(gzipped(t, "5\tSCD\tp\t0\tx 5 MG Oral Tablet\t99\t\n")); err == nil {
		t.Error("RxNorm linking an ingredient that is not there: no error")
	}
	if _, err := loadLOINC([]byte("4548-4\tlab\t%\t\n")); err == nil {
		t.Error("LOINC without a name: no error")
	}
}

// TestFirstUseFromManyGoroutines loads a fresh list from several
// goroutines at once, as a UI firing searches during start-up would.
func TestFirstUseFromManyGoroutines(t *testing.T) {
	l := &lazy[cvx]{build: func() (*cvx, error) { return loadCVX(cvxData) }, empty: func() *cvx { return newCVX(nil) }}
	done := make(chan []Code)
	for range 8 {
		go func() { c := l.get(); done <- c.ix.search("mmr", 5, nil, c.rank) }()
	}
	for range 8 {
		if got := <-done; len(got) == 0 || got[0].Code != "03" {
			t.Errorf("concurrent first search: %+v", got)
		}
	}
}

func TestFailedLoadSearchesNothing(t *testing.T) {
	l := &lazy[rxnorm]{build: func() (*rxnorm, error) { return loadRxNorm([]byte("x\ty\n")) }, empty: rxnormList.empty}
	d := l.get()
	if got := d.ix.search("y", 5, nil, d.drugRank); len(got) != 0 || l.err == nil {
		t.Errorf("damaged list: results %v, err %v", got, l.err)
	}
	if _, ok := d.ix.lookup("1"); ok {
		t.Error("damaged list: lookup found something")
	}
}

// TestVersionsMatchTheShippedLists keeps the About screen's figures true.
func TestVersionsMatchTheShippedLists(t *testing.T) {
	nonDrug, err := nonDrugAllergens()
	if err != nil {
		t.Fatal(err)
	}
	terms, err := readCurated("icd10cm-terms.csv", "term")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{
		"RxNorm":    len(rxnormList.get().display),
		"ICD-10-CM": len(icd10List.get().display),
		"CVX":       len(cvxList.get().codes),
		"LOINC":     len(loincList.get().codes),
		"Allergens": len(nonDrug),
	}
	for _, v := range Versions() {
		if n, ok := counts[v.Name]; !ok || n != v.Entries || v.Release == "" {
			t.Errorf("%s: version says %d entries, the list has %d", v.Name, v.Entries, n)
		}
	}
	if v := Versions()[1]; !strings.Contains(v.Note, strconv.Itoa(len(terms))+" curated") {
		t.Errorf("ICD-10-CM note %q; there are %d curated terms", v.Note, len(terms))
	}
}
