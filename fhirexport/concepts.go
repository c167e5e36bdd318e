package fhirexport

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// Terminology systems of the fixed codes the export writes.
const (
	sysConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category"
	sysConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
	sysConditionVerify   = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
	sysAllergyClinical   = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
	sysAllergyVerify     = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
	sysObsCategory       = "http://terminology.hl7.org/CodeSystem/observation-category"
	sysInterpretation    = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
	sysActCode           = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	sysActReason         = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
	sysNullFlavor        = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
	sysParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
	sysV2IdentifierType  = "http://terminology.hl7.org/CodeSystem/v2-0203"
	sysV2ContactRole     = "http://terminology.hl7.org/CodeSystem/v2-0131"
	sysV3RoleCode        = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
	sysV2DiagService     = "http://terminology.hl7.org/CodeSystem/v2-0074"
	sysV2PerformerFn     = "http://terminology.hl7.org/CodeSystem/v2-0443"
	sysMedReqCategory    = "http://terminology.hl7.org/CodeSystem/medicationrequest-category"
	sysDocCategory       = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
	sysUCUM              = "http://unitsofmeasure.org"
	sysBCP47             = "urn:ietf:bcp:47"
	sysEncounterType     = "urn:outpost:encounter-type"
)

// exchangeSystems are the code systems the export passes on as codings:
// those of open terminologies a receiver can look up. Outpost's own
// allergy-class and allergen codes are sent as text only.
var exchangeSystems = map[string]bool{chart.SystemICD10CM: true, chart.SystemRxNorm: true, chart.SystemCVX: true,
	chart.SystemLOINC: true, chart.SystemSNOMED: true, "http://www.ama-assn.org/go/cpt": true}

// concept is a chart code as a CodeableConcept: its coding when the chart
// carries a code of an exchanged system, and always its display as text.
func concept(c chart.Coded) *fhir.CodeableConcept {
	cc := &fhir.CodeableConcept{Text: c.Display}
	if c.Code != "" && exchangeSystems[c.System] {
		cc.Coding = []fhir.Coding{{System: c.System, Code: c.Code, Display: c.Display}}
	}
	if cc.Text == "" && len(cc.Coding) == 0 {
		return nil
	}
	return cc
}

// textConcept is free text as a CodeableConcept, nil when empty.
func textConcept(s string) *fhir.CodeableConcept {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &fhir.CodeableConcept{Text: s}
}

func coded(system, code, display string) *fhir.CodeableConcept {
	return &fhir.CodeableConcept{Coding: []fhir.Coding{{System: system, Code: code, Display: display}}}
}

func codedList(system, code, display string) []fhir.CodeableConcept {
	return []fhir.CodeableConcept{*coded(system, code, display)}
}

func notes(text string) []fhir.Annotation {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return []fhir.Annotation{{Text: text}}
}

// decimal is a float as a FHIR decimal, with no more digits than needed.
func decimal(x float64) json.Number {
	return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
}

var fhirDecimal = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// number reads a value typed in the chart ("5.4", "5,4", "<0.5", ">= 60")
// as a FHIR decimal and comparator; ok is false for anything else
// ("positive", "1:40").
func number(s string) (value json.Number, comparator string, ok bool) {
	s = strings.TrimSpace(s)
	for _, c := range []string{"<=", ">=", "<", ">"} {
		if strings.HasPrefix(s, c) {
			comparator, s = c, strings.TrimSpace(s[len(c):])
			break
		}
	}
	s = strings.Replace(s, ",", ".", 1)
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eEnNiIxX_") {
		return "", "", false
	}
	if !fhirDecimal.MatchString(s) { // "007", ".5", "+3": same number, FHIR's spelling
		s = strconv.FormatFloat(x, 'f', -1, 64)
	}
	return json.Number(s), comparator, true
}

// ucumLike reports whether a unit as the chart holds it can be sent as a
// UCUM code: Outpost stores vitals in UCUM, and the LOINC picker gives
// results LOINC's UCUM unit, but a unit typed by hand ("x10^9/L", "mg per
// dL") is sent as text only.
func ucumLike(u string) bool {
	if u == "" {
		return false
	}
	for _, r := range u {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("%/.*[]{}-_'", r)
		if !ok {
			return false
		}
	}
	return true
}

// quantity is a lab or vital value with its unit, coded in UCUM when the
// unit can be.
func quantity(value json.Number, comparator, unit string) *fhir.Quantity {
	q := &fhir.Quantity{Value: value, Comparator: comparator, Unit: unit}
	if ucumLike(unit) {
		q.System, q.Code = sysUCUM, unit
	}
	return q
}
