package cdsi

import (
	"strings"
	"testing"
)

func mustParse(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// CDSi date arithmetic (logic specification, "Calculating dates"): months
// and years land on the same day of the month, or on the first of the next
// month when that day does not exist; weeks and days are exact; terms apply
// left to right.
func TestOffsetArithmetic(t *testing.T) {
	for _, c := range []struct{ from, offset, want string }{
		{"2025-01-15", "6 weeks", "2025-02-26"},
		{"2025-01-15", "6 weeks - 4 days", "2025-02-22"},
		{"2025-01-31", "1 month", "2025-03-01"}, // no 31 February: first of March
		{"2024-01-31", "1 month", "2024-03-01"}, // leap year: 29 February exists, 31 does not
		{"2025-03-31", "1 month", "2025-05-01"}, // no 31 April
		{"2024-02-29", "1 year", "2025-03-01"},  // born on leap day
		{"2024-02-29", "4 years", "2028-02-29"},
		{"2025-08-31", "6 months", "2026-03-01"},
		{"2025-09-01", "3 months + 4 weeks", "2025-12-29"},
		{"2025-11-10", "12 months - 4 days", "2026-11-06"},
		{"2025-11-10", "18 years", "2043-11-10"},
		{"2025-11-10", "0 days", "2025-11-10"},
		{"2025-03-10", "-1 month", "2025-02-10"},
		{"2025-03-31", "-1 month", "2025-03-01"}, // 31 February does not exist
		{"2025-12-15", "1 month", "2026-01-15"},  // year boundary
	} {
		o, ok, err := ParseOffset(c.offset)
		if err != nil || !ok {
			t.Fatalf("%q: %v", c.offset, err)
		}
		if got := o.From(mustParse(t, c.from)).String(); got != c.want {
			t.Errorf("%s + %s = %s, want %s", c.from, c.offset, got, c.want)
		}
	}
}

func TestOffsetRejectsNonsense(t *testing.T) {
	for _, s := range []string{"6 fortnights", "weeks", "6", "six weeks"} {
		if _, _, err := ParseOffset(s); err == nil {
			t.Errorf("%q parsed; want an error", s)
		}
	}
	if _, ok, err := ParseOffset(" "); ok || err != nil {
		t.Errorf("blank offset: ok=%v err=%v, want absent", ok, err)
	}
}

// Every duration in the embedded supporting data parses (off() treats a
// malformed one as absent, so this is where a data error would show).
func TestSupportingDataOffsetsParse(t *testing.T) {
	d, err := Supporting()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	check := func(where, s string) {
		if strings.TrimSpace(s) == "" {
			return
		}
		n++
		if _, _, err := ParseOffset(s); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	for name, a := range d.Antigens {
		for _, s := range a.Series {
			for _, td := range s.Doses {
				w := name + "/" + s.Name + "/" + td.Number
				for _, ag := range td.Ages {
					for _, v := range []string{ag.AbsMin, ag.Min, ag.EarliestRec, ag.LatestRec, ag.Max} {
						check(w, v)
					}
				}
				for _, iv := range append(append([]interval(nil), td.Intervals...), td.Allowable...) {
					for _, v := range []string{iv.AbsMin, iv.Min, iv.EarliestRec, iv.LatestRec} {
						check(w, v)
					}
				}
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d durations found in the supporting data; parsing lost the series?", n)
	}
	if len(d.Antigens) != 30 {
		t.Errorf("%d antigens parsed, want the 30 files of v4.64", len(d.Antigens))
	}
}

// The 4-day grace period: a dose at the absolute minimum age (minimum age
// minus 4 days) is valid, one a day earlier is not (CDC cases 2013-0044 and
// 2013-0045 cover the same edge through the whole engine).
func TestGracePeriodAge(t *testing.T) {
	dob := mustParse(t, "2025-01-01")
	assess := mustParse(t, "2025-06-01")
	min := mustParse(t, "2025-02-12") // 6 weeks
	for _, c := range []struct {
		given string
		want  string
	}{
		{min.AddDays(-4).String(), Valid},
		{min.AddDays(-5).String(), NotValid},
		{min.String(), Valid},
	} {
		gf, err := ForecastGroup(Patient{DOB: dob, Gender: "F"}, []Dose{{ID: "1", Date: mustParse(t, c.given), CVX: "20"}}, assess, "DTaP/Tdap/Td")
		if err != nil {
			t.Fatal(err)
		}
		if len(gf.Doses) != 1 || gf.Doses[0].Status != c.want {
			t.Errorf("DTaP at %s (6 weeks is %s): %+v, want %s", c.given, min, gf.Doses, c.want)
		}
	}
}

// The grace period on intervals: DTaP dose 2 needs 4 weeks after dose 1,
// 4 weeks - 4 days absolute.
func TestGracePeriodInterval(t *testing.T) {
	dob := mustParse(t, "2025-01-01")
	first := mustParse(t, "2025-03-01")
	for _, c := range []struct {
		days int
		want string
	}{{24, Valid}, {23, NotValid}, {28, Valid}} {
		doses := []Dose{{ID: "1", Date: first, CVX: "20"}, {ID: "2", Date: first.AddDays(c.days), CVX: "20"}}
		gf, err := ForecastGroup(Patient{DOB: dob}, doses, mustParse(t, "2025-12-01"), "DTaP/Tdap/Td")
		if err != nil {
			t.Fatal(err)
		}
		if got := gf.Doses[1].Status; got != c.want {
			t.Errorf("dose 2 %d days after dose 1: %s (%s), want %s", c.days, got, gf.Doses[1].Reason, c.want)
		}
	}
}
