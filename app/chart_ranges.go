package app

import (
	"context"

	"outpost/chart"
)

// VitalRanges is the table of typical vital-sign ranges by age that flags
// a reading (chart/vitalranges.json), for the trend plot's normal band. It
// is reference data, not a chart: no session is needed.
func (c *Chart) VitalRanges() (chart.VitalRanges, error) {
	return ready(c.a, func(context.Context) (chart.VitalRanges, error) {
		r, err := chart.DefaultVitalRanges()
		if err != nil {
			return chart.VitalRanges{}, err
		}
		return *r, nil
	})
}
