package growth

import (
	"math"
	"sort"
	"time"
)

// Sample is one set of measurements taken together (a vitals record):
// weight in kg, length/height and head circumference in cm; nil = not
// measured.
type Sample struct {
	TakenAt string // "YYYY-MM-DD…": only the date counts
	Weight  *float64
	Height  *float64
	Head    *float64
}

// Point is one sample on a chart: X on the horizontal axis (age in months,
// or length in cm), Y the measurement. Score is nil when the point lies
// outside the chart, and Problem says why.
type Point struct {
	TakenAt        string  `json:"takenAt"`
	AgeMonths      float64 `json:"ageMonths"`
	X              float64 `json:"x"`
	Y              float64 `json:"y"`
	Score          *Score  `json:"score,omitempty"`
	PercentileText string  `json:"percentileText,omitempty"`
	Problem        string  `json:"problem,omitempty"`
}

// XY is one point of a curve.
type XY struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Curve is one reference percentile across the chart.
type Curve struct {
	Percentile float64 `json:"percentile"`
	Points     []XY    `json:"points"`
}

// Series is everything a growth chart draws: the reference curves, the
// patient's points, and the reference named with its attribution.
type Series struct {
	Chart       Chart   `json:"chart"`
	Sex         string  `json:"sex"`
	Reference   string  `json:"reference"`
	Attribution string  `json:"attribution"`
	XMin        float64 `json:"xMin"`
	XMax        float64 `json:"xMax"`
	Curves      []Curve `json:"curves"`
	Points      []Point `json:"points"`
}

// daysPerMonth is CDC's: age in months = days since birth / 30.4375.
const daysPerMonth = 30.4375

// AgeMonths is the age in months on day of someone born on birthDate
// (both "YYYY-MM-DD…").
func AgeMonths(birthDate, day string) (float64, error) {
	born, err1 := time.Parse(time.DateOnly, prefix(birthDate, 10))
	on, err2 := time.Parse(time.DateOnly, prefix(day, 10))
	if err1 != nil || err2 != nil {
		return 0, inputErrorf("Dates %q and %q must be YYYY-MM-DD.", birthDate, day)
	}
	days := math.Round(on.Sub(born).Hours() / 24)
	return days / daysPerMonth, nil
}

func prefix(s string, n int) string { return s[:min(n, len(s))] }

// Plot draws chart id for a patient of sex born on birthDate: the
// percentile curves and each sample the chart can use, scored. A sample
// outside the chart's range is kept with its Problem, never given a
// wrong score; a sample without the measurements the chart needs is left
// out.
func Plot(id ChartID, sex Sex, birthDate string, samples []Sample) (Series, error) {
	c, t, err := lookup(id, sex)
	if err != nil {
		return Series{}, err
	}
	s := Series{Chart: c, Sex: sex.String(), Reference: Reference, Attribution: Attribution,
		XMin: t.first(), XMax: t.last(), Curves: curves(t), Points: []Point{}}
	for _, sm := range samples {
		p, ok, err := point(c, t, birthDate, sm)
		if err != nil {
			return Series{}, err
		}
		if ok {
			s.Points = append(s.Points, p)
		}
	}
	sort.SliceStable(s.Points, func(i, j int) bool { return s.Points[i].TakenAt < s.Points[j].TakenAt })
	return s, nil
}

func point(c Chart, t *table, birthDate string, sm Sample) (Point, bool, error) {
	age, err := AgeMonths(birthDate, sm.TakenAt)
	if err != nil {
		return Point{}, false, err
	}
	x, y, ok := coordinates(c, age, sm)
	if !ok {
		return Point{}, false, nil
	}
	p := Point{TakenAt: sm.TakenAt, AgeMonths: age, X: x, Y: y}
	switch lms, in := t.at(x); {
	case age < 0:
		p.Problem = "Measured before the date of birth: check the date of birth or the date taken."
	case !in:
		p.Problem = outOfRange(c, t, x).Error()
	default:
		z, err := lms.Z(y)
		if err != nil {
			p.Problem = "The measurement is not a positive number."
			break
		}
		p.Score = &Score{Z: z, Percentile: Percentile(z)}
		p.PercentileText = PercentileText(p.Score.Percentile)
	}
	return p, true, nil
}

// coordinates picks what the chart plots from a sample; ok is false when
// the sample lacks it.
func coordinates(c Chart, age float64, sm Sample) (x, y float64, ok bool) {
	var m *float64
	switch c.Measure {
	case MeasureWeight:
		m = sm.Weight
	case MeasureLength:
		m = sm.Height
	case MeasureHead:
		m = sm.Head
	case MeasureBMI:
		if sm.Weight == nil || sm.Height == nil || *sm.Height <= 0 {
			return 0, 0, false
		}
		h := *sm.Height / 100
		bmi := *sm.Weight / (h * h)
		m = &bmi
	}
	if m == nil {
		return 0, 0, false
	}
	if c.Axis == AxisLength {
		if sm.Height == nil {
			return 0, 0, false
		}
		return *sm.Height, *m, true
	}
	return age, *m, true
}

// curves computes each percentile at every row of the table.
func curves(t *table) []Curve {
	out := make([]Curve, 0, len(Percentiles))
	for _, pct := range Percentiles {
		z, _ := ZOfPercentile(pct)
		c := Curve{Percentile: pct, Points: make([]XY, 0, len(t.axis))}
		for i, x := range t.axis {
			if y := t.lms[i].Value(z); !math.IsNaN(y) {
				c.Points = append(c.Points, XY{X: x, Y: y})
			}
		}
		out = append(out, c)
	}
	return out
}
