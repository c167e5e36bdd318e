package codes

import (
	"slices"
	"strings"
	"testing"
)

// TestICD10FindsWhatCliniciansType: the queries, each with the
// code it must find first (Outpost issue #9).
func TestICD10FindsWhatCliniciansType(t *testing.T) {
	for _, tc := range []struct{ query, first string }{
		{"htn", "I10"},
		{"essential hypertension", "I10"},
		{"strep throat", "J02.0"},
		{"T2DM", "E11.9"},
		{"UTI", "N39.0"},
		{"sore throat", "J02.9"},
		{"well child", "Z00.129"},
		{"COPD exacerbation", "J44.1"},
	} {
		for _, search := range []func(string, int) []Code{ICD10, ICD10Billable} {
			got := search(tc.query, 5)
			if len(got) == 0 || got[0].Code != tc.first {
				t.Errorf("%q: first %v, want %s", tc.query, codesOf(got), tc.first)
			}
		}
	}
}

// TestICD10CommonCodesRankFirst: among titles a query word starts, a code
// common in family practice beats a rarer one, and a billable code a header.
func TestICD10CommonCodesRankFirst(t *testing.T) {
	if got := ICD10Billable("pneumonia", 3); len(got) == 0 || got[0].Code != "J18.9" {
		t.Errorf("pneumonia: %v, want J18.9 (common) first", codesOf(got))
	}
	if got := ICD10("diabetes", 3); len(got) == 0 || got[0].Code != "E11.9" {
		t.Errorf("diabetes: %v, want E11.9 first", codesOf(got))
	}
	l := icd10List.get()
	lead := map[string]bool{}
	l.ix.wordMatches("pharyngitis", func(e int32, isLead bool) { lead[l.ix.keys[e]] = isLead })
	got := ICD10("pharyngitis", 40)
	for i := 1; i < len(got); i++ {
		a, b := l.entry(t, got[i-1].Code), l.entry(t, got[i].Code)
		sameTier := lead[l.ix.keys[a]] == lead[l.ix.keys[b]]
		if sameTier && l.common[b] && !l.common[a] {
			t.Errorf("pharyngitis: common %s ranked after %s", got[i].Code, got[i-1].Code)
		}
	}
}

func (l *icd10) entry(t *testing.T, code string) int32 {
	t.Helper()
	e, ok := l.ix.find(code)
	if !ok {
		t.Fatalf("%s not found", code)
	}
	return e
}

// TestCuratedICD10RowsAreBillable: every entry term and common code names
// a billable FY2022 code (the load refuses unknown ones), and cites a source.
func TestCuratedICD10RowsAreBillable(t *testing.T) {
	for _, file := range []string{"icd10cm-terms.csv", "icd10cm-common.csv"} {
		rows, err := readCurated(file, "code", "source")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 40 {
			t.Errorf("%s: only %d rows", file, len(rows))
		}
		for _, r := range rows {
			c, ok := LookupICD10(r["code"])
			if !ok || !c.Billable {
				t.Errorf("%s: %q → %s is not a billable FY2022 code", file, r["term"], r["code"])
			}
			if k := r["kind"]; file == "icd10cm-terms.csv" && !slices.Contains([]string{"index", "abbreviation", "lay"}, k) {
				t.Errorf("%s: %q has kind %q", file, r["term"], k)
			}
		}
	}
	if _, err := icd10Terms([]string{"I10"}); err == nil {
		t.Error("terms naming codes outside the list: no error")
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
		if !strings.Contains(strings.ToLower(c.Display), "type 2 diabetes mellitus") {
			t.Errorf("%s %q does not match every word", c.Code, c.Display)
		}
	}
	if !slices.Contains(codesOf(got), "E11.9") || !strings.HasPrefix(got[0].Code, "E11") {
		t.Errorf("diab mel type 2: %v; want E11 codes first, E11.9 among them", codesOf(got))
	}
	// Among equals (no curated term, not common, billable), shorter titles first.
	l := icd10List.get()
	pneumo := ICD10Billable("pneumo", 40)
	for i := 1; i < len(pneumo); i++ {
		a, b := l.entry(t, pneumo[i-1].Code), l.entry(t, pneumo[i].Code)
		ka, kb := l.rankKey(a), l.rankKey(b)
		sameClass := slices.Equal(ka[:2], kb[:2]) && strings.HasPrefix(strings.ToLower(pneumo[i].Display), "pneumo") &&
			strings.HasPrefix(strings.ToLower(pneumo[i-1].Display), "pneumo")
		if sameClass && len(pneumo[i].Display) < len(pneumo[i-1].Display) {
			t.Errorf("pneumo: %q ranked after longer %q", pneumo[i].Display, pneumo[i-1].Display)
		}
	}
	if got := ICD10("diabetes zzzq", 5); len(got) != 0 {
		t.Errorf("a word that matches nothing must empty the result, got %v", codesOf(got))
	}
}

func TestICD10Ranking(t *testing.T) {
	// Titles that start with "asthma" beat ones that only contain it,
	// unless an entry term names the code ("asthma" → J45.909).
	l := icd10List.get()
	got := ICD10("asthma", 40)
	startSeen := true
	for _, c := range got {
		starts := strings.HasPrefix(strings.ToLower(c.Display), "asthma") || l.hasTerms(c.Code)
		if starts && !startSeen {
			t.Fatalf("%q (starts with asthma) ranked after a title that does not", c.Display)
		}
		startSeen = starts
	}
	// A code match ranks above word matches.
	if got := ICD10("j18", 3); got[0].Code != "J18" {
		t.Errorf("j18: %v", codesOf(got))
	}
}

func (l *icd10) hasTerms(code string) bool {
	e, _ := l.ix.find(code)
	return l.ix.leadStart[e+1]-l.ix.leadStart[e] > 1
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
