package chart

// RegistryTargets are the practice's targets for the chronic-care
// registries: a practice setting (administrators), synced with the
// practice record like the idle lock and the units.
type RegistryTargets struct {
	// A1cMonths: how often an HbA1c is wanted in diabetes.
	A1cMonths int `json:"a1cMonths"`
	// A1cTarget: an HbA1c at or above it (%) is out of range.
	A1cTarget float64 `json:"a1cTarget"`
	// Systolic and Diastolic: a last blood pressure at or above either is
	// out of range.
	Systolic  float64 `json:"systolic"`
	Diastolic float64 `json:"diastolic"`
}

// DefaultRegistryTargets are a practice's until an administrator changes
// them (ADA 2025: HbA1c twice a year, under 8% for most adults, blood
// pressure under 140/90 as the line for attention).
var DefaultRegistryTargets = RegistryTargets{A1cMonths: 6, A1cTarget: 8, Systolic: 140, Diastolic: 90}

// Bounds of the registry targets: what a clinician could plausibly mean.
const (
	MinA1cMonths, MaxA1cMonths = 1, 24
	MinA1cTarget, MaxA1cTarget = 5.0, 14.0
	MinSystolic, MaxSystolic   = 90.0, 200.0
	MinDiastolic, MaxDiastolic = 50.0, 120.0
)

// WithDefaults fills any target left zero with the default.
func (r RegistryTargets) WithDefaults() RegistryTargets {
	d := DefaultRegistryTargets
	if r.A1cMonths > 0 {
		d.A1cMonths = r.A1cMonths
	}
	if r.A1cTarget > 0 {
		d.A1cTarget = r.A1cTarget
	}
	if r.Systolic > 0 {
		d.Systolic = r.Systolic
	}
	if r.Diastolic > 0 {
		d.Diastolic = r.Diastolic
	}
	return d
}

// Validate checks every target, reporting every problem at once.
func (r RegistryTargets) Validate() error {
	var probs Problems
	if r.A1cMonths < MinA1cMonths || r.A1cMonths > MaxA1cMonths {
		probs.Add(FieldError("a1cMonths", "The HbA1c interval must be between %d and %d months.", MinA1cMonths, MaxA1cMonths))
	}
	if !(r.A1cTarget >= MinA1cTarget && r.A1cTarget <= MaxA1cTarget) {
		probs.Add(FieldError("a1cTarget", "The HbA1c target must be between %g%% and %g%%.", MinA1cTarget, MaxA1cTarget))
	}
	if !(r.Systolic >= MinSystolic && r.Systolic <= MaxSystolic) {
		probs.Add(FieldError("systolic", "The systolic target must be between %g and %g mmHg.", MinSystolic, MaxSystolic))
	}
	if !(r.Diastolic >= MinDiastolic && r.Diastolic <= MaxDiastolic) {
		probs.Add(FieldError("diastolic", "The diastolic target must be between %g and %g mmHg.", MinDiastolic, MaxDiastolic))
	} else if r.Diastolic >= r.Systolic {
		probs.Add(FieldError("diastolic", "The diastolic target must be below the systolic one."))
	}
	return probs.Err()
}
