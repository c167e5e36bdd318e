package fhirexport

import (
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// practitioners writes a Practitioner for each member of the practice the
// export refers to (id = their user id). The chart keeps a person's name
// as one line ("Dr Ana Silva"), so it is the name's text.
func (b *builder) practitioners() {
	for _, id := range b.peopleList {
		rid := resourceID(string(id))
		p := &fhir.Practitioner{DomainResource: domain("Practitioner", rid), Identifier: recordIdentifier(string(id))}
		if name := b.people[id]; name != "" {
			p.Name = []fhir.HumanName{{Text: name}}
		}
		b.add("Practitioner", rid, p)
	}
}

// organization is the practice: custodian of the records.
func (b *builder) organization() *fhir.Organization {
	pr := b.opts.Practice
	o := &fhir.Organization{DomainResource: domain("Organization", b.orgID()), Name: pr.Name}
	if pr.ID != "" {
		o.Identifier = recordIdentifier(string(pr.ID))
	}
	if pr.Phone != "" {
		o.Telecom = []fhir.ContactPoint{{System: "phone", Value: pr.Phone, Use: "work"}}
	}
	if lines := nonEmpty(strings.Split(pr.Address, "\n")...); len(lines) > 0 {
		o.Address = []fhir.Address{{Use: "work", Text: strings.Join(lines, ", "), Line: lines}}
	}
	return o
}

// markExported notes the ids of the records that will be exported, so
// that links between records (a note's visit, a renewal's prescription)
// point only at resources the export holds.
func (b *builder) markExported() {
	r := b.recs
	mark := func(m *chart.Meta) {
		if !m.IsDamaged() && m.EnteredInError == nil {
			b.exported[m.ID] = true
		}
	}
	for i := range r.Encounters {
		mark(&r.Encounters[i].Meta)
	}
	for i := range r.Medications {
		mark(&r.Medications[i].Meta)
	}
	for i := range r.Notes {
		if r.Notes[i].Signed() {
			mark(&r.Notes[i].Meta)
		}
	}
}
