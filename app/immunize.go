package app

import (
	"context"
	"time"

	"outpost/cdsi"
	"outpost/chart"
)

// ImmunizationForecast evaluates the patient's charted immunizations with
// the CDC's CDSi logic and forecasts each vaccine group (docs/CDSI.md).
func (c *Chart) ImmunizationForecast(patientID string) (cdsi.ChartForecast, error) {
	return onPatient(c.a, patientID, immunizationForecast)
}

// immunizationForecast reads the chart summary (an audited read, as the
// immunizations tab's own) and forecasts as of today.
func immunizationForecast(s chart.ChartService, ctx context.Context, pid chart.PatientID) (cdsi.ChartForecast, error) {
	sum, err := s.ChartSummary(ctx, pid)
	if err != nil {
		return cdsi.ChartForecast{}, err
	}
	return cdsi.ForecastChart(sum.Patient, sum.Immunizations, time.Now())
}
