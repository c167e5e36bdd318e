package chart

import (
	"strings"
	"testing"
)

func flagOn(flags []VitalFlag, f VitalField) *VitalFlag {
	for i := range flags {
		if flags[i].Field == f {
			return &flags[i]
		}
	}
	return nil
}

// A 13-month-old's vitals are judged against a toddler's ranges, and get
// no BMI (BMI is used from age 2).
func TestToddlerVitalsUseToddlerRangesAndNoBMI(t *testing.T) {
	e := VitalsEntry{HeartRate: rd(130, ""), RespiratoryRate: rd(30, ""), Systolic: rd(95, ""), Diastolic: rd(55, ""),
		Weight: rd(10, ""), Height: rd(76, "")}
	v, flags, err := e.NormalizeAt(MetricUnits(), "2025-10-20", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	if len(flags) != 0 {
		t.Errorf("a healthy 13-month-old is flagged: %+v", flags)
	}
	if v.BMI != nil {
		t.Errorf("BMI %v computed for a 13-month-old", *v.BMI)
	}
	// The same readings in an adult are flagged, and get a BMI.
	v, flags, err = e.Normalize(MetricUnits())
	if err != nil || flagOn(flags, VitalHeartRate) == nil || flagOn(flags, VitalRespiratoryRate) == nil || v.BMI == nil {
		t.Errorf("adult: flags %+v, BMI %v, err %v", flags, v.BMI, err)
	}
	// A toddler's fast heart rate is flagged against the toddler range.
	_, flags, _ = VitalsEntry{HeartRate: rd(150, "")}.NormalizeAt(MetricUnits(), "2025-10-20", "2026-11-23")
	fl := flagOn(flags, VitalHeartRate)
	if fl == nil || fl.Level != FlagHigh || fl.Message != "A heart rate of 150 /min is above the typical range for a toddler (1 to 2 years) (98–140 /min)." {
		t.Errorf("toddler flag: %+v", fl)
	}
}

func TestAgeBandBoundaries(t *testing.T) {
	r, err := DefaultVitalRanges()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ born, on, want string }{
		{"2026-11-23", "2026-11-23", "neonate"},
		{"2026-10-27", "2026-11-23", "neonate"}, // 27 days
		{"2026-10-26", "2026-11-23", "infant"},  // 28 days
		{"2025-11-24", "2026-11-23", "infant"},  // the day before the first birthday
		{"2025-11-23", "2026-11-23", "toddler"},
		{"2023-11-24", "2026-11-23", "toddler"},
		{"2023-11-23", "2026-11-23", "preschool"},
		{"2020-11-23", "2026-11-23", "school-age"},
		{"2014-11-23", "2026-11-23", "adolescent"},
		{"2008-11-24", "2026-11-23", "adolescent"},
		{"2008-11-23", "2026-11-23", "adult"},
		{"1930-01-01", "2026-11-23", "adult"},
	} {
		b, err := r.BandFor(tc.born, tc.on)
		if err != nil || b.ID != tc.want {
			t.Errorf("born %s, seen %s: band %v, %v; want %s", tc.born, tc.on, b, err, tc.want)
		}
	}
	if _, err := r.BandFor("2026-11-23", "2026-11-22"); ErrorField(err) != "takenAt" {
		t.Errorf("vitals before birth: %v", err)
	}
}

func TestBMIFromAgeTwo(t *testing.T) {
	e := VitalsEntry{Weight: rd(12, ""), Height: rd(86, "")}
	for _, tc := range []struct {
		born string
		bmi  bool
	}{{"2024-11-24", false}, {"2024-11-23", true}, {"1990-01-01", true}} {
		v, flags, err := e.NormalizeAt(MetricUnits(), tc.born, "2026-11-23")
		if err != nil || (v.BMI != nil) != tc.bmi {
			t.Errorf("born %s: BMI %v, err %v; want BMI %v", tc.born, v.BMI, err, tc.bmi)
		}
		// A two-year-old's BMI of 16.2 needs BMI-for-age centiles: not
		// flagged against the adult categories.
		if tc.born == "2024-11-23" && flagOn(flags, VitalBMI) != nil {
			t.Errorf("child BMI flagged against adult categories: %+v", flags)
		}
	}
}

func TestNewbornRanges(t *testing.T) {
	_, flags, err := VitalsEntry{HeartRate: rd(160, ""), RespiratoryRate: rd(50, ""), Temperature: rd(37.7, "")}.
		NormalizeAt(MetricUnits(), "2026-11-20", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	if flagOn(flags, VitalHeartRate) != nil || flagOn(flags, VitalRespiratoryRate) != nil {
		t.Errorf("a newborn's normal heart and breathing rates flagged: %+v", flags)
	}
	if fl := flagOn(flags, VitalTemperature); fl == nil || !strings.Contains(fl.Message, "newborn") {
		t.Errorf("a newborn at 37.7 °C not flagged: %+v", flags)
	}
}

// "Impossible" is a separate rule from "out of range": it holds at every age.
func TestImpossibleValuesAreRefusedAtEveryAge(t *testing.T) {
	for _, born := range []string{"2026-11-20", "2025-10-20", "1980-01-01"} {
		_, _, err := VitalsEntry{HeartRate: rd(900, "")}.NormalizeAt(MetricUnits(), born, "2026-11-23")
		if ErrorField(err) != "heartRate" || !strings.Contains(ErrorMessage(err), "not possible") {
			t.Errorf("born %s: heart rate 900 %v", born, err)
		}
	}
}

func TestVitalRangesEveryRangeCitesASource(t *testing.T) {
	r, err := LoadVitalRanges(vitalRangesJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Bands) != 7 || r.Adult().ID != "adult" || r.BMIFromYears != 2 {
		t.Fatalf("bands %d, last %q, BMI from %d", len(r.Bands), r.Adult().ID, r.BMIFromYears)
	}
	for _, b := range r.Bands {
		for _, f := range []VitalField{VitalHeartRate, VitalRespiratoryRate, VitalSystolic, VitalDiastolic, VitalTemperature} {
			if _, ok := b.Ranges[f]; !ok {
				t.Errorf("band %s has no %s range", b.ID, f)
			}
		}
	}
}

func TestLoadVitalRangesRefusesBadTables(t *testing.T) {
	good := string(vitalRangesJSON)
	for name, bad := range map[string]string{
		"uncited range":      strings.Replace(good, `"source": "pals"`, `"source": "hearsay"`, 1),
		"reversed range":     strings.Replace(good, `"low": 100, "high": 205`, `"low": 205, "high": 100`, 1),
		"impossible range":   strings.Replace(good, `"low": 100, "high": 205`, `"low": 100, "high": 400`, 1),
		"unknown sign":       strings.Replace(good, `"heartRate": { "low": 100, "high": 205`, `"pulse": { "low": 100, "high": 205`, 1),
		"bands out of order": strings.Replace(good, `"from": "3y"`, `"from": "1y"`, 1),
		"bad age":            strings.Replace(good, `"from": "28d"`, `"from": "4w"`, 1),
		"not from birth":     strings.Replace(good, `"from": "0d"`, `"from": "1d"`, 1),
		"unknown key":        strings.Replace(good, `"bmiFromYears"`, `"bmiFrom"`, 1),
	} {
		if bad == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if _, err := LoadVitalRanges([]byte(bad)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}
