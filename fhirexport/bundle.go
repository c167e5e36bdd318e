package fhirexport

import (
	"encoding/json"
	"errors"
	"fmt"

	"outpost/chart"
	"outpost/fhir"
)

// PatientBundle is a patient's whole chart as a FHIR R4 collection Bundle
// (JSON): every resource of Resources, with a timestamp and an identifier
// unique to this export. A *Warnings error comes with complete bytes (see
// Resources); any other error with none.
func PatientBundle(recs chart.PatientRecords, opts Options) ([]byte, error) {
	opts.RelativeRefs = false
	entries, err := Resources(recs, opts)
	var warn *Warnings
	if err != nil && !errors.As(err, &warn) {
		return nil, err
	}
	out, berr := BundleOf("collection", entries, opts)
	if berr != nil {
		return nil, berr
	}
	if warn != nil {
		return out, warn
	}
	return out, nil
}

// BundleOf wraps entries in a Bundle of type typ, stamped now and given a
// fresh identifier (urn:uuid).
func BundleOf(typ string, entries []Entry, opts Options) ([]byte, error) {
	b := fhir.Bundle{ResourceType: "Bundle", ID: string(chart.NewRecordID()), Type: typ,
		Timestamp: instant(opts.now())}
	b.Identifier = &fhir.Identifier{System: "urn:ietf:rfc:3986", Value: "urn:uuid:" + b.ID}
	b.Entry = make([]fhir.BundleEntry, len(entries))
	for i, e := range entries {
		raw, err := json.Marshal(e.Resource)
		if err != nil {
			return nil, fmt.Errorf("fhirexport: writing %s/%s: %w", e.Type, e.ID, err)
		}
		b.Entry[i] = fhir.BundleEntry{FullURL: e.FullURL, Resource: raw}
	}
	out, err := json.MarshalIndent(b, "", " ")
	if err != nil {
		return nil, fmt.Errorf("fhirexport: writing the bundle: %w", err)
	}
	return out, nil
}
