package chart

// LOINC codes of a pregnancy status and its dates, as FHIR carries them
// (used under the LOINC licence, see docs/FHIR-NOTES.md).
const (
	LOINCPregnancyStatus = "82810-3"
	LOINCEDD             = "11778-8" // delivery date, estimated
	LOINCLMP             = "8665-2"  // last menstrual period start date
)

// PregnancyAnswers are the LOINC answers of 82810-3 (answer list
// LL4129-4) for each status: code and display.
var PregnancyAnswers = map[string][2]string{
	PregnancyPregnant:    {"LA15173-0", "Pregnant"},
	PregnancyNotPregnant: {"LA26683-5", "Not pregnant"},
	PregnancyUnknown:     {"LA4489-6", "Unknown"},
}
