package growth

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// Every file reads whole: 38 rows a sex for the infant ages (0, 0.5, 1.5 …
// 35.5, 36; length stops at 35.5), bmiagerev's 219 despite its repeated
// header, lenageinf's L, M, S found among its extra columns.
func TestTablesReadWhole(t *testing.T) {
	want := map[string]struct {
		rows        int
		first, last float64
	}{
		"wtageinf.csv": {38, 0, 36}, "lenageinf.csv": {37, 0, 35.5}, "hcageinf.csv": {38, 0, 36},
		"wtleninf.csv": {60, 45, 103.5}, "wtage.csv": {218, 24, 240}, "statage.csv": {218, 24, 240},
		"bmiagerev.csv": {219, 24, 240.5}, "wtstat.csv": {46, 77, 121.5},
	}
	all, err := tables()
	if err != nil {
		t.Fatal(err)
	}
	for file, w := range want {
		for _, sex := range []Sex{Male, Female} {
			tb := all[file][sex]
			if tb == nil || len(tb.axis) != w.rows || tb.first() != w.first || tb.last() != w.last {
				t.Errorf("%s %s: got %v rows", file, sex, tb)
			}
		}
	}
	// lenageinf's first boys' row, read by column name past Pub/Diff columns.
	p, _ := ParamsAt(LengthForAge, Male, 0)
	if p != (LMS{1.267004226, 49.98888408, 0.053112191}) {
		t.Errorf("lenageinf boys at birth: %+v", p)
	}
	// bmiagerev's girls start after the repeated header.
	p, _ = ParamsAt(BMIForAge, Female, 24)
	if p.M < 16 || p.M > 17 {
		t.Errorf("bmiagerev girls at 24 months: %+v", p)
	}
}

// Between two rows each of L, M and S is interpolated linearly.
func TestInterpolation(t *testing.T) {
	a, _ := ParamsAt(WeightForAgeInfant, Female, 12.5)
	b, _ := ParamsAt(WeightForAgeInfant, Female, 13.5)
	got, err := ParamsAt(WeightForAgeInfant, Female, 13.25)
	if err != nil {
		t.Fatal(err)
	}
	want := LMS{a.L + 0.75*(b.L-a.L), a.M + 0.75*(b.M-a.M), a.S + 0.75*(b.S-a.S)}
	if !near(got.L, want.L, 1e-12) || !near(got.M, want.M, 1e-12) || !near(got.S, want.S, 1e-12) {
		t.Errorf("at 13.25 months %+v, want %+v", got, want)
	}
	// Birth to the first half month: 0.25 is halfway.
	a, _ = ParamsAt(HeadForAge, Male, 0)
	b, _ = ParamsAt(HeadForAge, Male, 0.5)
	got, _ = ParamsAt(HeadForAge, Male, 0.25)
	if !near(got.M, (a.M+b.M)/2, 1e-12) {
		t.Errorf("head at 0.25 months M = %v, want %v", got.M, (a.M+b.M)/2)
	}
}

// Outside a chart the answer is an error naming the chart's range, at the
// edge itself a score.
func TestOutOfRange(t *testing.T) {
	cases := []struct {
		chart  ChartID
		x      float64
		inside bool
		words  string
	}{
		{WeightForAgeInfant, 36, true, ""},
		{WeightForAgeInfant, 36.01, false, "ages 0 to 36 months"},
		{WeightForAgeInfant, -0.1, false, "ages 0 to 36 months"},
		{LengthForAge, 35.5, true, ""},
		{LengthForAge, 35.6, false, "ages 0 to 35.5 months"},
		{HeadForAge, 37, false, "Head circumference-for-age"},
		{WeightForLength, 45, true, ""},
		{WeightForLength, 44.9, false, "lengths of 45 to 103.5 cm"},
		{WeightForLength, 104, false, "this one is 104 cm"},
		{WeightForStature, 76.9, false, "statures of 77 to 121.5 cm"},
		{BMIForAge, 23.9, false, "ages 24 to 240.5 months"},
		{StatureForAge, 240, true, ""},
		{StatureForAge, 240.5, false, "ages 24 to 240 months"},
		{WeightForAge, math.NaN(), false, "months"},
	}
	for _, c := range cases {
		_, err := ScoreAt(c.chart, Female, c.x, 10)
		var ie *InputError
		switch {
		case c.inside && err != nil:
			t.Errorf("%s at %v: %v", c.chart, c.x, err)
		case !c.inside && (!errors.As(err, &ie) || !strings.Contains(ie.Message, c.words)):
			t.Errorf("%s at %v: error %v, want one saying %q", c.chart, c.x, err, c.words)
		}
	}
}

func TestRefusals(t *testing.T) {
	var ie *InputError
	if _, err := ScoreAt(WeightForAgeInfant, Sex(3), 12, 9); !errors.As(err, &ie) || !strings.Contains(ie.Message, "male or female") {
		t.Errorf("sex 3: %v", err)
	}
	if _, err := ScoreAt("weight-age-who", Male, 12, 9); !errors.As(err, &ie) {
		t.Errorf("unknown chart: %v", err)
	}
	for _, y := range []float64{0, -3, math.NaN(), math.Inf(1)} {
		if _, err := ScoreAt(WeightForAgeInfant, Male, 12, y); !errors.As(err, &ie) {
			t.Errorf("weight %v: %v", y, err)
		}
	}
}

func TestLMSBothWays(t *testing.T) {
	for _, p := range []LMS{{-0.16, 9.48, 0.112}, {0, 50, 0.04}, {1e-13, 50, 0.04}, {1.8, 3.5, 0.15}} {
		for _, z := range []float64{-2.5, -1, 0, 0.7, 2.5} {
			got, err := p.Z(p.Value(z))
			if err != nil || math.Abs(got-z) > 1e-9 {
				t.Errorf("%+v: z %v → %v → %v (%v)", p, z, p.Value(z), got, err)
			}
		}
	}
	if v := (LMS{2, 10, 0.2}).Value(-3); !math.IsNaN(v) {
		t.Errorf("beyond the distribution: %v, want NaN", v)
	}
}

func TestPercentiles(t *testing.T) {
	for pct, z := range map[float64]float64{3: -1.8807936, 5: -1.6448536, 50: 0, 85: 1.0364334, 97: 1.8807936} {
		got, err := ZOfPercentile(pct)
		if err != nil || math.Abs(got-z) > 1e-6 || math.Abs(Percentile(got)-pct) > 1e-9 {
			t.Errorf("z of %v = %v (%v), want %v", pct, got, err, z)
		}
	}
	if _, err := ZOfPercentile(100); err == nil {
		t.Error("percentile 100 accepted")
	}
	for pct, want := range map[float64]string{58.2: "58th", 1.2: "1st", 2: "2nd", 3.4: "3rd", 11: "11th", 12.4: "12th",
		13: "13th", 21: "21st", 0.43: "0.4th", 99.62: "99.6th", 0.05: "<0.1st", 99.95: ">99.9th"} {
		if got := PercentileText(pct); got != want {
			t.Errorf("PercentileText(%v) = %q, want %q", pct, got, want)
		}
	}
}
