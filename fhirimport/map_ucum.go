package fhirimport

import (
	"fmt"
	"math"

	"outpost/chart"
)

// UCUM units a source may send a vital sign in, and how each converts to
// the chart's canonical unit (chart/vitals.go). Both the UCUM code and
// the common printed symbol are accepted: some senders put only "lb" in
// Quantity.unit and nothing in code.
type ucumUnit struct {
	field   chart.VitalField
	factor  float64 // canonical = value*factor + offset
	offset  float64
	canonic bool
}

var ucumUnits = func() map[chart.VitalField]map[string]ucumUnit {
	t := map[chart.VitalField]map[string]ucumUnit{}
	add := func(f chart.VitalField, factor, offset float64, units ...string) {
		if t[f] == nil {
			t[f] = map[string]ucumUnit{}
		}
		for _, u := range units {
			t[f][u] = ucumUnit{f, factor, offset, factor == 1 && offset == 0}
		}
	}
	add(chart.VitalWeight, 1, 0, "kg")
	add(chart.VitalWeight, 0.001, 0, "g")
	add(chart.VitalWeight, 0.45359237, 0, "[lb_av]", "lb", "lbs")
	add(chart.VitalWeight, 0.028349523125, 0, "[oz_av]", "oz")
	add(chart.VitalHeight, 1, 0, "cm")
	add(chart.VitalHeight, 100, 0, "m")
	add(chart.VitalHeight, 0.1, 0, "mm")
	add(chart.VitalHeight, 2.54, 0, "[in_i]", "in")
	add(chart.VitalHeight, 30.48, 0, "[ft_i]", "ft")
	add(chart.VitalHeadCircumference, 1, 0, "cm")
	add(chart.VitalHeadCircumference, 0.1, 0, "mm")
	add(chart.VitalHeadCircumference, 2.54, 0, "[in_i]", "in")
	add(chart.VitalTemperature, 1, 0, "Cel", "°C", "C")
	add(chart.VitalTemperature, 5.0/9, -32*5.0/9, "[degF]", "°F", "F", "degF")
	add(chart.VitalTemperature, 1, -273.15, "K")
	for _, f := range []chart.VitalField{chart.VitalSystolic, chart.VitalDiastolic} {
		add(f, 1, 0, "mm[Hg]", "mmHg")
	}
	for _, f := range []chart.VitalField{chart.VitalHeartRate, chart.VitalRespiratoryRate} {
		add(f, 1, 0, "/min", "{beats}/min", "{breaths}/min", "beats/min", "breaths/min", "{Beats}/min", "{Breaths}/min", "1/min", "min-1")
	}
	add(chart.VitalSpO2, 1, 0, "%")
	add(chart.VitalPain, 1, 0, "{score}", "{Score}", "1", "")
	return t
}()

// toCanonical converts a vital sign's value in a UCUM unit (code, else the
// printed unit) to the chart's canonical unit.
func toCanonical(f chart.VitalField, value float64, code, printed string) (float64, error) {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, fmt.Errorf("the value is not a number")
	}
	units := ucumUnits[f]
	u, ok := units[code]
	if !ok && code == "" {
		u, ok = units[printed]
	}
	if !ok {
		want, _ := chart.VitalLOINC(f)
		shown := code
		if shown == "" {
			shown = printed
		}
		return 0, fmt.Errorf("the unit %q is not one Outpost converts for %s (expected %s)", shown, f, want.Unit)
	}
	x := value*u.factor + u.offset
	if f == chart.VitalPain {
		// The 0-10 scale is whole numbers; some generators (Synthea 2.4)
		// write fractions. The nearest score is kept; the exact value
		// stays in the original JSON.
		x = math.Round(x)
	}
	return x, nil
}
