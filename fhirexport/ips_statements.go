package fhirexport

import (
	"fmt"
	"html"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// ipsAbsentSystem is the IPS code system for "no known …" and "no
// information about …" statements, which fill a required section that has
// nothing to list.
const ipsAbsentSystem = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"

type ipsAbsentKind struct{ resource, code, display string }

var (
	ipsNoProblemInfo    = ipsAbsentKind{"Condition", "no-problem-info", "No information about problems"}
	ipsNoKnownAllergies = ipsAbsentKind{"AllergyIntolerance", "no-known-allergies", "No known allergies"}
	ipsNoAllergyInfo    = ipsAbsentKind{"AllergyIntolerance", "no-allergy-info", "No information about allergies"}
	ipsNoMedicationInfo = ipsAbsentKind{"MedicationStatement", "no-medication-info", "No information about medications"}
)

// absent fills an empty section with its explicit statement, a resource
// the IPS writes itself.
func (d *ipsDoc) absent(sec *ipsSection, ref chart.Referral, subject string, k ipsAbsentKind) {
	id := ipsID(ref, k.code)
	code := fhir.CodeableConcept{Coding: []fhir.Coding{{System: ipsAbsentSystem, Code: k.code, Display: k.display}}, Text: k.display}
	dom := fhir.DomainResource{ResourceType: k.resource, ID: id}
	subj := fhir.Reference{Reference: ipsURN(subject)}
	var r any
	switch k.resource {
	case "Condition":
		r = fhir.Condition{DomainResource: dom, Code: &code, Subject: subj,
			ClinicalStatus: ipsStatus("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")}
	case "AllergyIntolerance":
		r = fhir.AllergyIntolerance{DomainResource: dom, Code: &code, Patient: subj,
			ClinicalStatus: ipsStatus("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active")}
	default:
		r = fhir.MedicationStatement{DomainResource: dom, Status: "unknown", MedicationCodeableConcept: &code, Subject: subj}
	}
	entry, err := d.own(id, r)
	if err != nil { // plain structs of strings: cannot happen, but never drop the statement silently
		sec.notes = append(sec.notes, "The statement could not be written: "+err.Error())
		return
	}
	sec.entries = append(sec.entries, entry)
	sec.items = append(sec.items, k.display)
}

// addParties writes the referrer (the document's author) and the practice
// (its custodian).
func (d *ipsDoc) addParties(r chart.Referrer) (author, custodian fhir.Reference) {
	var telecom []fhir.ContactPoint
	if r.Phone != "" {
		telecom = []fhir.ContactPoint{{System: "phone", Value: r.Phone, Use: "work"}}
	}
	var address []fhir.Address
	if r.Address != "" {
		address = []fhir.Address{{Use: "work", Text: strings.ReplaceAll(r.Address, "\n", ", "), Line: strings.Split(r.Address, "\n")}}
	}
	orgID, practID := ipsPartyID(string(r.PracticeID), "org:"+r.Practice), ipsPartyID(string(r.UserID), "user:"+r.Name)
	org := fhir.Organization{DomainResource: fhir.DomainResource{ResourceType: "Organization", ID: orgID},
		Name: r.Practice, Telecom: telecom, Address: address}
	pract := fhir.Practitioner{DomainResource: fhir.DomainResource{ResourceType: "Practitioner", ID: practID},
		Name: []fhir.HumanName{{Text: r.Name}}, Telecom: telecom, Address: address}
	if r.NPI != "" {
		pract.Identifier = append(pract.Identifier, fhir.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: r.NPI})
	}
	if r.LicenceNumber != "" {
		pract.Identifier = append(pract.Identifier, fhir.Identifier{Value: r.LicenceNumber,
			Type: &fhir.CodeableConcept{Coding: []fhir.Coding{{System: "http://terminology.hl7.org/CodeSystem/v2-0203", Code: "MD"}}, Text: "Licence number"}})
	}
	author, _ = d.own(practID, pract)
	custodian, _ = d.own(orgID, org)
	author.Display, custodian.Display = r.Name, r.Practice
	return author, custodian
}

// ipsPartyID is the chart's id when it is a UUID (it then matches the
// export's), else one derived from the name.
func ipsPartyID(id, name string) string {
	if chart.ValidID(id) {
		return id
	}
	return ipsID(chart.Referral{ID: chart.RecordID(name)}, "party")
}

// ipsDiv is a section's narrative: paragraphs, then a list, escaped, in
// the XHTML namespace FHIR requires.
func ipsDiv(items, notes []string) string {
	var b strings.Builder
	b.WriteString(`<div xmlns="http://www.w3.org/1999/xhtml">`)
	for _, n := range notes {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(n))
	}
	if len(items) > 0 {
		b.WriteString("<ul>")
		for _, it := range items {
			fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(it))
		}
		b.WriteString("</ul>")
	}
	if len(items) == 0 && len(notes) == 0 {
		b.WriteString("<p>Nothing recorded.</p>")
	}
	b.WriteString("</div>")
	return b.String()
}

func ipsJoin(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

func ipsCoded(c chart.Coded) string {
	if c.Code != "" && c.Display != "" {
		return c.Display + " (" + c.Code + ")"
	}
	return ipsJoin("", c.Display, c.Code)
}

func ipsOnset(onset string) string {
	if onset == "" {
		return ""
	}
	return "since " + onset
}

func ipsCriticality(c string) string {
	if c == "" {
		return ""
	}
	return c + " criticality"
}

// ipsVitals is a vitals set in metric units, for the narrative.
func ipsVitals(s chart.VitalSigns) string {
	var parts []string
	if s.Systolic != nil && s.Diastolic != nil {
		parts = append(parts, "blood pressure "+chart.FormatBloodPressure(*s.Systolic, *s.Diastolic))
	}
	for _, f := range []chart.VitalField{chart.VitalHeartRate, chart.VitalRespiratoryRate, chart.VitalTemperature,
		chart.VitalSpO2, chart.VitalWeight, chart.VitalHeight, chart.VitalHeadCircumference, chart.VitalBMI, chart.VitalPain} {
		if x, ok := s.Value(f); ok {
			c, _ := chart.VitalLOINC(f)
			parts = append(parts, strings.ToLower(c.Display)+" "+chart.FormatVital(f, x, chart.MetricUnits()))
		}
	}
	return strings.Join(parts, ", ")
}
