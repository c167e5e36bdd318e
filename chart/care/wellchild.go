package care

import (
	"fmt"
	"time"

	"outpost/chart"
)

// evaluate places a child on the well-child schedule: the visit of the
// latest scheduled age reached is due until a well-child visit falls on
// or after EarlyDays before that age; then the next one is coming.
func (w *WellChild) evaluate(f *facts, asOf time.Time) (chart.DueItem, bool) {
	it := w.item(f)
	if !asOf.Before(w.EndAge.After(f.birth)) {
		return it, false
	}
	if w.decided(f, asOf, &it) {
		return it, true
	}
	k := -1 // the latest visit age reached
	for i, v := range w.Visits {
		if !v.After(f.birth).After(asOf) {
			k = i
		}
	}
	last := w.lastVisit(f)
	if k < 0 { // a newborn before the first visit
		first := w.Visits[0].After(f.birth)
		it.DueDate, it.Status = first.Format(time.DateOnly), statusFor(first, asOf, w.grace())
		it.Reason = fmt.Sprintf("First well-child visit at %s. %s", ageLabel(w.Visits[0]), w.Why)
		return it, true
	}
	at := w.Visits[k].After(f.birth)
	it.LastDone = last
	if last != "" && last >= at.AddDate(0, 0, -w.EarlyDays).Format(time.DateOnly) {
		if k+1 == len(w.Visits) {
			it.Status, it.Reason = chart.CareUpToDate, fmt.Sprintf("The %s visit was done on %s: the schedule is complete.", ageLabel(w.Visits[k]), last)
			return it, true
		}
		next := w.Visits[k+1].After(f.birth)
		it.DueDate, it.Status = next.Format(time.DateOnly), statusFor(next, asOf, w.grace())
		it.Reason = fmt.Sprintf("The %s visit was done on %s; next, the %s visit.", ageLabel(w.Visits[k]), last, ageLabel(w.Visits[k+1]))
		return it, true
	}
	it.DueDate, it.Status = at.Format(time.DateOnly), statusFor(at, asOf, w.grace())
	it.Reason = fmt.Sprintf("The %s visit is not on the chart. %s", ageLabel(w.Visits[k]), w.Why)
	return it, true
}

// lastVisit is the latest well-child visit, done here or (a clinician
// says) elsewhere.
func (w *WellChild) lastVisit(f *facts) string {
	last := ""
	for _, sat := range w.SatisfiedBy {
		last = max(last, f.lastMatch(sat))
	}
	if d, ok := f.decisions[w.ID]; ok && d.Decision == chart.DecisionDoneElsewhere {
		last = max(last, d.Date)
	}
	return last
}

// ageLabel names a visit age: "3-day", "2-month", "4-year".
func ageLabel(s Span) string {
	switch {
	case s.Years > 0:
		return fmt.Sprintf("%d-year", s.Years)
	case s.Months > 0:
		return fmt.Sprintf("%d-month", s.Months)
	}
	return fmt.Sprintf("%d-day", s.Days)
}
