package chart

// VitalCode is how a vital sign is coded for exchange (FHIR Observation):
// its LOINC code and name and the UCUM unit of its stored value.
type VitalCode struct {
	LOINC   string `json:"loinc"`
	Display string `json:"display"`
	Unit    string `json:"unit"`
}

// LOINC panels the vital signs belong to.
const (
	LOINCBloodPressurePanel = "85354-9" // systolic and diastolic are its components
)

// vitalCodes are the LOINC codes of the US Core vital-signs profiles (the
// codes Synthea and Inferno data carry; see codes/data/loinc.tsv). SpO2 is
// by pulse oximetry (59408-5), what a clinic measures.
var vitalCodes = map[VitalField]VitalCode{
	VitalSystolic:        {"8480-6", "Systolic blood pressure", UnitMmHg},
	VitalDiastolic:       {"8462-4", "Diastolic blood pressure", UnitMmHg},
	VitalHeartRate:       {"8867-4", "Heart rate", UnitPerMinute},
	VitalRespiratoryRate: {"9279-1", "Respiratory rate", UnitPerMinute},
	VitalTemperature:     {"8310-5", "Body temperature", UnitCelsius},
	VitalSpO2:            {"59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", UnitPercent},
	VitalWeight:          {"29463-7", "Body weight", UnitKilogram},
	VitalHeight:          {"8302-2", "Body height", UnitCentimetre},
	VitalPain:            {"72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", UnitScore},
	VitalBMI:             {"39156-5", "Body mass index (BMI) [Ratio]", UnitBMI},
	// US Core Head Circumference profile.
	VitalHeadCircumference: {"9843-4", "Head Occipital-frontal circumference", UnitCentimetre},
}

// VitalLOINC returns the LOINC code and UCUM unit of vital sign f.
func VitalLOINC(f VitalField) (VitalCode, bool) {
	c, ok := vitalCodes[f]
	return c, ok
}
