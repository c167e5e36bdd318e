package fhirexport

import (
	"regexp"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

const extGenderIdentity = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity"

// patientResource is the US Core Patient: the practice's MRN and the
// patient's numbers elsewhere, names, contact details, gender, birth
// date, address, language, death and emergency contact. The chart keeps
// no sex assigned at birth, race or ethnicity, so those extensions are
// not written.
func (b *builder) patientResource() *fhir.Patient {
	p := &b.recs.Patient
	r := &fhir.Patient{DomainResource: domain("Patient", resourceID(string(p.ID))),
		Identifier: b.patientIdentifiers(), Gender: string(p.Sex), BirthDate: b.date(p.BirthDate)}
	r.Name = []fhir.HumanName{{Use: "official", Family: p.FamilyName, Given: nonEmpty(p.GivenName)}}
	if p.PreferredName != "" {
		r.Name = append(r.Name, fhir.HumanName{Use: "usual", Family: p.FamilyName, Given: []string{p.PreferredName}})
	}
	if p.Phone != "" {
		r.Telecom = append(r.Telecom, fhir.ContactPoint{System: "phone", Value: p.Phone, Use: "home"})
	}
	if p.Email != "" {
		r.Telecom = append(r.Telecom, fhir.ContactPoint{System: "email", Value: p.Email, Use: "home"})
	}
	if a := address(p.Address); a != nil {
		r.Address = []fhir.Address{*a}
	}
	if p.PreferredLanguage != "" {
		yes := true
		r.Communication = []fhir.Communication{{Language: language(p.PreferredLanguage), Preferred: &yes}}
	}
	b.deceased(r)
	if c := emergencyContact(p.EmergencyContact); c != nil {
		r.Contact = []fhir.PatientContact{*c}
	}
	if c := guardianContact(p.Guardian); c != nil {
		r.Contact = append(r.Contact, *c)
	}
	active := !p.Inactive && p.Merged == nil // a retired record is no longer in use
	r.Active = &active
	if gi := textConcept(p.GenderIdentity); gi != nil { // an extension must hold a value (ext-1)
		r.Extension = append(r.Extension, fhir.Extension{URL: extGenderIdentity, ValueCodeableConcept: gi})
	}
	r.ManagingOrganization = &b.org
	return r
}

func (b *builder) patientIdentifiers() []fhir.Identifier {
	p := &b.recs.Patient
	ids := recordIdentifier(string(p.ID))
	if p.MRN != "" {
		assigner := b.org
		assigner.Display = b.opts.Practice.Name
		ids = append(ids, fhir.Identifier{Use: "usual", System: SystemMRN, Value: p.MRN, Assigner: &assigner,
			Type: &fhir.CodeableConcept{Coding: []fhir.Coding{{System: sysV2IdentifierType, Code: "MR", Display: "Medical record number"}}}})
	}
	for _, id := range p.Identifiers {
		if id.Value == "" {
			continue
		}
		fi := fhir.Identifier{System: id.System, Value: id.Value}
		if strings.ContainsAny(id.System, " \t\r\n") { // not a URI: FHIR would refuse it
			b.warnf("the identifier system %q is not a URI; identifier %s was sent without it", id.System, id.Value)
			fi.System = ""
		}
		if id.Type != "" {
			fi.Type = &fhir.CodeableConcept{Coding: []fhir.Coding{{System: sysV2IdentifierType, Code: id.Type}}}
		}
		ids = append(ids, fi)
	}
	return ids
}

func (b *builder) deceased(r *fhir.Patient) {
	p := &b.recs.Patient
	if d := b.date(p.DeceasedDate); d != "" {
		r.DeceasedDateTime = d
		return
	}
	if p.Deceased || p.DeceasedDate != "" {
		yes := true
		r.DeceasedBoolean = &yes
	}
}

const extDirections = extensionBase + "address-directions"

func address(a chart.Address) *fhir.Address {
	out := fhir.Address{Line: nonEmpty(a.Line1, a.Line2), City: a.City, State: a.Region, PostalCode: a.PostalCode, Country: a.Country}
	if a.Directions != "" {
		out.Extension = []fhir.Extension{{URL: extDirections, ValueString: a.Directions}}
	}
	if len(out.Line) == 0 && out.City == "" && out.State == "" && out.PostalCode == "" && out.Country == "" && a.Directions == "" {
		return nil
	}
	out.Use = "home"
	return &out
}

func emergencyContact(c chart.EmergencyContact) *fhir.PatientContact {
	if c.Name == "" && c.Phone == "" {
		return nil
	}
	rel := fhir.CodeableConcept{Coding: []fhir.Coding{{System: sysV2ContactRole, Code: "C", Display: "Emergency Contact"}}}
	out := &fhir.PatientContact{Relationship: []fhir.CodeableConcept{rel}}
	if c.Relationship != "" {
		out.Relationship = append(out.Relationship, fhir.CodeableConcept{Text: c.Relationship})
	}
	if c.Name != "" {
		out.Name = &fhir.HumanName{Text: c.Name}
	}
	if c.Phone != "" {
		out.Telecom = []fhir.ContactPoint{{System: "phone", Value: c.Phone}}
	}
	return out
}

// guardianContact is the guardian as a contact whose relationship is
// v3 RoleCode GUARD, with the relationship as typed ("Mother") beside it.
func guardianContact(g chart.Guardian) *fhir.PatientContact {
	if g.IsZero() {
		return nil
	}
	rel := fhir.CodeableConcept{Coding: []fhir.Coding{{System: sysV3RoleCode, Code: "GUARD", Display: "guardian"}}}
	out := &fhir.PatientContact{Relationship: []fhir.CodeableConcept{rel}, Name: &fhir.HumanName{Text: g.Name}}
	if g.Relationship != "" {
		out.Relationship = append(out.Relationship, fhir.CodeableConcept{Text: g.Relationship})
	}
	if g.Phone != "" {
		out.Telecom = []fhir.ContactPoint{{System: "phone", Value: g.Phone}}
	}
	return out
}

var bcp47 = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

// language is the preferred language: a BCP 47 tag ("es", "pt-BR") as a
// coding, a name ("Spanish") as text.
func language(s string) fhir.CodeableConcept {
	s = strings.TrimSpace(s)
	if bcp47.MatchString(s) && len(s) <= 3 || bcp47.MatchString(s) && strings.Contains(s, "-") {
		return fhir.CodeableConcept{Coding: []fhir.Coding{{System: sysBCP47, Code: s}}, Text: s}
	}
	return fhir.CodeableConcept{Text: s}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
