package app

import (
	"context"

	"outpost/chart"
)

// importedLists are the chart store's lists of what only imports bring.
type importedLists interface {
	Procedures(ctx context.Context, id chart.PatientID) ([]chart.Procedure, error)
}

// Procedures lists a patient's procedures (imported; read-only).
func (c *Chart) Procedures(patientID string) ([]chart.Procedure, error) {
	return list(onPatient(c.a, patientID, importedLists.Procedures))
}
