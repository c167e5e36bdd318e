package fhirimport

import (
	"context"

	"outpost/chart"
	"outpost/fhir"
)

// IDs gives the stable chart id of a source resource: the same source key
// (see SourceKey) always gives the same id on every workstation of the
// practice, so a second import of the same files finds what the first one
// wrote. The store supplies it (keyed with the practice key, so ids do
// not tell the server which outside resource a record came from).
type IDs = func(sourceKey string) chart.RecordID

// Resolver finds the resource a reference points at, across all the
// files of one import: "urn:uuid:…", "Type/id", absolute URLs and
// conditional references ("Practitioner?identifier=system|value").
type Resolver interface {
	Resolve(ref string, from fhir.Resource) (fhir.Resource, bool)
}

// PatientGroup is one patient's resources as gathered from the input.
type PatientGroup struct {
	Patient   fhir.Resource
	Resources []fhir.Resource
	// Source names the sending system for SourceRef.System.
	Source string
	// Lab marks results from outside (a lab's file): matched to an
	// existing patient only, and shown as external.
	Lab bool
}

// Status is what became of one resource.
type Status string

const (
	Imported Status = "imported"
	Skipped  Status = "skipped"
	Failed   Status = "failed"
)

// Outcome is the mapper's account of one resource.
type Outcome struct {
	Type   string        `json:"type"`
	ID     string        `json:"id"`
	At     fhir.Location `json:"at"`
	Status Status        `json:"status"`
	// Reason says why a resource was skipped or failed, in words
	// ("no home in Outpost: kept in the original JSON").
	Reason string `json:"reason,omitempty"`
}

// Store is what an import needs of the chart store.
type Store interface {
	ImportIDs() IDs
	// ImportPatient commits one patient whole or not at all.
	ImportPatient(ctx context.Context, recs chart.PatientRecords, opts chart.ImportOptions) (chart.ImportOutcome, error)
}
