package fhirimport

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
	"outpost/fhir"
)

// Reasons shared by many outcomes (the report counts skips by reason, so
// the same cause must always be worded the same way).
const (
	reasonNoHome    = "no home in Outpost: kept in the original JSON"
	reasonReference = "reference data (practitioner, organisation, location, medication): used to name people and drugs, kept in the original JSON"
	reasonOtherObs  = "an observation Outpost does not chart (survey, score, other social history): kept only in the original JSON"
)

// referenceTypes are read only as the targets of references.
var referenceTypes = map[string]bool{
	"Practitioner": true, "PractitionerRole": true, "Organization": true, "Location": true, "Medication": true,
}

// mapNow is the clock the chart's "not in the future" rules are checked
// against; a variable so tests can pin it.
var mapNow = time.Now

// SourceKey names one source resource for IDs: "Type/id", or "Type/" and
// the Bundle entry's fullUrl when the resource has no id. It depends only
// on what the file says, so importing the same file again gives the same
// keys (and so the same record ids).
func SourceKey(resourceType, idOrFullURL string) string {
	return resourceType + "/" + idOrFullURL
}

// keyOf is the SourceKey of a resource as read.
func keyOf(res fhir.Resource) string {
	if res.ID != "" {
		return SourceKey(res.Type, res.ID)
	}
	return SourceKey(res.Type, res.FullURL)
}

// sourceID is the id a SourceRef names: the resource id, else its fullUrl.
func sourceID(res fhir.Resource) string {
	if res.ID != "" {
		return res.ID
	}
	return res.FullURL
}

// mapper holds one patient's mapping in progress.
type mapper struct {
	g        PatientGroup
	r        Resolver
	ids      IDs
	now      time.Time
	recs     chart.PatientRecords
	outcomes []Outcome // index 0 is the Patient, i+1 is g.Resources[i]
	// encounters indexes the imported encounters by record id, so links
	// from other records point only at encounters that exist.
	encounters map[chart.RecordID]int
	// reportOf maps an Observation's record id to its DiagnosticReport.
	reportOf map[chart.RecordID]reportInfo
	// docTexts holds the text of every imported DocumentReference note, so
	// a DiagnosticReport carrying the same text is not imported twice.
	docTexts map[string]bool
	// diagnoses are the encounter diagnoses found on Conditions.
	diagnoses []diagnosisAt
	// diagnosed: which Condition is already a diagnosis of which encounter.
	diagnosed   map[[2]chart.RecordID]bool
	vitalGroups map[string]*vitalsGroup
	vitalOrder  []*vitalsGroup
	// panelOf maps a vital sign's source key to its panel's; panels maps
	// a panel's key to its resource index.
	panelOf map[string]string
	panels  map[string]int
	// names caches the names of practitioners and organisations, which
	// most resources point at.
	names map[string]string
	// addenda are the notes that append to another.
	addenda []addendumOf
	// problemList: whether the group has problem-list items (nil: not
	// looked yet).
	problemList *bool
	// noKnownAllergies: a "no known allergies" statement was read.
	noKnownAllergies bool
	// compact is decode's buffer, reused from resource to resource.
	compact []byte
}

// MapPatient maps one patient's resources into the chart's records: one
// Outcome per resource (the Patient first, then g.Resources in order),
// imported, skipped with a reason, or failed with the rule broken. Every
// record it returns has passed the chart's own validation; a record that
// would not is left out whole and its resource reported failed. It never
// panics: a resource it cannot read fails alone.
func MapPatient(g PatientGroup, r Resolver, ids IDs) (recs chart.PatientRecords, out []Outcome) {
	m := &mapper{g: g, r: r, ids: ids, now: mapNow(), outcomes: make([]Outcome, len(g.Resources)+1),
		encounters: map[chart.RecordID]int{}, reportOf: map[chart.RecordID]reportInfo{}, docTexts: map[string]bool{},
		vitalGroups: map[string]*vitalsGroup{}, names: map[string]string{},
		panelOf: map[string]string{}, panels: map[string]int{}, diagnosed: map[[2]chart.RecordID]bool{}}
	if m.r == nil {
		m.r = noResolver{}
	}
	m.guard(-1, m.mapPatient)
	for _, pass := range m.passes() {
		for i, res := range g.Resources {
			if pass.match(res.Type) {
				m.guard(i, func() { pass.do(i, res) })
			}
		}
	}
	m.guard(-1, func() {
		m.finishVitals()
		m.attachDiagnoses()
		m.finishAllergies()
		m.linkAttachments()
		m.linkAddenda()
	})
	m.accountForAll()
	if m.outcomes[0].Status == Failed && !g.Lab {
		m.withoutPatient()
	}
	m.recs.Sources = sourceDocuments(g, m.ids)
	return m.recs, m.outcomes
}

// accountForAll makes sure every resource has its outcome, even if a
// step stopped early: one not accounted for fails, never vanishes.
func (m *mapper) accountForAll() {
	for k := range m.outcomes {
		if m.outcomes[k].Status == "" {
			m.fail(k-1, "internal", "Outpost did not finish mapping this resource; it is kept in the original JSON")
		}
	}
}

// withoutPatient: a patient's import is whole or nothing, so when the
// Patient itself cannot be mapped no record of theirs is imported, and
// every resource that would have been says why. (A lab's results are
// only ever matched to an existing chart, by identifier or name and
// birth date, so a lab's thin Patient does not stop them.) The originals
// are still returned, for the report; the pipeline does not hand a group
// whose Patient failed to the store.
func (m *mapper) withoutPatient() {
	reason := "the patient's own resource failed (" + m.outcomes[0].Reason + "), so none of their records is imported"
	for k := 1; k < len(m.outcomes); k++ {
		if m.outcomes[k].Status == Imported {
			m.outcomes[k].Status, m.outcomes[k].Reason = Failed, "patient-not-imported: "+reason
		}
	}
	m.recs = chart.PatientRecords{}
}

// pass is one sweep over the resources: encounters first (others link to
// them), documents before reports (a report repeating a document's text
// is not imported twice), reports before observations (results take the
// report's id and name).
type pass struct {
	match func(string) bool
	do    func(i int, res fhir.Resource)
}

func (m *mapper) passes() []pass {
	is := func(types ...string) func(string) bool {
		return func(t string) bool {
			for _, x := range types {
				if t == x {
					return true
				}
			}
			return false
		}
	}
	handled := is("Encounter", "DocumentReference", "DiagnosticReport", "Observation", "Condition",
		"MedicationRequest", "MedicationStatement", "AllergyIntolerance", "Immunization", "Procedure")
	return []pass{
		{is("Encounter"), m.mapEncounter},
		{is("DocumentReference"), m.mapDocumentReference},
		{is("DiagnosticReport"), m.mapDiagnosticReport},
		{is("Observation"), m.mapObservation},
		{is("Condition"), m.mapCondition},
		{is("MedicationRequest"), m.mapMedicationRequest},
		{is("MedicationStatement"), m.mapMedicationStatement},
		{is("AllergyIntolerance"), m.mapAllergy},
		{is("Immunization"), m.mapImmunization},
		{is("Procedure"), m.mapProcedure},
		{func(t string) bool { return !handled(t) }, m.skipUnmapped},
	}
}

func (m *mapper) skipUnmapped(i int, res fhir.Resource) {
	switch {
	case referenceTypes[res.Type]:
		m.skip(i, reasonReference)
		return
	case res.Type == "Patient":
		m.skip(i, "another Patient resource in this patient's group: kept in the original JSON")
		return
	}
	m.skip(i, reasonNoHome)
}

// guard runs one resource's mapping and turns a panic into that
// resource's failure, so one resource never stops the rest.
func (m *mapper) guard(i int, f func()) {
	defer func() {
		if p := recover(); p != nil {
			m.fail(i, "internal", fmt.Sprintf("Outpost could not map this resource (%v); it is kept in the original JSON", p))
		}
	}()
	f()
}

func (m *mapper) resource(i int) fhir.Resource {
	if i < 0 {
		return m.g.Patient
	}
	return m.g.Resources[i]
}

func (m *mapper) set(i int, st Status, reason string) {
	res := m.resource(i)
	m.outcomes[i+1] = Outcome{Type: res.Type, ID: sourceID(res), At: res.At, Status: st, Reason: reason}
}

func (m *mapper) imported(i int)               { m.set(i, Imported, "") }
func (m *mapper) skip(i int, reason string)    { m.set(i, Skipped, reason) }
func (m *mapper) fail(i int, rule, msg string) { m.set(i, Failed, rule+": "+msg) }

// failInvalid reports a record the chart refused, with the chart's words.
func (m *mapper) failInvalid(i int, what string, err error) {
	m.fail(i, "chart-validation", what+": "+chartMessage(err))
}

// chartMessage is a chart error's message with the field it names.
func chartMessage(err error) string {
	var e *chart.Error
	if errors.As(err, &e) && e != nil {
		if e.Field != "" {
			return fmt.Sprintf("%s (%s)", e.Message, e.Field)
		}
		return e.Message
	}
	return err.Error()
}

// decodeFast is false only in the tests that map everything both ways
// (fhir.Unmarshal's fast path, and encoding/json alone as before) and
// compare.
var decodeFast = true

// decode reads a resource's JSON into v; a resource whose JSON does not
// have the shape FHIR gives it fails with the decoder's words.
func (m *mapper) decode(i int, v any) bool {
	// fhir's decoder reads the mapped types in one pass, white space and
	// all; what it does not read exactly as encoding/json would goes to
	// encoding/json, which steps through every byte twice (a validity
	// check, then the decoding): without the indentation there are a
	// third fewer.
	raw := m.resource(i).Raw
	if decodeFast && fhir.UnmarshalFast(raw, v) {
		return true
	}
	m.compact = fhir.AppendCompact(m.compact[:0], raw)
	if err := json.Unmarshal(m.compact, v); err != nil {
		m.fail(i, "structure", "the resource does not have the shape FHIR R4 gives it: "+err.Error())
		return false
	}
	return true
}

// decodeWrapped decodes resource i into *w, one of the mapper's own types
// around a fhir type (the fields it adds or reads another way), as
// m.decode(i, w) would. fhir.Unmarshal reads only fhir's types, so the
// resource is read into the fhir type inside *w (inner) and fill moves
// what the wrapper reads differently into place, leaving *w as
// encoding/json would; a resource that does not read so is decoded into
// a fresh *w through m.decode as before, so its failure is reported in
// the same words.
func decodeWrapped[W any](m *mapper, i int, w *W, inner any, fill func()) bool {
	if decodeFast && fhir.UnmarshalFast(m.resource(i).Raw, inner) {
		fill()
		return true
	}
	*w = *new(W)
	return m.decode(i, w)
}

// meta is the Meta of the record mapped from resource i.
func (m *mapper) meta(i int) chart.Meta {
	res := m.resource(i)
	return chart.Meta{ID: m.ids(keyOf(res)), Origin: m.sourceRef(res)}
}

func (m *mapper) sourceRef(res fhir.Resource) *chart.SourceRef {
	return &chart.SourceRef{System: m.g.Source, Type: res.Type, ID: sourceID(res), External: m.g.Lab}
}

// validate runs the chart's own Validate on rec (when its type has one).
func (m *mapper) validate(rec any) error {
	if v, ok := rec.(interface{ Validate(time.Time) error }); ok {
		return v.Validate(m.now)
	}
	return nil
}

// keep validates rec and appends it to list (resource i imported), or
// reports resource i failed with the chart's words; it reports whether
// the record was kept. A record is never kept half-valid.
func keep[T any](m *mapper, i int, what string, rec T, list *[]T) bool {
	if err := m.validate(&rec); err != nil {
		m.failInvalid(i, what, err)
		return false
	}
	*list = append(*list, rec)
	m.imported(i)
	return true
}

// resolve finds the resource ref points at, from resource i.
func (m *mapper) resolve(i int, ref *fhir.Reference) (fhir.Resource, bool) {
	if ref == nil || ref.Reference == "" {
		return fhir.Resource{}, false
	}
	return m.r.Resolve(ref.Reference, m.resource(i))
}

// encounterLink is the record id of the imported encounter ref points at,
// or "" when it points at none that was imported.
func (m *mapper) encounterLink(i int, ref *fhir.Reference) chart.RecordID {
	res, ok := m.resolve(i, ref)
	if !ok || res.Type != "Encounter" {
		return ""
	}
	id := m.ids(keyOf(res))
	if _, ok := m.encounters[id]; !ok {
		return ""
	}
	return id
}

// nameOf names the person or organisation ref points at: the resolved
// resource's name, else the reference's display.
func (m *mapper) nameOf(i int, ref *fhir.Reference) string {
	if ref == nil {
		return ""
	}
	if res, ok := m.resolve(i, ref); ok {
		key := keyOf(res)
		n, seen := m.names[key]
		if !seen {
			n = resourceName(res)
			m.names[key] = n
		}
		if n != "" {
			return n
		}
	}
	return clip(ref.Display, chart.MaxNameLen)
}

// resourceName is a Practitioner's or Patient's name, an Organization's
// or Location's name.
func resourceName(res fhir.Resource) string {
	var v struct {
		Name json.RawMessage `json:"name"`
	}
	if json.Unmarshal(res.Raw, &v) != nil || len(v.Name) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(v.Name, &s) == nil {
		return clip(s, chart.MaxNameLen)
	}
	var names []fhir.HumanName
	if json.Unmarshal(v.Name, &names) != nil || len(names) == 0 {
		return ""
	}
	return clip(personName(names[0]), chart.MaxNameLen)
}

// personName writes a HumanName as people read it: prefix, given, family.
func personName(n fhir.HumanName) string {
	if t := strings.TrimSpace(n.Text); t != "" {
		return t
	}
	parts := append(append(append([]string{}, n.Prefix...), n.Given...), n.Family)
	parts = append(parts, n.Suffix...)
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// noResolver resolves nothing (MapPatient called without a Resolver).
type noResolver struct{}

func (noResolver) Resolve(string, fhir.Resource) (fhir.Resource, bool) { return fhir.Resource{}, false }
