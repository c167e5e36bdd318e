package growth

import (
	"fmt"
	"math"
	"strconv"
)

// InputError is a request the charts cannot answer (an unknown chart, a sex
// the references do not cover, an age or length outside a chart): its
// message is for the user. Any other error is a fault in the embedded data.
type InputError struct{ Message string }

func (e *InputError) Error() string { return e.Message }

func inputErrorf(format string, args ...any) error {
	return &InputError{Message: fmt.Sprintf(format, args...)}
}

// Score is where one measurement lies in the reference.
type Score struct {
	Z          float64 `json:"z"`
	Percentile float64 `json:"percentile"`
}

// lookup returns the rows of chart id for sex.
func lookup(id ChartID, sex Sex) (Chart, *table, error) {
	c, ok := ChartFor(id)
	if !ok {
		return Chart{}, nil, inputErrorf("There is no growth chart called %q.", id)
	}
	if sex != Male && sex != Female {
		return Chart{}, nil, inputErrorf("The CDC growth charts are by sex: record the patient's sex as male or female to use them.")
	}
	all, err := tables()
	if err != nil {
		return Chart{}, nil, err
	}
	return c, all[c.File][sex], nil
}

// ParamsAt returns the LMS of chart id for sex at axis value x (age in
// months, or length/stature in cm), interpolated between rows. Outside
// the chart it is an InputError naming the chart's range, never a number.
func ParamsAt(id ChartID, sex Sex, x float64) (LMS, error) {
	c, t, err := lookup(id, sex)
	if err != nil {
		return LMS{}, err
	}
	p, ok := t.at(x)
	if !ok {
		return LMS{}, outOfRange(c, t, x)
	}
	return p, nil
}

func outOfRange(c Chart, t *table, x float64) error {
	if c.Axis == AxisLength {
		return inputErrorf("%s (%s) covers %ss of %s to %s cm; this one is %s cm.",
			c.Title, c.Ages, lower(c.XLabel), trim(t.first()), trim(t.last()), trim(x))
	}
	return inputErrorf("%s (%s) covers ages %s to %s months; this measurement is at %s months.",
		c.Title, c.Ages, trim(t.first()), trim(t.last()), trim(x))
}

// ScoreAt returns the z-score and percentile of measurement y (in the
// chart's unit) at axis value x.
func ScoreAt(id ChartID, sex Sex, x, y float64) (Score, error) {
	p, err := ParamsAt(id, sex, x)
	if err != nil {
		return Score{}, err
	}
	z, err := p.Z(y)
	if err != nil {
		return Score{}, inputErrorf("A measurement must be a positive number.")
	}
	return Score{Z: z, Percentile: Percentile(z)}, nil
}

// PercentileText is how a percentile is read: "58th", "0.4th" near the
// ends, "<0.1st" and ">99.9th" beyond them.
func PercentileText(pct float64) string {
	switch {
	case pct < 0.1:
		return "<0.1st"
	case pct > 99.9:
		return ">99.9th"
	case pct < 1 || pct > 99:
		return strconv.FormatFloat(math.Round(pct*10)/10, 'f', 1, 64) + "th"
	}
	n := int(math.Round(pct))
	return strconv.Itoa(n) + ordinal(n)
}

func ordinal(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

func trim(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
