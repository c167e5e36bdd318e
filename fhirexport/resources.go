package fhirexport

import (
	"errors"
	"fmt"

	"github.com/google/uuid"

	"outpost/chart"
	"outpost/fhir"
)

// Resources maps one patient's chart to FHIR R4 resources, one per chart
// record (id = the record id, fullUrl urn:uuid:<id>), plus the resources
// they point at: the conditions of encounter diagnoses, the members of a
// vital-signs panel, the lab reports that group results, the
// practitioners who wrote, signed or prescribed, and the practice.
// Entered-in-error records are not exported. Damaged records are left out
// and counted: the entries then come with a *Warnings error, and are
// complete for everything else.
func Resources(recs chart.PatientRecords, opts Options) ([]Entry, error) {
	b, err := newBuilder(&recs, opts)
	if err != nil {
		return nil, err
	}
	b.build()
	if b.warn.empty() {
		return b.entries, nil
	}
	return b.entries, &b.warn
}

// builder holds one patient's export while it is made.
type builder struct {
	recs    *chart.PatientRecords
	opts    Options
	patient fhir.Reference
	org     fhir.Reference
	entries []Entry
	// people are the practitioners referenced so far, in order.
	people     map[chart.UserID]string
	peopleList []chart.UserID
	// exported are the record ids written, to resolve links (an addendum's
	// note, a renewal's prescription) only to what is in the export.
	exported map[chart.RecordID]bool
	warn     Warnings
}

func newBuilder(recs *chart.PatientRecords, opts Options) (*builder, error) {
	if recs.Patient.ID == "" {
		return nil, errors.New("fhirexport: the patient has no id")
	}
	b := &builder{recs: recs, opts: opts, people: map[chart.UserID]string{}, exported: map[chart.RecordID]bool{},
		warn: Warnings{Damaged: map[string]int{}}}
	b.patient = b.ref("Patient", resourceID(string(recs.Patient.ID)))
	b.org = b.ref("Organization", b.orgID())
	return b, nil
}

// build adds every resource, the patient first and the practitioners and
// practice last.
func (b *builder) build() {
	b.add("Patient", resourceID(string(b.recs.Patient.ID)), b.patientResource())
	b.markExported()
	b.encounters()
	b.problems()
	b.medications()
	b.allergies()
	b.vitals()
	b.results()
	b.immunizations()
	b.notes()
	b.documents()
	b.procedures()
	b.socialHistory()
	b.pregnancies()
	b.practitioners()
	b.add("Organization", b.orgID(), b.organization())
}

// add appends a resource whose DomainResource (see domain) is set.
func (b *builder) add(typ, id string, res any) {
	b.entries = append(b.entries, Entry{FullURL: "urn:uuid:" + id, Type: typ, ID: id, Resource: res})
}

// domain starts a resource of type typ with id.
func domain(typ, id string) fhir.DomainResource {
	return fhir.DomainResource{ResourceType: typ, ID: id}
}

// ref is a reference to a resource of this export.
func (b *builder) ref(typ, id string) fhir.Reference {
	if b.opts.RelativeRefs {
		return fhir.Reference{Reference: typ + "/" + id}
	}
	return fhir.Reference{Reference: "urn:uuid:" + id}
}

func (b *builder) refPtr(typ, id string) *fhir.Reference {
	r := b.ref(typ, id)
	return &r
}

// recordRef refers to another chart record of this export, or is nil when
// that record is not exported (entered in error, damaged, absent).
func (b *builder) recordRef(typ string, id chart.RecordID) *fhir.Reference {
	if id == "" || !b.exported[id] {
		return nil
	}
	return b.refPtr(typ, resourceID(string(id)))
}

// person refers to a practitioner of the practice, remembering it so that
// its Practitioner resource is written; with no user id it is a name only.
func (b *builder) person(id chart.UserID, name string) *fhir.Reference {
	if id == "" {
		if name == "" {
			return nil
		}
		return &fhir.Reference{Display: name}
	}
	if _, ok := b.people[id]; !ok {
		b.peopleList = append(b.peopleList, id)
		b.people[id] = ""
	}
	if name != "" && b.people[id] == "" {
		b.people[id] = name
	}
	r := b.ref("Practitioner", resourceID(string(id)))
	r.Display = name
	return &r
}

// skip reports whether a record stays out of the export, counting the
// damaged ones.
func (b *builder) skip(kind string, m *chart.Meta) bool {
	if m.IsDamaged() {
		b.warn.Damaged[kind]++
		return true
	}
	return m.EnteredInError != nil
}

func (b *builder) warnf(format string, args ...any) {
	b.warn.Messages = append(b.warn.Messages, fmt.Sprintf(format, args...))
}

// identifiers is the Outpost record identifier every resource carries.
func recordIdentifier(id string) []fhir.Identifier {
	return []fhir.Identifier{{System: SystemRecord, Value: id}}
}

var idNamespace = uuid.MustParse("6f0a3c1e-9a44-5d0e-8f55-6f7574706f73") // "outpost" ids

// resourceID is a record id as a FHIR id (and a UUID for urn:uuid:): the
// id itself when it is a UUID, else a UUID derived from it.
func resourceID(id string) string {
	if chart.ValidID(id) {
		return id
	}
	return uuid.NewSHA1(idNamespace, []byte(id)).String()
}

// derivedID is the stable id of a resource made from part of a record (a
// vital sign of a vitals set, a diagnosis of an encounter).
func derivedID(parent, part string) string {
	return uuid.NewSHA1(idNamespace, []byte(parent+"/"+part)).String()
}

func (b *builder) orgID() string {
	if p := b.opts.Practice; p.ID != "" {
		return resourceID(string(p.ID))
	}
	return derivedID("practice", b.opts.Practice.Name)
}
