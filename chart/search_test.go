package chart

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// searchFixture is a small practice whose sorted order (folded family,
// given, id) is h, f, c, e, a, d, b, g.
func searchFixture() []Patient {
	return []Patient{
		{ID: "a", GivenName: "Ann", FamilyName: "Smith", BirthDate: "1980-05-12", Phone: "555 123 4567", MRN: "A-1001"},
		{ID: "b", GivenName: "Annabel", FamilyName: "Smithers", BirthDate: "1975-12-05", Phone: "+1 (555) 987-6543", MRN: "A-1002"},
		{ID: "c", GivenName: "Zoë", FamilyName: "Núñez", PreferredName: "Zo", BirthDate: "2001-02-03", MRN: "B-2001"},
		{ID: "d", GivenName: "Joann", FamilyName: "Smith", BirthDate: "1980-12-05", MRN: "B-2002"},
		{ID: "e", GivenName: "Seán", FamilyName: "O'Brien", BirthDate: "1990-07-04", MRN: "C-3001"},
		{ID: "f", GivenName: "Maria", FamilyName: "de la Cruz", BirthDate: "1966-01-31", Phone: "555-0100", MRN: "C-3002"},
		{ID: "g", GivenName: "Grete", FamilyName: "Weiß", BirthDate: "1949-03-30", MRN: "SMITH"},
		{ID: "h", GivenName: "Peter", FamilyName: "Annand", BirthDate: "1958-08-08", MRN: "D-4001"},
	}
}

func hitIDs(hits []PatientSummary) string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = string(h.ID)
	}
	return strings.Join(out, " ")
}

func TestSearchMatchesAndRanks(t *testing.T) {
	ix := NewPatientIndex(searchFixture())
	for _, tc := range []struct {
		name, query, want string
	}{
		{"exact MRN outranks family-name prefixes", "smith", "g a d b"},
		{"family prefix, then given prefix, then substring", "ann", "h a b d"},
		{"every term must match", "ann smi", "a d b"},
		{"case-insensitive", "ANN SMITHERS", "b"},
		{"AND with nothing in common", "ann weiss", ""},
		{"AND with a year", "smith 1980", "a d"},
		{"extra spaces", "  smith   1975  ", "b"},
		{"miss", "zzz", ""},

		{"accent in record, not in query", "nunez", "c"},
		{"accent in query and record", "NÚÑEZ", "c"},
		{"accent in given name", "sean", "e"},
		{"decomposed accent in query", "Zoe\u0308", "c"},
		{"preferred name", "zo", "c"},
		{"sharp s folds to ss", "weiss", "g"},
		{"sharp s in the query", "weiß", "g"},
		{"apostrophe ignored in record", "obrien", "e"},
		{"apostrophe typed", "o'brien", "e"},
		{"typographic apostrophe typed", "O’Bri", "e"},
		{"word prefix inside a family name", "cruz", "f"},
		{"multi-word family name", "de la cruz", "f"},

		{"ISO date", "1980-05-12", "a"},
		{"year and month", "1980-05", "a"},
		{"year and one-digit month", "1980-5", "a"},
		{"year", "1980", "a d"},
		{"ambiguous slash date: both readings", "12/05/1980", "a d"},
		{"day-first only reading", "31/01/1966", "f"},
		{"month-first only reading", "01/31/1966", "f"},
		{"dotted day-first", "31.01.1966", "f"},
		{"single-digit parts", "3/2/2001", "c"},
		{"impossible date", "2001-02-30", ""},
		{"impossible month", "1980-13", ""},
		{"date in a name field does not count", "1980-05-13", ""},

		{"phone area code", "555", "f a b"},
		{"phone fragment with punctuation", "123-4567", "a"},
		{"phone written differently from record", "(555)9876543", "b"},
		{"phone digits only", "5550100", "f"},
		{"two digits are not a phone search", "55", ""},
		{"phone across two terms", "(555) 987", "b"},

		{"exact MRN", "a-1001", "a"},
		{"MRN prefix", "A-100", "a b"},
		{"MRN fragment", "3002", "f"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := hitIDs(ix.Search(tc.query, 0)); got != tc.want {
				t.Errorf("Search(%q) = [%s], want [%s]", tc.query, got, tc.want)
			}
		})
	}
}

func TestSearchResultCarriesSummary(t *testing.T) {
	ps := searchFixture()
	ix := NewPatientIndex(ps)
	hits := ix.Search("zoe", 0)
	if len(hits) != 1 || hits[0] != ps[2].Summary() {
		t.Fatalf("Search(zoe) = %+v, want the summary of %+v", hits, ps[2])
	}
}

func TestSearchTiesSortByFamilyThenGiven(t *testing.T) {
	ix := NewPatientIndex([]Patient{
		{ID: "1", GivenName: "Zed", FamilyName: "Brown", BirthDate: "2000-01-01"},
		{ID: "2", GivenName: "Amy", FamilyName: "Brown", BirthDate: "2000-01-01"},
		{ID: "3", GivenName: "Émile", FamilyName: "Abbott", BirthDate: "2000-01-01"},
		{ID: "4", GivenName: "Bea", FamilyName: "Ábel", BirthDate: "2000-01-01"},
	})
	// Accented names sort as if unaccented: Ábel as "abel", after Abbott.
	if got, want := hitIDs(ix.Search("2000", 0)), "3 4 2 1"; got != want {
		t.Errorf("Search(2000) = [%s], want [%s]", got, want)
	}
}

func TestSearchLimit(t *testing.T) {
	var ps []Patient
	for i := range 60 {
		ps = append(ps, Patient{ID: PatientID(fmt.Sprintf("p%02d", i)), GivenName: fmt.Sprintf("Given%02d", i), FamilyName: "Same", BirthDate: "1990-01-01"})
	}
	ix := NewPatientIndex(ps)
	for _, tc := range []struct{ limit, want int }{{0, 50}, {-1, 50}, {1, 1}, {10, 10}, {100, 60}} {
		if got := len(ix.Search("same", tc.limit)); got != tc.want {
			t.Errorf("Search(same, %d) returned %d hits, want %d", tc.limit, got, tc.want)
		}
		if got := len(ix.Search("", tc.limit)); got != tc.want {
			t.Errorf("Search(\"\", %d) returned %d hits, want %d", tc.limit, got, tc.want)
		}
	}
	// A limit keeps the best ranks, not the first scanned.
	ix.Put(Patient{ID: "zz", GivenName: "Zed", FamilyName: "Zulu", MRN: "SAME", BirthDate: "1990-01-01"})
	if got := hitIDs(ix.Search("same", 2)); got != "zz p00" {
		t.Errorf("Search(same, 2) = [%s], want the exact MRN then the first by name", got)
	}
}

func TestSearchEmptyQueryListsRecent(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ix := NewPatientIndex([]Patient{
		{ID: "old", GivenName: "A", FamilyName: "Old", UpdatedAt: base},
		{ID: "new", GivenName: "B", FamilyName: "New", UpdatedAt: base.Add(2 * time.Hour)},
		{ID: "mid", GivenName: "C", FamilyName: "Mid", UpdatedAt: base.Add(time.Hour)},
	})
	if got := hitIDs(ix.Search("", 0)); got != "new mid old" {
		t.Errorf("initial recent = [%s], want newest UpdatedAt first", got)
	}
	ix.Put(Patient{ID: "old", GivenName: "A", FamilyName: "Older"})
	ix.Put(Patient{ID: "x", GivenName: "X", FamilyName: "Added"})
	if got := hitIDs(ix.Search(" ", 0)); got != "x old new mid" {
		t.Errorf("recent after Put = [%s], want the last Put first and no repeats", got)
	}
	if got := hitIDs(ix.Search("", 2)); got != "x old" {
		t.Errorf("recent limited to 2 = [%s]", got)
	}
}

func TestPutReplaces(t *testing.T) {
	ix := NewPatientIndex(searchFixture())
	renamed := Patient{ID: "a", GivenName: "Ann", FamilyName: "Jones", BirthDate: "1980-05-12", MRN: "A-1001"}
	ix.Put(renamed)
	if ix.Len() != 8 {
		t.Errorf("Len after replacing = %d, want 8", ix.Len())
	}
	if got := hitIDs(ix.Search("smith", 0)); got != "g d b" {
		t.Errorf("Search(smith) after rename = [%s]: the old name must no longer be found", got)
	}
	if got := hitIDs(ix.Search("jones", 0)); got != "a" {
		t.Errorf("Search(jones) = [%s], want [a]", got)
	}
	if got := hitIDs(ix.Search("4567", 0)); got != "" {
		t.Errorf("Search(4567) = [%s]: the removed phone must no longer be found", got)
	}
	// An edit that keeps the name keeps the place but must still be seen.
	ix.Put(Patient{ID: "d", GivenName: "Joann", FamilyName: "Smith", BirthDate: "1981-12-05", Phone: "021 777 888", MRN: "B-2002"})
	if got := hitIDs(ix.Search("777888", 0)) + "|" + hitIDs(ix.Search("1980-12-05", 0)) + "|" + hitIDs(ix.Search("1981", 0)); got != "d||d" {
		t.Errorf("after editing d's phone and birth date: new phone, old date, new year = %q, want \"d||d\"", got)
	}
	if got := ix.Search("joann", 0); len(got) != 1 || got[0].BirthDate != "1981-12-05" {
		t.Errorf("Search(joann) = %+v, want the edited record", got)
	}
	ix.Put(Patient{ID: "new", GivenName: "Newt", FamilyName: "Smith", BirthDate: "2010-10-10"})
	if ix.Len() != 9 {
		t.Errorf("Len after inserting = %d, want 9", ix.Len())
	}
	if got := hitIDs(ix.Search("smith", 0)); got != "g d new b" {
		t.Errorf("Search(smith) after insert = [%s], want the new patient in name order", got)
	}
}

func TestPutManyReplacementsCompactsRecent(t *testing.T) {
	ix := NewPatientIndex(nil)
	for i := range 5000 {
		ix.Put(Patient{ID: PatientID(fmt.Sprint(i % 3)), GivenName: fmt.Sprint("G", i), FamilyName: "F"})
	}
	if ix.Len() != 3 {
		t.Fatalf("Len = %d, want 3", ix.Len())
	}
	if got := hitIDs(ix.Search("", 0)); got != "1 0 2" {
		t.Errorf("recent = [%s], want [1 0 2]", got)
	}
	if got := hitIDs(ix.Search("g4999", 0)); got != "1" {
		t.Errorf("Search(g4999) = [%s], want [1]", got)
	}
	if got := hitIDs(ix.Search("g4998", 0)); got != "0" {
		t.Errorf("Search(g4998) = [%s], want [0]", got)
	}
	if got := hitIDs(ix.Search("g4000", 0)); got != "" {
		t.Errorf("Search(g4000) = [%s]: a superseded name was found", got)
	}
}

func TestDuplicates(t *testing.T) {
	ix := NewPatientIndex(searchFixture())
	for _, tc := range []struct {
		name  string
		probe Patient
		want  []string // "id:reason"
	}{
		{"same name and birth date, any case", Patient{ID: "new", GivenName: "ANN", FamilyName: "smith", BirthDate: "1980-05-12"},
			[]string{"a:same name and date of birth"}},
		{"same name, other birth date", Patient{ID: "new", GivenName: "Ann", FamilyName: "Smith", BirthDate: "1980-05-13"}, nil},
		{"same phone written differently", Patient{ID: "new", GivenName: "X", FamilyName: "Y", BirthDate: "2000-01-01", Phone: "(555)-123-4567"},
			[]string{"a:same phone number"}},
		{"a patient is not its own duplicate", searchFixture()[0], nil},
		{"two reasons at once reports the name", Patient{ID: "new", GivenName: "Joann", FamilyName: "SMITH", BirthDate: "1980-12-05", Phone: "555 0100"},
			[]string{"f:same phone number", "d:same name and date of birth"}},
		{"no phone matches no phone", Patient{ID: "new", GivenName: "Q", FamilyName: "Q", BirthDate: "2000-01-01"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range ix.Duplicates(tc.probe) {
				got = append(got, string(c.Patient.ID)+":"+c.Reason)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Duplicates = %q, want %q", got, tc.want)
			}
		})
	}
}

// The index must agree with DuplicateReason, which the store and the UI
// also use when comparing two records directly.
func TestDuplicatesAgreesWithDuplicateReason(t *testing.T) {
	ps := syntheticPatients(2000, 7)
	ix := NewPatientIndex(ps[:1500])
	for i := 1400; i < 2000; i += 7 {
		probe := ps[i]
		if i%2 == 0 {
			probe.ID = "probe" // a new registration that copies an existing one
		}
		want := map[PatientID]string{}
		for j := range ps[:1500] {
			if r := DuplicateReason(&probe, &ps[j]); r != "" {
				want[ps[j].ID] = r
			}
		}
		got := map[PatientID]string{}
		for _, c := range ix.Duplicates(probe) {
			got[c.Patient.ID] = c.Reason
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Duplicates(%+v) = %v, DuplicateReason says %v", probe, got, want)
		}
	}
}

func TestClear(t *testing.T) {
	ix := NewPatientIndex(searchFixture())
	ix.Put(Patient{ID: "a", GivenName: "Ann", FamilyName: "Jones"}) // leaves a replaced entry in the recent log
	ix.Clear()
	if ix.Len() != 0 {
		t.Errorf("Len after Clear = %d", ix.Len())
	}
	if hits := ix.Search("", 0); len(hits) != 0 {
		t.Errorf("Search(\"\") after Clear = %+v", hits)
	}
	if hits := ix.Search("smith", 0); len(hits) != 0 {
		t.Errorf("Search(smith) after Clear = %+v", hits)
	}
	if d := ix.Duplicates(Patient{ID: "x", GivenName: "Ann", FamilyName: "Smith", BirthDate: "1980-05-12"}); len(d) != 0 {
		t.Errorf("Duplicates after Clear = %+v", d)
	}
	ix.Put(Patient{ID: "z", GivenName: "Zed", FamilyName: "Again"})
	if got := hitIDs(ix.Search("again", 0)); got != "z" || ix.Len() != 1 {
		t.Errorf("index unusable after Clear: Search = [%s], Len = %d", got, ix.Len())
	}
}

func TestZeroIndexIsUsable(t *testing.T) {
	var ix PatientIndex
	if ix.Len() != 0 || len(ix.Search("x", 0)) != 0 || len(ix.Search("", 0)) != 0 {
		t.Fatal("zero index is not empty")
	}
	ix.Put(Patient{ID: "1", GivenName: "A", FamilyName: "B"})
	if got := hitIDs(ix.Search("b", 0)); got != "1" {
		t.Errorf("Search on zero index after Put = [%s]", got)
	}
}

func TestEmptyResultsAreNotNil(t *testing.T) {
	// The results go to the UI as JSON: [] lists nothing, null breaks it.
	ix := NewPatientIndex(nil)
	if ix.Search("x", 0) == nil || ix.Search("", 0) == nil || ix.Duplicates(Patient{}) == nil {
		t.Error("an empty result is nil; want an empty slice")
	}
}

func TestConcurrentSearchAndPut(t *testing.T) {
	ps := syntheticPatients(2000, 3)
	ix := NewPatientIndex(ps[:1000])
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < 1000; i += 4 {
				ix.Put(ps[1000+i])
				p := ps[i]
				p.FamilyName = "Renamed"
				ix.Put(p)
			}
		}()
	}
	for _, q := range []string{"", "ann smi", "renamed", "1980", "555"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				ix.Search(q, 20)
				ix.Duplicates(ps[0])
				ix.Len()
			}
		}()
	}
	wg.Wait()
	if ix.Len() != 2000 {
		t.Errorf("Len = %d, want 2000", ix.Len())
	}
	if got := len(ix.Search("renamed", 5000)); got != 1000 {
		t.Errorf("Search(renamed) found %d, want 1000", got)
	}
}

func TestFoldText(t *testing.T) {
	for in, want := range map[string]string{
		"smith":            "smith",
		"SMITH":            "smith",
		"Zoë Núñez":        "zoe nunez",
		"ÅSA ØSTERGÅRD":    "asa ostergard",
		"Weiß":             "weiss",
		"Æsir Œuvre":       "aesir oeuvre",
		"Łukasz Dąbrowski": "lukasz dabrowski",
		"Çağlar Şahin":     "caglar sahin",
		"O'Brien":          "obrien",
		"O’Brien":          "obrien",
		"Zoe\u0308":        "zoe",
		"tab\there":        "tabhere",
		"Ĳssel":            "ijssel",
		"Иван":             "иван",
	} {
		if got := foldText(in); got != want {
			t.Errorf("foldText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDateTerms(t *testing.T) {
	for in, want := range map[string][2]string{
		"1980":       {"1980-"},
		"1980-05":    {"1980-05-"},
		"1980-5":     {"1980-05-"},
		"1980-05-12": {"1980-05-12"},
		"1980-5-2":   {"1980-05-02"},
		"12/05/1980": {"1980-05-12", "1980-12-05"},
		"05/05/1980": {"1980-05-05"},
		"31/01/1966": {"1966-01-31"},
		"01/31/1966": {"", "1966-01-31"},
		"29/02/2001": {},
		"29/02/2000": {"2000-02-29"},
		"31.01.1966": {"1966-01-31"},
		"31-01-1966": {"1966-01-31"},
		"1980-00":    {},
		"1980/05":    {},
		"1980--05":   {},
		"980":        {},
		"19800":      {},
		"smith":      {},
		"12/13/14":   {},
		"":           {},
	} {
		if got := dateTerms(in); got != want {
			t.Errorf("dateTerms(%q) = %q, want %q", in, got, want)
		}
	}
}

// naiveMatch is the search rule written plainly, without the index's masks,
// packing or ordering, to check that those optimisations lose no hit.
func naiveMatch(p *Patient, query string) bool {
	for _, raw := range strings.Fields(query) {
		text := foldText(raw)
		if text == "" {
			continue
		}
		hit := false
		for _, f := range []string{p.GivenName, p.FamilyName, p.PreferredName, p.MRN} {
			hit = hit || strings.Contains(foldText(f), text)
		}
		for _, d := range dateTerms(raw) {
			hit = hit || (d != "" && strings.HasPrefix(p.BirthDate, d))
		}
		if digits := PhoneDigits(raw); len(digits) >= 3 && isPhoneFragment(raw) {
			hit = hit || strings.Contains(PhoneDigits(p.Phone), digits)
		}
		if !hit {
			return false
		}
	}
	return true
}

func TestSearchAgreesWithNaiveMatch(t *testing.T) {
	ps := syntheticPatients(4000, 11)
	ix := NewPatientIndex(ps[:2000])
	current := map[PatientID]Patient{}
	for _, p := range ps[:2000] {
		current[p.ID] = p
	}
	// Scatter some entries outside the packed strings, then force a repack.
	for i, p := range ps[2000:] {
		if i%2 == 0 {
			p.ID = ps[i].ID // an edit of an existing patient
		}
		ix.Put(p)
		current[p.ID] = p
	}
	queries := []string{"a", "ann", "ann smi", "smith-jones", "nunez", "Núñez", "o'brien", "de la", "zz",
		ps[5].BirthDate, ps[6].BirthDate[:7], "1950", "12/05/1980", "5/6/1977", ps[7].MRN, ps[8].MRN[2:6],
		"555", "021", "(03)", "+64 21", "jo 19", "weiss muller", "q"}
	for _, q := range queries {
		got := map[PatientID]bool{}
		for _, h := range ix.Search(q, 1_000_000) {
			got[h.ID] = true
		}
		want := 0
		for id, p := range current {
			if naiveMatch(&p, q) {
				want++
				if !got[id] {
					t.Errorf("Search(%q) misses %+v", q, p.Summary())
				}
			}
		}
		if len(got) != want {
			t.Errorf("Search(%q) found %d, naive rule finds %d", q, len(got), want)
		}
	}
}
