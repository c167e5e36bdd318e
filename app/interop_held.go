package app

import (
	"context"

	"outpost/chart"
)

// The match queue: incoming patients (a migration's or a lab's) whose
// match to a chart was uncertain wait here, written nowhere, until a
// person says which chart they belong to, that they are new, or sets
// them aside with a reason. The store checks the role and audits.

const matchWhat = "place incoming patients"

// HeldImports lists the incoming patients waiting for a person.
func (i *Interop) HeldImports() ([]chart.HeldImport, error) {
	return callAs(i.a, matchWhat, func(ctx context.Context, h heldImports) ([]chart.HeldImport, error) {
		return list(h.HeldImports(ctx))
	})
}

// MergeHeldImport files a held patient's records into the chart chosen.
func (i *Interop) MergeHeldImport(id, chartID string) (chart.ImportOutcome, error) {
	return callAs(i.a, matchWhat, func(ctx context.Context, h heldImports) (chart.ImportOutcome, error) {
		pid, err := patientID(chartID)
		if err != nil {
			return chart.ImportOutcome{}, err
		}
		return h.ResolveHeldImport(ctx, id, chart.ImportOptions{MatchTo: pid})
	})
}

// NewPatientFromHeldImport registers a held patient as a new chart.
func (i *Interop) NewPatientFromHeldImport(id string) (chart.ImportOutcome, error) {
	return callAs(i.a, matchWhat, func(ctx context.Context, h heldImports) (chart.ImportOutcome, error) {
		return h.ResolveHeldImport(ctx, id, chart.ImportOptions{NewPatient: true})
	})
}

// DismissHeldImport sets a held patient aside for good, with a reason.
func (i *Interop) DismissHeldImport(id, reason string) error {
	return errOnly(callAs(i.a, matchWhat, func(ctx context.Context, h heldImports) (done, error) {
		return noResult(h.DismissHeldImport(ctx, id, reason))
	}))
}
