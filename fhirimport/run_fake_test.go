package fhirimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"

	"outpost/chart"
	"outpost/fhir"
)

// memStore is an in-memory Store for the pipeline's unit tests only (the
// sqlite store is built in parallel; the lead runs the pipeline against it
// after merging). It keeps what a real store must: a patient whole or not
// at all, matching by the source patient's id, and records by id so a
// second import of the same source adds nothing.
type memStore struct {
	mu       sync.Mutex
	patients map[string]chart.PatientID // source patient key → chart id
	records  map[chart.RecordID]bool
	calls    []chart.ImportOptions
	// failFamily makes ImportPatient fail for patients of this family name.
	failFamily string
	// hold makes every patient held for a person to match.
	hold bool
}

func newMemStore() *memStore {
	return &memStore{patients: map[string]chart.PatientID{}, records: map[chart.RecordID]bool{}}
}

func (s *memStore) ImportIDs() IDs {
	return func(key string) chart.RecordID {
		h := sha256.Sum256([]byte("practice-key|" + key))
		return chart.RecordID(hex.EncodeToString(h[:16]))
	}
}

func (s *memStore) ImportPatient(ctx context.Context, recs chart.PatientRecords, opts chart.ImportOptions) (chart.ImportOutcome, error) {
	if err := ctx.Err(); err != nil {
		return chart.ImportOutcome{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, opts)
	if recs.Patient.FamilyName == s.failFamily && s.failFamily != "" {
		return chart.ImportOutcome{}, chart.Errorf(chart.EINVALID, "the store refused %s", s.failFamily)
	}
	if recs.Patient.Origin == nil || recs.Patient.Origin.ImportID != opts.ImportID || opts.ImportID == "" {
		return chart.ImportOutcome{}, chart.Errorf(chart.EINVALID, "the records do not name the import run")
	}
	out := chart.ImportOutcome{Imported: map[string]int{}, AlreadyPresent: map[string]int{}}
	if s.hold {
		out.Held = true
		return out, nil
	}
	key := recs.Patient.Origin.ID
	id, ok := s.patients[key]
	if !ok {
		id = chart.NewPatientID()
		s.patients[key] = id
		out.Created = true
	} else {
		out.Match = chart.MatchIdentifier
	}
	out.PatientID = id
	for _, p := range recs.Problems {
		if s.records[p.ID] {
			out.AlreadyPresent["problem"]++
			continue
		}
		s.records[p.ID] = true
		out.Imported["problem"]++
	}
	return out, nil
}

func (s *memStore) patientCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.patients)
}

// testMap stands in for MapPatient (written in parallel): it maps the
// Patient and its Conditions and skips the rest with a reason, which is all
// the pipeline needs to be tested.
func testMap(g PatientGroup, r Resolver, ids IDs) (chart.PatientRecords, []Outcome) {
	var recs chart.PatientRecords
	var outs []Outcome
	account := func(res fhir.Resource, st Status, reason string) {
		outs = append(outs, Outcome{Type: res.Type, ID: res.ID, At: res.At, Status: st, Reason: reason})
	}
	var p fhir.Patient
	if err := json.Unmarshal(g.Patient.Raw, &p); err != nil {
		account(g.Patient, Failed, err.Error())
		return recs, outs
	}
	recs.Patient = chart.Patient{BirthDate: p.BirthDate, Sex: chart.Sex(p.Gender),
		Origin: &chart.SourceRef{System: g.Source, Type: "Patient", ID: g.Patient.ID}}
	if len(p.Name) > 0 {
		recs.Patient.FamilyName = p.Name[0].Family
		if len(p.Name[0].Given) > 0 {
			recs.Patient.GivenName = p.Name[0].Given[0]
		}
	}
	account(g.Patient, Imported, "")
	for _, res := range g.Resources {
		if res.Type != "Condition" {
			account(res, Skipped, "the test mapper maps Patient and Condition only")
			continue
		}
		var c fhir.Condition
		if err := json.Unmarshal(res.Raw, &c); err != nil || c.Code == nil {
			account(res, Failed, "no code")
			continue
		}
		if _, ok := r.Resolve(c.Subject.Reference, res); !ok {
			account(res, Failed, errors.New("subject not resolved").Error())
			continue
		}
		recs.Problems = append(recs.Problems, chart.Problem{Meta: chart.Meta{ID: ids("Condition/" + res.ID)},
			Condition: chart.Coded{Display: c.Code.Text}, Onset: c.OnsetDateTime, Status: chart.ProblemActive})
		account(res, Imported, "")
	}
	return recs, outs
}
