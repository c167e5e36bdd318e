package fhirimport

import (
	"context"
	"sync"

	"outpost/chart"
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

func (s *memStore) ImportIDs() IDs { return testIDs }

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
