package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// VitalField names one measurement of a vitals set. The names double as the
// form-field names that errors and flags point at.
type VitalField string

const (
	VitalSystolic        VitalField = "systolic"
	VitalDiastolic       VitalField = "diastolic"
	VitalHeartRate       VitalField = "heartRate"
	VitalRespiratoryRate VitalField = "respiratoryRate"
	VitalTemperature     VitalField = "temperature"
	VitalSpO2            VitalField = "spo2"
	VitalWeight          VitalField = "weight"
	VitalHeight          VitalField = "height"
	VitalPain            VitalField = "pain"
	// VitalHeadCircumference is the occipital-frontal circumference, for
	// the growth charts of children under 3.
	VitalHeadCircumference VitalField = "headCircumference"
	VitalBMI               VitalField = "bmi"
)

// Canonical UCUM units: every stored value is in one of these, whatever the
// practice types and displays, so that records from a US clinic and a
// metric one compare and export (FHIR Observation valueQuantity) unchanged.
const (
	UnitMmHg       = "mm[Hg]"
	UnitPerMinute  = "/min"
	UnitCelsius    = "Cel"
	UnitPercent    = "%"
	UnitKilogram   = "kg"
	UnitCentimetre = "cm"
	UnitScore      = "{score}"
	UnitBMI        = "kg/m2"

	// Display-only units a practice may choose instead.
	UnitPound      = "[lb_av]"
	UnitFahrenheit = "[degF]"
	UnitInch       = "[in_i]"
)

// Exact definitions (international yard and pound agreement, 1959).
const (
	kgPerPound = 0.45359237
	cmPerInch  = 2.54
)

// vitalSpec is one row of the vitals table: the canonical unit and the
// possible range. Values outside [MinPossible, MaxPossible] are refused as
// mistyped readings at any age. Values outside the typical range for the
// patient's age (vitalranges.json) are kept but flagged so the clinician
// looks twice.
type vitalSpec struct {
	Field VitalField
	Noun  string // "a heart rate": the message reads "A heart rate of …"
	Unit  string
	// StoreDecimals is the stored precision: fine enough that a value typed
	// in a display unit converts back to the same displayed figure.
	StoreDecimals int
	// ShowDecimals is the precision a person reads and types.
	ShowDecimals int
	// WholeOnly refuses fractions instead of rounding them: a pain score
	// of 7.5 is a misunderstanding of the scale, not a precise reading.
	WholeOnly                bool
	MinPossible, MaxPossible float64
}

// vitalSpecs holds the possible ranges. They are wide on purpose: they
// catch a slipped digit or a wrong unit (a weight in lb typed as kg is
// still possible, a temperature in °F typed as °C is not), never a sick
// patient, and hold at every age (a newborn's respiratory rate of 60 and
// an adult's of 4 are both possible).
var vitalSpecs = []vitalSpec{
	{VitalSystolic, "a systolic pressure", UnitMmHg, 0, 0, false, 40, 300},
	{VitalDiastolic, "a diastolic pressure", UnitMmHg, 0, 0, false, 20, 200},
	{VitalHeartRate, "a heart rate", UnitPerMinute, 0, 0, false, 20, 300},
	{VitalRespiratoryRate, "a respiratory rate", UnitPerMinute, 0, 0, false, 4, 120},
	{VitalTemperature, "a temperature", UnitCelsius, 2, 1, false, 25, 45},
	{VitalSpO2, "an oxygen saturation", UnitPercent, 0, 0, false, 50, 100},
	{VitalWeight, "a weight", UnitKilogram, 3, 1, false, 0.2, 650},
	{VitalHeight, "a height", UnitCentimetre, 3, 1, false, 20, 275},
	{VitalPain, "a pain score", UnitScore, 0, 0, true, 0, 10},
	// Head circumference is in cm only, as the growth charts measure it;
	// 20 cm refuses a newborn's head in inches typed into the cm box.
	{VitalHeadCircumference, "a head circumference", UnitCentimetre, 1, 1, false, 20, 75},
	{VitalBMI, "a BMI", UnitBMI, 1, 1, false, 7, 150},
}

func specFor(f VitalField) *vitalSpec {
	for i := range vitalSpecs {
		if vitalSpecs[i].Field == f {
			return &vitalSpecs[i]
		}
	}
	return nil
}

// VitalSigns is one set of vitals, every value in its canonical unit.
// A nil pointer means "not measured".
type VitalSigns struct {
	Systolic        *float64 `json:"systolic,omitempty"`        // mm[Hg]
	Diastolic       *float64 `json:"diastolic,omitempty"`       // mm[Hg]
	HeartRate       *float64 `json:"heartRate,omitempty"`       // /min
	RespiratoryRate *float64 `json:"respiratoryRate,omitempty"` // /min
	Temperature     *float64 `json:"temperature,omitempty"`     // Cel
	SpO2            *float64 `json:"spo2,omitempty"`            // %
	Weight          *float64 `json:"weight,omitempty"`          // kg
	Height          *float64 `json:"height,omitempty"`          // cm
	Pain            *float64 `json:"pain,omitempty"`            // {score} 0–10
	// HeadCircumference is the occipital-frontal circumference in cm.
	HeadCircumference *float64 `json:"headCircumference,omitempty"`
	// BMI is computed by Check from weight and height; input is ignored.
	BMI *float64 `json:"bmi,omitempty"` // kg/m2
}

// VitalFlag marks an accepted value outside the typical range for the
// patient's age.
type VitalFlag struct {
	Field   VitalField `json:"field"`
	Level   string     `json:"level"` // "high" or "low"
	Message string     `json:"message"`
}

const (
	FlagHigh = "high"
	FlagLow  = "low"
)

// slot returns the pointer that holds field f's value.
func (v *VitalSigns) slot(f VitalField) **float64 {
	switch f {
	case VitalSystolic:
		return &v.Systolic
	case VitalDiastolic:
		return &v.Diastolic
	case VitalHeartRate:
		return &v.HeartRate
	case VitalRespiratoryRate:
		return &v.RespiratoryRate
	case VitalTemperature:
		return &v.Temperature
	case VitalSpO2:
		return &v.SpO2
	case VitalWeight:
		return &v.Weight
	case VitalHeight:
		return &v.Height
	case VitalPain:
		return &v.Pain
	case VitalHeadCircumference:
		return &v.HeadCircumference
	case VitalBMI:
		return &v.BMI
	}
	return nil
}

// Set sets field f to x (nil clears it), for code that fills a set field
// by field (an import).
func (v *VitalSigns) Set(f VitalField, x *float64) {
	if p := v.slot(f); p != nil {
		*p = x
	}
}

// Value returns field f's canonical value and whether it was measured.
func (v *VitalSigns) Value(f VitalField) (float64, bool) {
	p := v.slot(f)
	if p == nil || *p == nil {
		return 0, false
	}
	return **p, true
}

// Check is CheckAt for an adult: it judges values against the adult
// ranges and computes BMI.
func (v *VitalSigns) Check(units PracticeUnits) ([]VitalFlag, error) {
	r, err := DefaultVitalRanges()
	if err != nil {
		return nil, err
	}
	return v.check(units, r.Adult(), true)
}

// CheckAt rounds every value to its stored precision, refuses impossible
// values and inconsistent pairs, computes BMI from age 2, and returns flags
// for values outside the typical range for the age of a patient born on
// birthDate whose vitals were taken on day (both YYYY-MM-DD). Messages use
// the practice's units. On error v may be partly rounded but nothing else
// has changed.
func (v *VitalSigns) CheckAt(units PracticeUnits, birthDate, day string) ([]VitalFlag, error) {
	r, err := DefaultVitalRanges()
	if err != nil {
		return nil, err
	}
	band, err := r.BandFor(birthDate, day)
	if err != nil {
		return nil, err
	}
	return v.check(units, band, r.bmiApplies(birthDate, day))
}

func (v *VitalSigns) check(units PracticeUnits, band *AgeBand, withBMI bool) ([]VitalFlag, error) {
	v.BMI = nil
	measured := 0
	var flags []VitalFlag
	var probs Problems
	for i := range vitalSpecs {
		s := &vitalSpecs[i]
		p := v.slot(s.Field)
		if s.Field == VitalBMI || *p == nil {
			continue
		}
		measured++
		x, err := s.check(**p, units)
		if !probs.Add(err) {
			continue
		}
		*p = &x
		if flag := s.flag(x, units, band); flag != nil {
			flags = append(flags, *flag)
		}
	}
	if measured == 0 {
		return nil, FieldError("vitals", "Enter at least one vital sign.")
	}
	if !probs.Has(string(VitalSystolic)) && !probs.Has(string(VitalDiastolic)) {
		probs.Add(v.checkBloodPressure())
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	if !withBMI {
		return flags, nil
	}
	flag, err := v.computeBMI(units, band)
	if err != nil {
		return nil, err
	}
	if flag != nil {
		flags = append(flags, *flag)
	}
	return flags, nil
}

// check validates one canonical value and returns it rounded.
func (s *vitalSpec) check(x float64, units PracticeUnits) (float64, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, FieldError(string(s.Field), "%s is not a number; please retype it.", capitalize(s.Noun))
	}
	if s.WholeOnly && x != math.Trunc(x) {
		return 0, FieldError(string(s.Field), "The pain score is a whole number from 0 to 10.")
	}
	x = roundTo(x, s.StoreDecimals)
	if x < s.MinPossible || x > s.MaxPossible {
		return 0, FieldError(string(s.Field), "%s of %s is not possible; please check the reading.",
			capitalize(s.Noun), FormatVital(s.Field, x, units))
	}
	return x, nil
}

// flag compares x with the band's typical range; a field the band does
// not list is not flagged at that age.
func (s *vitalSpec) flag(x float64, units PracticeUnits, band *AgeBand) *VitalFlag {
	rg, ok := band.Ranges[s.Field]
	if !ok {
		return nil
	}
	level, word := "", ""
	switch {
	case x > rg.High:
		level, word = FlagHigh, "above"
	case x < rg.Low:
		level, word = FlagLow, "below"
	default:
		return nil
	}
	unit := units.DisplayUnit(s.Field)
	lo, _ := FromCanonical(s.Field, rg.Low, unit)
	msg := fmt.Sprintf("%s of %s is %s the typical %s (%s–%s).",
		capitalize(s.Noun), FormatVital(s.Field, x, units), word, band.Phrase,
		formatNumber(lo, s.ShowDecimals), FormatVital(s.Field, rg.High, units))
	return &VitalFlag{Field: s.Field, Level: level, Message: msg}
}

func (v *VitalSigns) checkBloodPressure() error {
	switch {
	case v.Systolic == nil && v.Diastolic == nil:
		return nil
	case v.Systolic == nil:
		return FieldError(string(VitalSystolic), "Enter the systolic pressure too (the top number).")
	case v.Diastolic == nil:
		return FieldError(string(VitalDiastolic), "Enter the diastolic pressure too (the bottom number).")
	case *v.Systolic <= *v.Diastolic:
		return FieldError(string(VitalDiastolic), "The diastolic pressure (%s) must be lower than the systolic (%s); please check the reading.",
			formatNumber(*v.Diastolic, 0), formatNumber(*v.Systolic, 0))
	}
	return nil
}

// computeBMI sets BMI = kg/m² when weight and height are both present. An
// impossible BMI means one of the two is wrong, most often a height typed
// in inches into a centimetre box, so the error points at height.
func (v *VitalSigns) computeBMI(units PracticeUnits, band *AgeBand) (*VitalFlag, error) {
	if v.Weight == nil || v.Height == nil {
		return nil, nil
	}
	m := *v.Height / 100
	bmi := roundTo(*v.Weight/(m*m), 1)
	s := specFor(VitalBMI)
	if bmi < s.MinPossible || bmi > s.MaxPossible {
		return nil, FieldError(string(VitalHeight), "A weight of %s and a height of %s give a BMI of %s, which is not possible; please check both.",
			FormatVital(VitalWeight, *v.Weight, units), FormatVital(VitalHeight, *v.Height, units), formatNumber(bmi, 1))
	}
	v.BMI = &bmi
	return s.flag(bmi, units, band), nil
}

func roundTo(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

func formatNumber(x float64, decimals int) string {
	s := strconv.FormatFloat(roundTo(x, decimals), 'f', decimals, 64)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[1:], "0.") == "" {
		s = s[1:]
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// PracticeUnits is the practice's choice of display unit for each quantity
// that has a metric and a US form. Values are always stored canonically.
type PracticeUnits struct {
	Weight      string `json:"weight"`      // kg or [lb_av]
	Height      string `json:"height"`      // cm or [in_i]
	Temperature string `json:"temperature"` // Cel or [degF]
	// DateOrder is how the practice writes numeric dates; "" follows the
	// units (see DateOrderOrDefault). It lives with the units because both
	// are the practice's locale, and so travels with them in the sealed
	// practice record.
	DateOrder DateOrder `json:"dateOrder,omitempty"`
}

// DateOrderOrDefault returns the chosen date order, else month/day/year for
// a practice that weighs in pounds (the United States) and day/month/year
// for everyone else.
func (p PracticeUnits) DateOrderOrDefault() DateOrder {
	switch {
	case p.DateOrder != "" && p.DateOrder.Valid():
		return p.DateOrder
	case p.Weight == UnitPound:
		return DateOrderMDY
	}
	return DateOrderDMY
}

// MetricUnits and USUnits are the two usual choices.
func MetricUnits() PracticeUnits {
	return PracticeUnits{Weight: UnitKilogram, Height: UnitCentimetre, Temperature: UnitCelsius}
}

func USUnits() PracticeUnits {
	return PracticeUnits{Weight: UnitPound, Height: UnitInch, Temperature: UnitFahrenheit}
}

// Validate checks each choice; an empty choice means the metric unit.
func (p PracticeUnits) Validate() error {
	if !p.DateOrder.Valid() {
		return FieldError("dateOrder", "Choose day/month/year or month/day/year for dates.")
	}
	for _, c := range []struct{ field, unit string }{
		{"weight", p.Weight}, {"height", p.Height}, {"temperature", p.Temperature},
	} {
		f := VitalField(c.field)
		if c.unit != "" && c.unit != specFor(f).Unit && c.unit != usUnit(f) {
			return FieldError(c.field, "Choose %s or %s for %s.",
				UnitSymbol(specFor(f).Unit), UnitSymbol(usUnit(f)), c.field)
		}
	}
	return nil
}

// DisplayUnit returns the unit field f is shown and typed in.
func (p PracticeUnits) DisplayUnit(f VitalField) string {
	choice := ""
	switch f {
	case VitalWeight:
		choice = p.Weight
	case VitalHeight:
		choice = p.Height
	case VitalTemperature:
		choice = p.Temperature
	}
	if choice == usUnit(f) && choice != "" {
		return choice
	}
	if s := specFor(f); s != nil {
		return s.Unit
	}
	return ""
}

// usConversion converts between a canonical unit and its US display unit.
type usConversion struct {
	field   VitalField
	unit    string
	toCanon func(float64) float64
	toUnit  func(float64) float64
}

var usConversions = []usConversion{
	{VitalWeight, UnitPound, func(x float64) float64 { return x * kgPerPound }, func(x float64) float64 { return x / kgPerPound }},
	{VitalHeight, UnitInch, func(x float64) float64 { return x * cmPerInch }, func(x float64) float64 { return x / cmPerInch }},
	{VitalTemperature, UnitFahrenheit, func(x float64) float64 { return (x - 32) * 5 / 9 }, func(x float64) float64 { return x*9/5 + 32 }},
}

func usConversionFor(f VitalField) *usConversion {
	for i := range usConversions {
		if usConversions[i].field == f {
			return &usConversions[i]
		}
	}
	return nil
}

func usUnit(f VitalField) string {
	if c := usConversionFor(f); c != nil {
		return c.unit
	}
	return ""
}

// ToCanonical converts a value typed in unit into field f's canonical unit.
func ToCanonical(f VitalField, x float64, unit string) (float64, error) {
	return convert(f, x, unit, false)
}

// FromCanonical converts a canonical value of field f into unit.
func FromCanonical(f VitalField, x float64, unit string) (float64, error) {
	return convert(f, x, unit, true)
}

func convert(f VitalField, x float64, unit string, fromCanonical bool) (float64, error) {
	s := specFor(f)
	if s == nil {
		return 0, FieldError(string(f), "Outpost does not record a vital sign called %q.", f)
	}
	c := usConversionFor(f)
	switch {
	case unit == s.Unit:
		return x, nil
	case c == nil || unit != c.unit:
		return 0, unitError(s)
	case fromCanonical:
		return c.toUnit(x), nil
	}
	return c.toCanon(x), nil
}

func unitError(s *vitalSpec) error {
	name := capitalize(strings.TrimPrefix(strings.TrimPrefix(s.Noun, "an "), "a "))
	if us := usUnit(s.Field); us != "" {
		return FieldError(string(s.Field), "%s must be in %s or %s.", name, UnitSymbol(s.Unit), UnitSymbol(us))
	}
	return FieldError(string(s.Field), "%s must be in %s.", name, UnitSymbol(s.Unit))
}

// UnitSymbol is how a UCUM unit is printed for people.
func UnitSymbol(ucum string) string {
	switch ucum {
	case UnitMmHg:
		return "mmHg"
	case UnitCelsius:
		return "°C"
	case UnitFahrenheit:
		return "°F"
	case UnitPound:
		return "lb"
	case UnitInch:
		return "in"
	case UnitScore:
		return "/10"
	case UnitBMI:
		return "kg/m²"
	}
	return ucum
}

// FormatVital renders a canonical value in the practice's display unit:
// "98.6 °F", "72 /min", "7/10", "24.2 kg/m²".
func FormatVital(f VitalField, canonical float64, units PracticeUnits) string {
	s := specFor(f)
	if s == nil {
		return formatNumber(canonical, 1)
	}
	unit := units.DisplayUnit(f)
	x, err := FromCanonical(f, canonical, unit)
	if err != nil {
		unit, x = s.Unit, canonical
	}
	sym := UnitSymbol(unit)
	if unit == UnitScore || unit == UnitPercent {
		return formatNumber(x, s.ShowDecimals) + sym
	}
	return formatNumber(x, s.ShowDecimals) + " " + sym
}

// FormatBloodPressure renders "120/80 mmHg".
func FormatBloodPressure(systolic, diastolic float64) string {
	return formatNumber(systolic, 0) + "/" + formatNumber(diastolic, 0) + " " + UnitSymbol(UnitMmHg)
}

// VitalReading is a value as typed, with the unit it was typed in. An empty
// unit means the practice's display unit for that field.
type VitalReading struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
}

// VitalsEntry is what the vitals form submits: any subset of readings.
type VitalsEntry struct {
	Systolic          *VitalReading `json:"systolic,omitempty"`
	Diastolic         *VitalReading `json:"diastolic,omitempty"`
	HeartRate         *VitalReading `json:"heartRate,omitempty"`
	RespiratoryRate   *VitalReading `json:"respiratoryRate,omitempty"`
	Temperature       *VitalReading `json:"temperature,omitempty"`
	SpO2              *VitalReading `json:"spo2,omitempty"`
	Weight            *VitalReading `json:"weight,omitempty"`
	Height            *VitalReading `json:"height,omitempty"`
	Pain              *VitalReading `json:"pain,omitempty"`
	HeadCircumference *VitalReading `json:"headCircumference,omitempty"`
}

// Normalize converts an entry into canonical VitalSigns, checks it against
// the adult ranges, and returns the flags to show next to accepted values.
func (e VitalsEntry) Normalize(units PracticeUnits) (VitalSigns, []VitalFlag, error) {
	return e.normalize(units, func(v *VitalSigns) ([]VitalFlag, error) { return v.Check(units) })
}

// NormalizeAt is Normalize for a patient born on birthDate whose vitals
// were taken on day (both YYYY-MM-DD): the ranges are those of their age.
func (e VitalsEntry) NormalizeAt(units PracticeUnits, birthDate, day string) (VitalSigns, []VitalFlag, error) {
	return e.normalize(units, func(v *VitalSigns) ([]VitalFlag, error) { return v.CheckAt(units, birthDate, day) })
}

func (e VitalsEntry) normalize(units PracticeUnits, check func(*VitalSigns) ([]VitalFlag, error)) (VitalSigns, []VitalFlag, error) {
	var v VitalSigns
	readings := []struct {
		f VitalField
		r *VitalReading
	}{
		{VitalSystolic, e.Systolic}, {VitalDiastolic, e.Diastolic}, {VitalHeartRate, e.HeartRate},
		{VitalRespiratoryRate, e.RespiratoryRate}, {VitalTemperature, e.Temperature}, {VitalSpO2, e.SpO2},
		{VitalWeight, e.Weight}, {VitalHeight, e.Height}, {VitalPain, e.Pain},
		{VitalHeadCircumference, e.HeadCircumference},
	}
	var probs Problems
	for _, rd := range readings {
		if rd.r == nil {
			continue
		}
		unit := rd.r.Unit
		if unit == "" {
			unit = units.DisplayUnit(rd.f)
		}
		x, err := ToCanonical(rd.f, rd.r.Value, unit)
		if probs.Add(err) {
			*v.slot(rd.f) = &x
		}
	}
	if err := probs.Err(); err != nil {
		return VitalSigns{}, nil, err
	}
	flags, err := check(&v)
	if err != nil {
		return VitalSigns{}, nil, err
	}
	return v, flags, nil
}
