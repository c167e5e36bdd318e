package chart

import (
	"math"
	"strings"
	"testing"
)

func f64(x float64) *float64 { return &x }

func rd(x float64, unit string) *VitalReading { return &VitalReading{Value: x, Unit: unit} }

// entryWith returns an entry holding one reading for field f.
func entryWith(f VitalField, r *VitalReading) VitalsEntry {
	var e VitalsEntry
	switch f {
	case VitalSystolic:
		e.Systolic, e.Diastolic = r, rd(30, "")
	case VitalDiastolic:
		e.Systolic, e.Diastolic = rd(250, ""), r
	case VitalHeartRate:
		e.HeartRate = r
	case VitalRespiratoryRate:
		e.RespiratoryRate = r
	case VitalTemperature:
		e.Temperature = r
	case VitalSpO2:
		e.SpO2 = r
	case VitalWeight:
		e.Weight = r
	case VitalHeight:
		e.Height = r
	case VitalPain:
		e.Pain = r
	case VitalHeadCircumference:
		e.HeadCircumference = r
	}
	return e
}

func TestVitalThresholds(t *testing.T) {
	tests := []struct {
		field   VitalField
		value   float64
		unit    string
		refused bool
		level   string // expected flag on field, "" for none
	}{
		{VitalSystolic, 39, "", true, ""},
		{VitalSystolic, 40, "", false, FlagLow},
		{VitalSystolic, 89, "", false, FlagLow},
		{VitalSystolic, 90, "", false, ""},
		{VitalSystolic, 139, "", false, ""},
		{VitalSystolic, 140, "", false, FlagHigh},
		{VitalSystolic, 300, "", false, FlagHigh},
		{VitalSystolic, 301, "", true, ""},
		{VitalDiastolic, 19, "", true, ""},
		{VitalDiastolic, 59, "", false, FlagLow},
		{VitalDiastolic, 60, "", false, ""},
		{VitalDiastolic, 89, "", false, ""},
		{VitalDiastolic, 90, "", false, FlagHigh},
		{VitalDiastolic, 201, "", true, ""},
		{VitalHeartRate, 19, "", true, ""},
		{VitalHeartRate, 20, "", false, FlagLow},
		{VitalHeartRate, 59, "", false, FlagLow},
		{VitalHeartRate, 60, "", false, ""},
		{VitalHeartRate, 100, "", false, ""},
		{VitalHeartRate, 101, "", false, FlagHigh},
		{VitalHeartRate, 300, "", false, FlagHigh},
		{VitalHeartRate, 900, "", true, ""},
		{VitalRespiratoryRate, 3, "", true, ""},
		{VitalRespiratoryRate, 11, "", false, FlagLow},
		{VitalRespiratoryRate, 12, "", false, ""},
		{VitalRespiratoryRate, 20, "", false, ""},
		{VitalRespiratoryRate, 21, "", false, FlagHigh},
		{VitalRespiratoryRate, 120, "", false, FlagHigh}, // a newborn in distress
		{VitalRespiratoryRate, 121, "", true, ""},
		{VitalTemperature, 24.9, UnitCelsius, true, ""},
		{VitalTemperature, 35.9, UnitCelsius, false, FlagLow},
		{VitalTemperature, 36.0, UnitCelsius, false, ""},
		{VitalTemperature, 37.9, UnitCelsius, false, ""},
		{VitalTemperature, 38.0, UnitCelsius, false, FlagHigh},
		{VitalTemperature, 45.1, UnitCelsius, true, ""},
		{VitalTemperature, 98.6, UnitCelsius, true, ""}, // °F typed into a °C box
		{VitalTemperature, 98.6, UnitFahrenheit, false, ""},
		{VitalTemperature, 100.4, UnitFahrenheit, false, FlagHigh},
		{VitalTemperature, 95.0, UnitFahrenheit, false, FlagLow},
		{VitalTemperature, 115, UnitFahrenheit, true, ""},
		{VitalSpO2, 49, "", true, ""},
		{VitalSpO2, 94, "", false, FlagLow},
		{VitalSpO2, 95, "", false, ""},
		{VitalSpO2, 100, "", false, ""},
		{VitalSpO2, 101, "", true, ""},
		{VitalWeight, 0.1, UnitKilogram, true, ""},
		{VitalWeight, 3.5, UnitKilogram, false, FlagLow},
		{VitalWeight, 70, UnitKilogram, false, ""},
		{VitalWeight, 201, UnitKilogram, false, FlagHigh},
		{VitalWeight, 651, UnitKilogram, true, ""},
		{VitalWeight, 154, UnitPound, false, ""},
		{VitalWeight, 1500, UnitPound, true, ""},
		{VitalHeight, 19, UnitCentimetre, true, ""},
		{VitalHeight, 175, UnitCentimetre, false, ""},
		{VitalHeight, 220, UnitCentimetre, false, FlagHigh},
		{VitalHeight, 276, UnitCentimetre, true, ""},
		{VitalHeight, 69, UnitInch, false, ""},
		{VitalHeight, 110, UnitInch, true, ""},
		{VitalPain, -1, "", true, ""},
		{VitalPain, 0, "", false, ""},
		{VitalPain, 6, "", false, ""},
		{VitalPain, 7, "", false, FlagHigh},
		{VitalPain, 10, "", false, FlagHigh},
		{VitalPain, 11, "", true, ""},
		{VitalPain, 7.5, "", true, ""},
		{VitalHeadCircumference, 19.9, UnitCentimetre, true, ""},
		{VitalHeadCircumference, 17, "", true, ""}, // a newborn's head in inches typed as cm
		{VitalHeadCircumference, 20, "", false, ""},
		{VitalHeadCircumference, 45.1, UnitCentimetre, false, ""},
		{VitalHeadCircumference, 75, "", false, ""},
		{VitalHeadCircumference, 75.1, "", true, ""},
		{VitalHeadCircumference, 18, UnitInch, true, ""}, // head circumference is typed in cm only
	}
	for _, tt := range tests {
		_, flags, err := entryWith(tt.field, rd(tt.value, tt.unit)).Normalize(MetricUnits())
		if tt.refused {
			if ErrorCode(err) != EINVALID || ErrorField(err) != string(tt.field) {
				t.Errorf("%s %v %s: got %v, want EINVALID on %s", tt.field, tt.value, tt.unit, err, tt.field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %v %s: refused: %v", tt.field, tt.value, tt.unit, err)
			continue
		}
		got := ""
		for _, fl := range flags {
			if fl.Field == tt.field {
				got = fl.Level
				if !strings.Contains(fl.Message, "typical adult range") {
					t.Errorf("%s flag message %q does not explain itself", tt.field, fl.Message)
				}
			}
		}
		if got != tt.level {
			t.Errorf("%s %v %s: flag %q, want %q (flags %+v)", tt.field, tt.value, tt.unit, got, tt.level, flags)
		}
	}
}

func TestImpossibleMessageNamesTheReading(t *testing.T) {
	_, _, err := VitalsEntry{HeartRate: rd(900, "")}.Normalize(MetricUnits())
	want := "A heart rate of 900 /min is not possible; please check the reading."
	if ErrorMessage(err) != want || ErrorField(err) != "heartRate" {
		t.Fatalf("got %q on %q, want %q", ErrorMessage(err), ErrorField(err), want)
	}
	_, _, err = VitalsEntry{Temperature: rd(120, "")}.Normalize(USUnits())
	if !strings.Contains(ErrorMessage(err), "120.0 °F") {
		t.Fatalf("US practice should read the error in °F: %q", ErrorMessage(err))
	}
}

func TestFlagMessageUsesPracticeUnits(t *testing.T) {
	_, flags, err := VitalsEntry{Temperature: rd(101.3, "")}.Normalize(USUnits())
	if err != nil || len(flags) != 1 {
		t.Fatalf("flags %v err %v", flags, err)
	}
	want := "A temperature of 101.3 °F is above the typical adult range (96.8–100.2 °F)."
	if flags[0].Message != want {
		t.Fatalf("got %q, want %q", flags[0].Message, want)
	}
}

func TestBloodPressurePair(t *testing.T) {
	tests := []struct {
		name      string
		sys, dia  *VitalReading
		wantField string
	}{
		{"normal", rd(120, ""), rd(80, ""), ""},
		{"equal", rd(90, ""), rd(90, ""), "diastolic"},
		{"reversed", rd(80, ""), rd(120, ""), "diastolic"},
		{"systolic only", rd(120, ""), nil, "diastolic"},
		{"diastolic only", nil, rd(80, ""), "systolic"},
	}
	for _, tt := range tests {
		_, _, err := VitalsEntry{Systolic: tt.sys, Diastolic: tt.dia, HeartRate: rd(70, "")}.Normalize(MetricUnits())
		if ErrorField(err) != tt.wantField || (tt.wantField != "" && ErrorCode(err) != EINVALID) {
			t.Errorf("%s: got %v, want error on %q", tt.name, err, tt.wantField)
		}
	}
	if got := FormatBloodPressure(120, 80); got != "120/80 mmHg" {
		t.Errorf("FormatBloodPressure = %q", got)
	}
}

func TestBMI(t *testing.T) {
	tests := []struct {
		name      string
		e         VitalsEntry
		units     PracticeUnits
		want      float64 // 0: no BMI
		level     string
		wantField string
	}{
		{"metric", VitalsEntry{Weight: rd(70, ""), Height: rd(175, "")}, MetricUnits(), 22.9, "", ""},
		{"US", VitalsEntry{Weight: rd(180, ""), Height: rd(70, "")}, USUnits(), 25.8, FlagHigh, ""},
		{"underweight", VitalsEntry{Weight: rd(45, ""), Height: rd(170, "")}, MetricUnits(), 15.6, FlagLow, ""},
		{"weight only", VitalsEntry{Weight: rd(70, "")}, MetricUnits(), 0, "", ""},
		{"height only", VitalsEntry{Height: rd(170, "")}, MetricUnits(), 0, "", ""},
		{"height typed in inches", VitalsEntry{Weight: rd(90, ""), Height: rd(21, "")}, MetricUnits(), 0, "", "height"},
	}
	for _, tt := range tests {
		v, flags, err := tt.e.Normalize(tt.units)
		if ErrorField(err) != tt.wantField {
			t.Errorf("%s: err %v, want field %q", tt.name, err, tt.wantField)
			continue
		}
		if err != nil {
			continue
		}
		got, ok := v.Value(VitalBMI)
		if ok != (tt.want != 0) || got != tt.want {
			t.Errorf("%s: BMI %v (%v), want %v", tt.name, got, ok, tt.want)
		}
		level := ""
		for _, f := range flags {
			if f.Field == VitalBMI {
				level = f.Level
			}
		}
		if level != tt.level {
			t.Errorf("%s: BMI flag %q, want %q", tt.name, level, tt.level)
		}
	}
}

func TestCheckIgnoresSuppliedBMI(t *testing.T) {
	v := VitalSigns{Weight: f64(70), BMI: f64(99)}
	if _, err := v.Check(MetricUnits()); err != nil {
		t.Fatal(err)
	}
	if v.BMI != nil {
		t.Fatalf("BMI without height should be dropped, got %v", *v.BMI)
	}
}

func TestEmptyAndNotANumber(t *testing.T) {
	if _, _, err := (VitalsEntry{}).Normalize(MetricUnits()); ErrorCode(err) != EINVALID {
		t.Errorf("empty entry: %v", err)
	}
	for _, x := range []float64{math.NaN(), math.Inf(1)} {
		if _, _, err := (VitalsEntry{SpO2: rd(x, "")}).Normalize(MetricUnits()); ErrorField(err) != "spo2" {
			t.Errorf("SpO2 %v: %v", x, err)
		}
	}
	if _, _, err := (VitalsEntry{Weight: rd(70, UnitFahrenheit)}).Normalize(MetricUnits()); ErrorField(err) != "weight" {
		t.Errorf("weight in °F: %v", err)
	}
	if _, _, err := (VitalsEntry{HeartRate: rd(70, UnitPound)}).Normalize(MetricUnits()); ErrorField(err) != "heartRate" {
		t.Errorf("heart rate in lb: %v", err)
	}
}

func TestNormalizeRoundsToStoredPrecision(t *testing.T) {
	v, _, err := VitalsEntry{
		Systolic: rd(120.4, ""), Diastolic: rd(79.6, ""), Weight: rd(154.3, ""), Temperature: rd(98.7, ""), Height: rd(69.5, ""),
	}.Normalize(USUnits())
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		got, want float64
	}{
		{*v.Systolic, 120}, {*v.Diastolic, 80}, {*v.Weight, 69.989}, {*v.Temperature, 37.06}, {*v.Height, 176.53},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("got %v, want %v", c.got, c.want)
		}
	}
}

func TestConversionFactorsAreExact(t *testing.T) {
	if kg, _ := ToCanonical(VitalWeight, 1, UnitPound); kg != 0.45359237 {
		t.Errorf("1 lb = %v kg", kg)
	}
	if cm, _ := ToCanonical(VitalHeight, 1, UnitInch); cm != 2.54 {
		t.Errorf("1 in = %v cm", cm)
	}
	for _, c := range []struct{ f, c float64 }{{32, 0}, {212, 100}, {98.6, 37}, {-40, -40}} {
		got, _ := ToCanonical(VitalTemperature, c.f, UnitFahrenheit)
		if math.Abs(got-c.c) > 1e-9 {
			t.Errorf("%v °F = %v °C, want %v", c.f, got, c.c)
		}
	}
}

// TestDisplayRoundTrip types every displayable value in each unit, stores it
// canonically, and checks it displays as typed.
func TestDisplayRoundTrip(t *testing.T) {
	cases := []struct {
		f        VitalField
		units    PracticeUnits
		lo, hi   float64
		step     float64
		decimals int
	}{
		{VitalWeight, USUnits(), 0.5, 1400, 0.1, 1},
		{VitalWeight, MetricUnits(), 0.2, 650, 0.1, 1},
		{VitalHeight, USUnits(), 8, 108, 0.1, 1},
		{VitalHeight, MetricUnits(), 20, 275, 0.1, 1},
		{VitalTemperature, USUnits(), 77, 113, 0.1, 1},
		{VitalTemperature, MetricUnits(), 25, 45, 0.1, 1},
	}
	for _, c := range cases {
		unit := c.units.DisplayUnit(c.f)
		spec := specFor(c.f)
		n := int(math.Round((c.hi - c.lo) / c.step))
		for i := 0; i <= n; i++ {
			typed := roundTo(c.lo+float64(i)*c.step, c.decimals)
			x, err := ToCanonical(c.f, typed, unit)
			if err != nil {
				t.Fatal(err)
			}
			x = roundTo(x, spec.StoreDecimals)
			back, _ := FromCanonical(c.f, x, unit)
			if got, want := formatNumber(back, c.decimals), formatNumber(typed, c.decimals); got != want {
				t.Fatalf("%s %s %s stored as %v displays as %s", c.f, want, unit, x, got)
			}
		}
	}
}

func TestFormatVital(t *testing.T) {
	tests := []struct {
		f     VitalField
		x     float64
		units PracticeUnits
		want  string
	}{
		{VitalTemperature, 37, USUnits(), "98.6 °F"},
		{VitalTemperature, 37, MetricUnits(), "37.0 °C"},
		{VitalWeight, 70, USUnits(), "154.3 lb"},
		{VitalWeight, 70, MetricUnits(), "70.0 kg"},
		{VitalHeight, 177.8, USUnits(), "70.0 in"},
		{VitalHeight, 177.8, MetricUnits(), "177.8 cm"},
		{VitalHeartRate, 72, USUnits(), "72 /min"},
		{VitalSpO2, 98, MetricUnits(), "98%"},
		{VitalPain, 7, MetricUnits(), "7/10"},
		{VitalBMI, 24.2, USUnits(), "24.2 kg/m²"},
		{VitalSystolic, 120, MetricUnits(), "120 mmHg"},
	}
	for _, tt := range tests {
		if got := FormatVital(tt.f, tt.x, tt.units); got != tt.want {
			t.Errorf("FormatVital(%s, %v) = %q, want %q", tt.f, tt.x, got, tt.want)
		}
	}
}

func TestPracticeUnitsValidate(t *testing.T) {
	for _, ok := range []PracticeUnits{MetricUnits(), USUnits(), {}, {Weight: UnitPound}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
	bad := PracticeUnits{Weight: "stone"}
	if err := bad.Validate(); ErrorField(err) != "weight" {
		t.Errorf("stone: %v", err)
	}
	if err := (PracticeUnits{Temperature: UnitPound}).Validate(); ErrorField(err) != "temperature" {
		t.Errorf("temperature in lb: %v", err)
	}
	if got := (PracticeUnits{}).DisplayUnit(VitalWeight); got != UnitKilogram {
		t.Errorf("empty choice displays %q, want kg", got)
	}
}

// Set fills the field it names and clears it with nil.
func TestVitalSignsSet(t *testing.T) {
	var v VitalSigns
	x := 72.0
	v.Set(VitalHeartRate, &x)
	if got, ok := v.Value(VitalHeartRate); !ok || got != 72 || v.HeartRate == nil {
		t.Fatalf("after Set: %v %v", got, ok)
	}
	v.Set(VitalHeartRate, nil)
	if _, ok := v.Value(VitalHeartRate); ok {
		t.Fatal("nil did not clear the heart rate")
	}
}
