package chart

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

type typedDateCase struct {
	Typed string `json:"typed"`
	DMY   string `json:"dmy"`
	MDY   string `json:"mdy"`
	None  string `json:"none"`
}

// TestParseDateSharedCases runs the cases the frontend's reader runs too
// (frontend/src/lib/typedDate.test.ts), so "understood as" on the form is
// what the backend stores.
func TestParseDateSharedCases(t *testing.T) {
	raw, err := os.ReadFile("testdata/typed_dates.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Cases []typedDateCase }
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) < 20 {
		t.Fatalf("only %d cases loaded", len(file.Cases))
	}
	for _, c := range file.Cases {
		for _, o := range []struct {
			order DateOrder
			want  string
		}{{DateOrderDMY, c.DMY}, {DateOrderMDY, c.MDY}, {"", c.None}} {
			got, err := ParseDate("birthDate", "Date of birth", c.Typed, o.order)
			if phrase, isErr := strings.CutPrefix(o.want, "error:"); isErr {
				if err == nil || ErrorField(err) != "birthDate" || !strings.Contains(ErrorMessage(err), phrase) {
					t.Errorf("ParseDate(%q, %q) = %q, %v; want a birthDate error saying %q", c.Typed, o.order, got, err, phrase)
				}
				continue
			}
			if err != nil || got != o.want {
				t.Errorf("ParseDate(%q, %q) = %q, %v; want %s", c.Typed, o.order, got, err, o.want)
			}
		}
	}
}

func TestBirthDateFollowsThePracticeOrder(t *testing.T) {
	for _, tc := range []struct {
		order DateOrder
		want  string
	}{{DateOrderDMY, "1980-12-03"}, {DateOrderMDY, "1980-03-12"}} {
		p := validPatient()
		p.BirthDate = "03/12/1980"
		if err := p.ValidateFor(testNow, tc.order); err != nil || p.BirthDate != tc.want {
			t.Errorf("order %s: BirthDate = %q, %v; want %s", tc.order, p.BirthDate, err, tc.want)
		}
	}
	p := validPatient()
	p.BirthDate = "12 Mar 1980"
	if err := p.Validate(testNow); err != nil || p.BirthDate != "1980-03-12" {
		t.Errorf("12 Mar 1980 = %q, %v", p.BirthDate, err)
	}
	p.BirthDate = "12 Dec 2026"
	if err := p.Validate(testNow); !strings.Contains(ErrorMessage(err), "12 December 2026 is in the future") {
		t.Errorf("future date message: %v", err)
	}
}

func TestDateOrderDefaultsFromUnits(t *testing.T) {
	for _, tc := range []struct {
		units PracticeUnits
		want  DateOrder
	}{
		{MetricUnits(), DateOrderDMY},
		{USUnits(), DateOrderMDY},
		{PracticeUnits{}, DateOrderDMY},
		{PracticeUnits{Weight: UnitPound, DateOrder: DateOrderDMY}, DateOrderDMY},
		{PracticeUnits{DateOrder: DateOrderMDY}, DateOrderMDY},
	} {
		if got := tc.units.DateOrderOrDefault(); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.units, got, tc.want)
		}
	}
	if err := (PracticeUnits{DateOrder: "ymd"}).Validate(); ErrorField(err) != "dateOrder" {
		t.Errorf("unknown date order: %v", err)
	}
	if err := (PracticeUnits{DateOrder: DateOrderMDY}).Validate(); err != nil {
		t.Errorf("mdy refused: %v", err)
	}
}
