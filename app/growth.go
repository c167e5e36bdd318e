package app

import (
	"context"
	"errors"

	"outpost/chart"
	"outpost/growth"
)

// GrowthCharts lists the CDC 2000 charts the Growth tab can draw. It is
// reference data, not a chart: no session is needed.
func (c *Chart) GrowthCharts() ([]growth.Chart, error) {
	return ready(c.a, func(context.Context) ([]growth.Chart, error) { return growth.Charts(), nil })
}

// Growth draws chartID (a growth.ChartID) for a patient: the reference
// percentile curves for their sex and each of their vitals the chart uses,
// with its age, z-score and percentile.
func (c *Chart) Growth(patientID, chartID string) (growth.Series, error) {
	return onPatient(c.a, patientID, func(s chart.Session, ctx context.Context, pid chart.PatientID) (growth.Series, error) {
		return growthSeries(ctx, s, pid, growth.ChartID(chartID))
	})
}

// growthSeries reads the patient (audited as a read like any chart open)
// and their vitals, and hands the measurements to the growth package.
func growthSeries(ctx context.Context, s chart.Session, pid chart.PatientID, id growth.ChartID) (growth.Series, error) {
	p, err := s.OpenPatient(ctx, pid)
	if err != nil {
		return growth.Series{}, err
	}
	vitals, err := s.Vitals(ctx, pid)
	if err != nil {
		return growth.Series{}, err
	}
	var samples []growth.Sample
	for _, v := range vitals {
		if v.EnteredInError != nil || v.IsDamaged() {
			continue
		}
		samples = append(samples, growth.Sample{TakenAt: v.TakenAt, Weight: v.Signs.Weight,
			Height: v.Signs.Height, Head: v.Signs.HeadCircumference})
	}
	series, err := growth.Plot(id, growthSex(p.Sex), p.BirthDate, samples)
	if ie := (*growth.InputError)(nil); errors.As(err, &ie) {
		return growth.Series{}, chart.Errorf(chart.EINVALID, "%s", ie.Message)
	}
	return series, err
}

// growthSex is the CDC code for the recorded sex; any other sex has no
// reference, which growth.Plot says in words.
func growthSex(s chart.Sex) growth.Sex {
	switch s {
	case chart.SexMale:
		return growth.Male
	case chart.SexFemale:
		return growth.Female
	}
	return 0
}
