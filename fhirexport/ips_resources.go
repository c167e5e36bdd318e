package fhirexport

import (
	"encoding/json"
	"errors"
	"fmt"

	"outpost/chart"
)

// ipsEntry is one resource of the chart as the IPS takes it: its fullUrl
// (urn:uuid:<record id>) and its JSON.
type ipsEntry struct {
	FullURL  string
	Resource json.RawMessage
}

// ipsResources is the chart as Resources exports it, one resource per
// record. Records the export leaves out (damaged, or holding values FHIR
// forbids) are left out of the summary too: Resources counts them.
func ipsResources(recs chart.PatientRecords, opts Options) ([]ipsEntry, error) {
	entries, err := Resources(recs, opts)
	var warn *Warnings
	if err != nil && !errors.As(err, &warn) {
		return nil, err
	}
	out := make([]ipsEntry, 0, len(entries))
	for _, e := range entries {
		raw, err := json.Marshal(e.Resource)
		if err != nil {
			return nil, fmt.Errorf("encode %s/%s for the patient summary: %w", e.Type, e.ID, err)
		}
		out = append(out, ipsEntry{FullURL: e.FullURL, Resource: raw})
	}
	return out, nil
}
