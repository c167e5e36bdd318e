package growth

import (
	"math"
	"strings"
	"testing"
)

func kg(x float64) *float64 { return &x }

func TestAgeMonths(t *testing.T) {
	for _, c := range []struct {
		birth, day string
		months     float64
	}{
		{"2025-11-05", "2025-11-05T09:00", 0},
		{"2025-11-05", "2026-12-05", 395 / daysPerMonth}, // 13 months: 395 days
		{"2024-02-29", "2025-02-28", 365 / daysPerMonth},
	} {
		got, err := AgeMonths(c.birth, c.day)
		if err != nil || math.Abs(got-c.months) > 1e-12 {
			t.Errorf("AgeMonths(%s, %s) = %v, %v; want %v", c.birth, c.day, got, err, c.months)
		}
	}
	if _, err := AgeMonths("5/11/2025", "2026-12-05"); err == nil {
		t.Error("a malformed date accepted")
	}
}

// A 13-month-old girl's visit on every infant chart: her point scored as
// ScoreAt scores it, the nine curves with the 50th on the median.
func TestPlotInfant(t *testing.T) {
	birth := "2025-11-05"
	samples := []Sample{
		{TakenAt: "2026-12-05T10:00", Weight: kg(9.2), Height: kg(74.5), Head: kg(45.1)},
		{TakenAt: "2026-06-05T10:00", Weight: kg(7.1)}, // no length: not on weight-for-length
	}
	age, _ := AgeMonths(birth, samples[0].TakenAt)
	for id, want := range map[ChartID]struct {
		n    int
		x, y float64
	}{
		WeightForAgeInfant: {2, age, 9.2}, LengthForAge: {1, age, 74.5}, HeadForAge: {1, age, 45.1},
		WeightForLength: {1, 74.5, 9.2},
	} {
		s, err := Plot(id, Female, birth, samples)
		if err != nil {
			t.Fatal(err)
		}
		if s.Reference != "CDC 2000" || !strings.HasPrefix(s.Attribution, "Source: CDC.") || s.Sex != "female" {
			t.Errorf("%s: reference %q, attribution %q, sex %q", id, s.Reference, s.Attribution, s.Sex)
		}
		if len(s.Points) != want.n {
			t.Fatalf("%s: %d points, want %d", id, len(s.Points), want.n)
		}
		last := s.Points[len(s.Points)-1]
		score, err := ScoreAt(id, Female, want.x, want.y)
		if err != nil || last.X != want.x || last.Y != want.y || last.Score == nil || *last.Score != score {
			t.Errorf("%s: point %+v, want score %+v at (%v, %v) (%v)", id, last, score, want.x, want.y, err)
		}
		if last.PercentileText != PercentileText(score.Percentile) {
			t.Errorf("%s: %q", id, last.PercentileText)
		}
		if len(s.Curves) != 9 || s.Curves[4].Percentile != 50 {
			t.Fatalf("%s: curves %v", id, len(s.Curves))
		}
		mid := s.Curves[4].Points[10]
		p, _ := ParamsAt(id, Female, mid.X)
		if !near(mid.Y, p.M, 1e-12) {
			t.Errorf("%s: the 50th percentile at %v is %v, want M %v", id, mid.X, mid.Y, p.M)
		}
		for i := 1; i < len(s.Curves); i++ {
			if s.Curves[i].Points[10].Y <= s.Curves[i-1].Points[10].Y {
				t.Errorf("%s: curve %v not above %v", id, s.Curves[i].Percentile, s.Curves[i-1].Percentile)
			}
		}
	}
}

// A point outside the chart is kept with the reason, never scored; one
// taken before birth says so.
func TestPlotOutside(t *testing.T) {
	s, err := Plot(BMIForAge, Male, "2024-01-10", []Sample{
		{TakenAt: "2025-01-10", Weight: kg(10), Height: kg(75)}, // 12 months: BMI-for-age starts at 2 years
		{TakenAt: "2026-07-10", Weight: kg(13), Height: kg(90)}, // 30 months
		{TakenAt: "2023-12-31", Weight: kg(3), Height: kg(50)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 3 {
		t.Fatalf("%d points", len(s.Points))
	}
	before, young, ok := s.Points[0], s.Points[1], s.Points[2]
	if before.Score != nil || !strings.Contains(before.Problem, "before the date of birth") {
		t.Errorf("before birth: %+v", before)
	}
	if young.Score != nil || !strings.Contains(young.Problem, "ages 24 to 240.5 months") {
		t.Errorf("12 months on BMI-for-age: %+v", young)
	}
	bmi := 13 / (0.9 * 0.9)
	if ok.Score == nil || !near(ok.Y, bmi, 1e-12) {
		t.Errorf("30 months: %+v, want BMI %v scored", ok, bmi)
	}
	if _, err := Plot(BMIForAge, Male, "2024-01-10", []Sample{{TakenAt: "soon", Weight: kg(3)}}); err == nil {
		t.Error("a malformed date accepted")
	}
}
