package codes

import (
	"slices"
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
		{"ICD-10-CM", len(icd10List.get().codes), 95524},
		{"CVX", len(cvxList.get().codes), 287},
		{"RxNorm", len(rxnormList.get().codes), 158},
	}
	for _, c := range counts {
		if c.n != c.want {
			t.Errorf("%s: %d codes, want %d", c.name, c.n, c.want)
		}
	}
	billable := 0
	for _, c := range icd10List.get().codes {
		if c.Billable {
			billable++
		}
	}
	if billable != 72748 {
		t.Errorf("%d billable ICD-10-CM codes, want 72748", billable)
	}
}

func TestICD10ByCode(t *testing.T) {
	for _, q := range []string{"E11.9", "e119", "E119", " e11.9 "} {
		got := ICD10(q, 5)
		if len(got) == 0 || got[0].Code != "E11.9" || got[0].Display != "Type 2 diabetes mellitus without complications" || !got[0].Billable {
			t.Errorf("ICD10(%q) = %+v", q, got)
		}
	}
	got := ICD10("E11", 3)
	if !slices.Equal(codesOf(got), []string{"E11", "E11.0", "E11.00"}) || got[0].Billable {
		t.Errorf("ICD10(E11) = %+v; want the header first, then its codes in order", got)
	}
	if got := ICD10("Z99.999", 5); len(got) != 0 {
		t.Errorf("no such code, got %+v", got)
	}
}

func TestICD10ByWords(t *testing.T) {
	got := ICD10("diab mel type 2", 20)
	if len(got) == 0 {
		t.Fatal("no results")
	}
	for _, c := range got {
		if !strings.HasPrefix(c.Code, "E11") && !strings.HasPrefix(c.Code, "O24") && !strings.HasPrefix(c.Code, "Z") {
			t.Errorf("unexpected %s %s", c.Code, c.Display)
		}
		if !strings.Contains(strings.ToLower(c.Display), "type 2 diabetes mellitus") {
			t.Errorf("%s %q does not match every word", c.Code, c.Display)
		}
	}
	if !slices.Contains(codesOf(got), "E11.9") {
		t.Errorf("E11.9 missing from %v", codesOf(got))
	}
	if !strings.HasPrefix(got[0].Code, "E11") {
		t.Errorf("first hit %s %q; want an E11 code", got[0].Code, got[0].Display)
	}

	pneumo := ICD10("pneumo", 20)
	if !slices.Contains(codesOf(pneumo), "J18.9") {
		t.Errorf("pneumo: J18.9 missing from %v", codesOf(pneumo))
	}
	for i := 1; i < len(pneumo); i++ {
		if len(pneumo[i].Display) < len(pneumo[i-1].Display) && strings.HasPrefix(strings.ToLower(pneumo[i].Display), "pneumo") {
			t.Errorf("pneumo: %q ranked after longer %q", pneumo[i].Display, pneumo[i-1].Display)
		}
	}
	if got := ICD10("diabetes zzzq", 5); len(got) != 0 {
		t.Errorf("a word that matches nothing must empty the result, got %v", codesOf(got))
	}
}

func TestICD10Ranking(t *testing.T) {
	// "Asthma" descriptions that start with the word beat ones that contain it.
	got := ICD10("asthma", 40)
	startSeen := true
	for _, c := range got {
		starts := strings.HasPrefix(strings.ToLower(c.Display), "asthma")
		if starts && !startSeen {
			t.Fatalf("%q (starts with asthma) ranked after a description that does not", c.Display)
		}
		startSeen = starts
	}
	// A code match ranks above word matches.
	if got := ICD10("j18", 3); got[0].Code != "J18" {
		t.Errorf("j18: %v", codesOf(got))
	}
}

func TestICD10Billable(t *testing.T) {
	for _, c := range ICD10Billable("E11", 50) {
		if !c.Billable {
			t.Errorf("%s is a header", c.Code)
		}
	}
	if c, ok := LookupICD10("e11.9"); !ok || c.Code != "E11.9" {
		t.Errorf("LookupICD10(e11.9) = %+v, %v", c, ok)
	}
	if c, ok := LookupICD10("J189"); !ok || c.Display != "Pneumonia, unspecified organism" {
		t.Errorf("LookupICD10(J189) = %+v, %v", c, ok)
	}
	for _, bad := range []string{"", "E11.99999", "diabetes", "11.9"} {
		if _, ok := LookupICD10(bad); ok {
			t.Errorf("LookupICD10(%q) found something", bad)
		}
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

func TestRxNorm(t *testing.T) {
	got := RxNorm("amox", 10)
	if len(got) < 3 || !strings.HasPrefix(got[0].Display, "Amoxicillin") {
		t.Errorf("amox: %+v", got)
	}
	if got := RxNorm("308182", 1); len(got) != 1 || got[0].Display != "Amoxicillin 250 MG Oral Capsule" {
		t.Errorf("by rxcui: %+v", got)
	}
	if c, ok := LookupRxNorm("308182"); !ok || c.System != SystemRxNorm {
		t.Errorf("LookupRxNorm: %+v", c)
	}
	if got := RxNorm("acet oxy", 10); len(got) < 2 {
		t.Errorf("acet oxy: %+v", got)
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
	}
}

func TestAttribution(t *testing.T) {
	for _, want := range []string{"CC BY 4.0", "Victor Castro", "public domain", "National Library of Medicine", "CVX"} {
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
	if _, err := loadRxNorm([]byte("\tno code\n")); err == nil {
		t.Error("RxNorm without a code: no error")
	}
}

// TestFirstUseFromManyGoroutines loads a fresh list from several
// goroutines at once, as a UI firing searches during start-up would.
func TestFirstUseFromManyGoroutines(t *testing.T) {
	l := &list{build: func() (*index, error) { return loadCVX(cvxData) }}
	done := make(chan []Code)
	for range 8 {
		go func() { done <- l.get().search("mmr", 5, nil) }()
	}
	for range 8 {
		if got := <-done; len(got) == 0 || got[0].Code != "03" {
			t.Errorf("concurrent first search: %+v", got)
		}
	}
}

func TestFailedLoadSearchesNothing(t *testing.T) {
	l := &list{build: func() (*index, error) { return loadRxNorm([]byte("x\ty\n")) }}
	if got := l.get().search("y", 5, nil); len(got) != 0 || l.err == nil {
		t.Errorf("damaged list: results %v, err %v", got, l.err)
	}
	if _, ok := l.get().lookup("1"); ok {
		t.Error("damaged list: lookup found something")
	}
}
