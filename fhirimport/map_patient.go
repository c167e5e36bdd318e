package fhirimport

import (
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// mapPatient maps the Patient resource. The MRN is left empty (the store
// gives the chart an Outpost MRN); the source's own numbers, its MRN
// among them, are kept as Identifiers.
func (m *mapper) mapPatient() {
	var p patientIn
	if !m.decode(-1, &p) {
		return
	}
	res := m.g.Patient
	out := chart.Patient{Origin: m.sourceRef(res)}
	for _, id := range p.Identifier {
		if v := strings.TrimSpace(id.Value); v != "" {
			out.Identifiers = append(out.Identifiers, chart.Identifier{System: id.System, Value: v, Type: firstCode(id.Type)})
		}
	}
	official := pickName(p.Name, "official", "usual", "")
	if official != nil {
		out.GivenName, out.FamilyName = givenAndFamily(official)
	}
	if nick := pickName(p.Name, "nickname"); nick != nil && nick != official {
		out.PreferredName = clip(firstOr(nick.Given, nick.Text), chart.MaxNameLen)
	} else if usual := pickName(p.Name, "usual"); usual != nil && usual != official {
		out.PreferredName = clip(firstOr(usual.Given, usual.Text), chart.MaxNameLen)
	}
	out.Phone = firstTelecom(p.Telecom, "phone")
	out.Email = firstTelecom(p.Telecom, "email")
	out.Address = address(p.Address)
	if home := homeAddress(p.Address); home >= 0 {
		out.Address.Directions = clipText(extensionString(p.Address[home].Extension, extOutpostDirections), chart.MaxLongTextLen)
	}
	out.BirthDate = dateOnly(p.BirthDate)
	out.Sex = chart.Sex(p.Gender)
	if !out.Sex.Valid() {
		out.Sex = chart.SexUnknown
	}
	if p.DeceasedBoolean != nil && *p.DeceasedBoolean {
		out.Deceased = true
	}
	if d := dateOnly(p.DeceasedDateTime); d != "" {
		out.Deceased, out.DeceasedDate = true, d
	}
	out.PreferredLanguage = language(p.Communication)
	out.EmergencyContact = emergencyContact(p.Contact)
	out.Guardian = guardian(p.Contact)
	out.Inactive = p.Active != nil && !*p.Active
	out.GenderIdentity = genderIdentity(p.Extension)
	if err := out.Validate(m.now); err != nil {
		m.failInvalid(-1, "the patient", err)
		if m.g.Lab {
			m.recs.Patient = out // only to match an existing chart
		}
		return
	}
	m.recs.Patient = out
	m.imported(-1)
}

// givenAndFamily are a name's given names (joined) and family name. A
// name written only as text ("Ann Marie Doe", as converted records often
// have it) is split at its last space: the chart needs both parts, and
// the name as written stays in the original JSON.
func givenAndFamily(n *fhir.HumanName) (string, string) {
	given, family := strings.Join(n.Given, " "), n.Family
	if strings.TrimSpace(given) == "" && strings.TrimSpace(family) == "" {
		words := strings.Fields(n.Text)
		if len(words) > 1 {
			given, family = strings.Join(words[:len(words)-1], " "), words[len(words)-1]
		}
	}
	return clip(given, chart.MaxNameLen), clip(family, chart.MaxNameLen)
}

// pickName returns the first name with the first use found in uses ("" =
// any name at all).
func pickName(names []fhir.HumanName, uses ...string) *fhir.HumanName {
	for _, use := range uses {
		for i := range names {
			if use == "" || names[i].Use == use {
				return &names[i]
			}
		}
	}
	return nil
}

func firstOr(list []string, alt string) string {
	if len(list) > 0 && strings.TrimSpace(list[0]) != "" {
		return list[0]
	}
	return alt
}

// firstTelecom is the first contact point of a system (phone, email);
// a phone the chart would refuse (letters, too long) is left out rather
// than failing the patient: it stays in the original JSON.
func firstTelecom(tel []fhir.ContactPoint, system string) string {
	for _, t := range tel {
		v := strings.TrimSpace(t.Value)
		if t.System != system || v == "" {
			continue
		}
		if system == "phone" && !plausiblePhone(v) || system == "email" && !plausibleEmail(v) {
			continue
		}
		return clip(v, chart.MaxShortTextLen)
	}
	return ""
}

func plausiblePhone(v string) bool {
	p := chart.Patient{GivenName: "x", FamilyName: "x", BirthDate: "2000-01-01", Phone: v}
	return p.Validate(mapNow()) == nil
}

func plausibleEmail(v string) bool {
	p := chart.Patient{GivenName: "x", FamilyName: "x", BirthDate: "2000-01-01", Email: v}
	return p.Validate(mapNow()) == nil
}

// patientIn reads the address extensions too (Outpost's export keeps a
// home visit's directions in one).
type patientIn struct {
	fhir.Patient
	Address []addressIn `json:"address,omitempty"`
}

type addressIn struct {
	fhir.Address
	Extension []fhir.Extension `json:"extension,omitempty"`
}

// homeAddress is the index of the home address, else the first; -1 when
// there is none.
func homeAddress(addrs []addressIn) int {
	for k := range addrs {
		if addrs[k].Use == "home" {
			return k
		}
	}
	if len(addrs) == 0 {
		return -1
	}
	return 0
}

// address maps the home address (else the first): two lines, city, state
// as region, postal code, country.
func address(addrs []addressIn) chart.Address {
	k := homeAddress(addrs)
	if k < 0 {
		return chart.Address{}
	}
	a := addrs[k].Address
	out := chart.Address{City: clip(a.City, chart.MaxShortTextLen), Region: clip(a.State, chart.MaxShortTextLen),
		PostalCode: clip(a.PostalCode, 20), Country: clip(a.Country, chart.MaxShortTextLen)}
	if len(a.Line) > 0 {
		out.Line1 = clip(a.Line[0], chart.MaxShortTextLen)
	}
	if len(a.Line) > 1 {
		out.Line2 = clip(strings.Join(a.Line[1:], ", "), chart.MaxShortTextLen)
	}
	if out.Line1 == "" && a.Text != "" {
		out.Line1 = clip(a.Text, chart.MaxShortTextLen)
	}
	return out
}

// language is the preferred communication language, else the first.
func language(comms []fhir.Communication) string {
	for _, c := range comms {
		if c.Preferred != nil && *c.Preferred {
			return conceptText(&c.Language)
		}
	}
	if len(comms) > 0 {
		return conceptText(&comms[0].Language)
	}
	return ""
}

// emergencyContact maps the first contact with a name or a phone that is
// not the guardian.
func emergencyContact(contacts []fhir.PatientContact) chart.EmergencyContact {
	for _, c := range contacts {
		if isGuardian(c) {
			continue
		}
		var ec chart.EmergencyContact
		if c.Name != nil {
			ec.Name = clip(personName(*c.Name), chart.MaxNameLen)
		}
		ec.Phone = firstTelecom(c.Telecom, "phone")
		ec.Relationship = clip(joinTexts(relationships(c.Relationship)), chart.MaxShortTextLen)
		if ec.Name != "" || ec.Phone != "" {
			return ec
		}
	}
	return chart.EmergencyContact{}
}

// v3RoleCode holds GUARD, the code Outpost's export (and US Core
// examples) give a guardian contact.
const v3RoleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"

func isGuardian(c fhir.PatientContact) bool {
	for i := range c.Relationship {
		if hasCode(&c.Relationship[i], v3RoleCode, "GUARD") {
			return true
		}
	}
	return false
}

// guardian maps the first contact coded as guardian.
func guardian(contacts []fhir.PatientContact) chart.Guardian {
	for _, c := range contacts {
		if !isGuardian(c) {
			continue
		}
		var g chart.Guardian
		if c.Name != nil {
			g.Name = clip(personName(*c.Name), chart.MaxNameLen)
		}
		g.Phone = firstTelecom(c.Telecom, "phone")
		var rels []fhir.CodeableConcept
		for _, r := range c.Relationship {
			if r.Text != "" || !hasCode(&r, v3RoleCode, "GUARD") {
				rels = append(rels, r)
			}
		}
		g.Relationship = clip(joinTexts(relationships(rels)), chart.MaxShortTextLen)
		if g.Name != "" {
			return g
		}
	}
	return chart.Guardian{}
}

// v2ContactRole is HL7 v2 table 0131, whose "C" says a contact is the
// emergency contact.
const v2ContactRole = "http://terminology.hl7.org/CodeSystem/v2-0131"

// relationships leaves out the role "emergency contact" alone: the chart's
// field is the emergency contact, so it says nothing of the relationship.
func relationships(ccs []fhir.CodeableConcept) []fhir.CodeableConcept {
	var out []fhir.CodeableConcept
	for _, cc := range ccs {
		if cc.Text == "" && len(cc.Coding) == 1 && hasCode(&cc, v2ContactRole, "C") {
			continue
		}
		out = append(out, cc)
	}
	return out
}

// usCoreGenderIdentity is the US Core 6.1 extension for gender identity.
const usCoreGenderIdentity = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity"

func genderIdentity(exts []fhir.Extension) string {
	for _, e := range exts {
		if e.URL == usCoreGenderIdentity {
			return clip(conceptText(e.ValueCodeableConcept), chart.MaxShortTextLen)
		}
	}
	return ""
}
