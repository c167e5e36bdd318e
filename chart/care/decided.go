package care

import (
	"fmt"
	"time"

	"outpost/chart"
)

// WithDecisions wraps an engine that knows nothing of care decisions (the
// immunization forecast) so a clinician's answer on its items counts as it
// does for the screening rules: not applicable until withdrawn, declined
// for a year, and done elsewhere as up to date from that day. The forecast
// cannot count a dose it has not seen, so the reason asks for the dose to be
// charted.
func WithDecisions(e Engine) Engine {
	return func(c chart.CareChart, asOf time.Time) []chart.DueItem {
		items := e(c, asOf)
		if len(items) == 0 {
			return items
		}
		f := gather(c)
		day := dateOf(asOf)
		for i := range items {
			d, ok := f.decisions[items[i].RuleID]
			if !ok || applyDecision(d, day, &items[i]) || d.Decision != chart.DecisionDoneElsewhere {
				continue
			}
			items[i].Status, items[i].LastDone = chart.CareUpToDate, d.Date
			items[i].Reason = fmt.Sprintf("Given elsewhere on %s (%s): chart the dose on the immunizations tab so the forecast counts it.",
				d.Date, d.DecidedByName)
		}
		return items
	}
}
