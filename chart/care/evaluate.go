package care

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"outpost/chart"
)

// declinedFor is how long a declined item stays declined before it is
// offered again.
var declinedFor = Span{Years: 1}

// Due evaluates every rule against one chart as of a day (the caller's
// local date: the package reads no clock). It returns an item for each
// rule the patient is eligible for (due, overdue, up to date, declined or
// not applicable), most urgent first.
func Due(c chart.CareChart, asOf time.Time) ([]chart.DueItem, error) {
	rs, err := Rules()
	if err != nil {
		return nil, err
	}
	return rs.Due(c, asOf), nil
}

// Due is the package's Due for this rule set.
func (rs RuleSet) Due(c chart.CareChart, asOf time.Time) []chart.DueItem {
	f := gather(c)
	return rs.due(&f, dateOf(asOf))
}

func (rs RuleSet) due(f *facts, asOf time.Time) []chart.DueItem {
	if !f.born {
		return nil
	}
	var out []chart.DueItem
	for i := range rs.Rules {
		if it, ok := rs.Rules[i].evaluate(f, asOf); ok {
			out = append(out, it)
		}
	}
	if it, ok := rs.WellChild.evaluate(f, asOf); ok {
		out = append(out, it)
	}
	Sort(out)
	return out
}

// Sort orders items most urgent first: overdue, due, then the rest, each
// by due date. Other engines' items (an immunization forecast) are sorted
// in with the same order.
func Sort(items []chart.DueItem) {
	rank := map[string]int{chart.CareOverdue: 0, chart.CareDue: 1, chart.CareUpToDate: 2, chart.CareDeclined: 3, chart.CareNotApplicable: 4}
	slices.SortStableFunc(items, func(a, b chart.DueItem) int {
		return cmp.Or(cmp.Compare(rank[a.Status], rank[b.Status]), cmp.Compare(a.DueDate, b.DueDate),
			cmp.Compare(a.Title, b.Title))
	})
}

// item starts the DueItem of a rule.
func (r *Rule) item(f *facts) chart.DueItem {
	return chart.DueItem{PatientID: f.patient.ID, RuleID: r.ID, Title: r.Title, Category: r.Category,
		Source: r.Source, Grade: r.Grade, Version: r.Version}
}

// evaluate returns the item of one rule, or false when the patient is not
// in its population.
func (r *Rule) evaluate(f *facts, asOf time.Time) (chart.DueItem, bool) {
	it := r.item(f)
	ok, why := r.Who.applies(f, asOf)
	if !ok {
		return it, false
	}
	if pre, excluded := f.hasProblem(r.Who.ExcludeProblems); excluded {
		it.Status, it.Reason = chart.CareNotApplicable, fmt.Sprintf("Not applicable: an active problem (%s) on the problem list.", pre)
		return it, true
	}
	if r.decided(f, asOf, &it) {
		return it, true
	}
	end := r.Who.endAge(f.birth)
	next, last, how, once := r.nextDue(f)
	switch {
	case once:
		it.Status, it.LastDone = chart.CareUpToDate, last
		it.Reason = fmt.Sprintf("Done: %s on %s (once is enough).", how, last)
		return it, true
	case last == "":
		next = r.Who.startAge(f.birth)
		it.Reason = fmt.Sprintf("None on the chart. %s%s", r.Why, why)
	default:
		it.LastDone = last
		it.Reason = fmt.Sprintf("Last %s on %s. %s%s", how, last, r.Why, why)
	}
	if !end.IsZero() && !next.Before(end) {
		it.Status, it.DueDate = chart.CareUpToDate, ""
		it.Reason = fmt.Sprintf("Last %s on %s: no more are needed before the age limit.", how, last)
		return it, true
	}
	it.DueDate = next.Format(time.DateOnly)
	it.Status = statusFor(next, asOf, r.grace())
	return it, true
}

// nextDue is when the rule next comes due from what the chart holds: the
// latest of the satisfiers' (last + interval). once is set when a
// once-in-a-lifetime satisfier was met.
func (r *Rule) nextDue(f *facts) (next time.Time, last, how string, once bool) {
	for i, sat := range r.SatisfiedBy {
		d, via := f.lastMatch(sat), sat.Name
		if dec, ok := f.decisions[r.ID]; i == 0 && ok && dec.Decision == chart.DecisionDoneElsewhere && dec.Date > d {
			d, via = dec.Date, sat.Name+" (done elsewhere)"
		}
		if d == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			continue
		}
		if sat.Interval == nil {
			return time.Time{}, d, via, true
		}
		if n := sat.Interval.After(t); n.After(next) {
			next, last, how = n, d, via
		}
	}
	return next, last, how, false
}

// decided applies a clinician's decision that still stands: not
// applicable (until withdrawn), declined (for a year). Done elsewhere is
// read by nextDue as a dated satisfier.
func (r *Rule) decided(f *facts, asOf time.Time, it *chart.DueItem) bool {
	d, ok := f.decisions[r.ID]
	return ok && applyDecision(d, asOf, it)
}

// applyDecision sets an item's status from a decision about it and
// reports whether the decision settles it; done elsewhere only records
// the decision (the caller dates it).
func applyDecision(d chart.CareDecision, asOf time.Time, it *chart.DueItem) bool {
	switch d.Decision {
	case chart.DecisionNotApplicable:
		it.Status, it.Decision = chart.CareNotApplicable, &d
		it.Reason = fmt.Sprintf("Marked not applicable on %s: %s", d.Date, d.Reason)
		return true
	case chart.DecisionDeclined:
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil || !declinedFor.After(t).After(asOf) {
			return false // offered again a year after
		}
		it.Status, it.Decision, it.DueDate = chart.CareDeclined, &d, declinedFor.After(t).Format(time.DateOnly)
		it.Reason = fmt.Sprintf("Declined on %s: %s (offer again from %s).", d.Date, d.Reason, it.DueDate)
		return true
	case chart.DecisionDoneElsewhere:
		it.Decision = &d
	}
	return false
}

func (r *Rule) grace() int {
	if r.GraceDays > 0 {
		return r.GraceDays
	}
	return defaultGraceDays
}

// statusFor places a due date: more than dueSoonDays ahead is up to date;
// more than grace days past is overdue; due in between.
func statusFor(due, asOf time.Time, grace int) string {
	switch {
	case due.After(asOf.AddDate(0, 0, dueSoonDays)):
		return chart.CareUpToDate
	case asOf.After(due.AddDate(0, 0, grace)):
		return chart.CareOverdue
	}
	return chart.CareDue
}

// applies reports whether the patient is in the rule's population as of
// asOf, with a note on why (for the reason) when smoking decided it.
func (w *Who) applies(f *facts, asOf time.Time) (bool, string) {
	if w.Sex != "" && string(f.patient.Sex) != w.Sex {
		return false, ""
	}
	if start := w.startAge(f.birth); asOf.Before(start) {
		return false, ""
	}
	if end := w.endAge(f.birth); !end.IsZero() && !asOf.Before(end) {
		return false, ""
	}
	if len(w.ProblemsOr) > 0 || w.MinBMI > 0 {
		_, hasProblem := f.hasProblem(w.ProblemsOr)
		if !hasProblem && !(w.MinBMI > 0 && f.bmi >= w.MinBMI) {
			return false, ""
		}
	}
	return w.smokes(f, asOf)
}

// smokes applies the smoking criteria.
func (w *Who) smokes(f *facts, asOf time.Time) (bool, string) {
	s := f.smoking
	_, dependence := f.hasProblem([]string{"F17", "Z87891"})
	switch w.Smoking {
	case "":
		return true, ""
	case "ever":
		return s.ever || dependence, ""
	}
	if !s.ever && !dependence {
		return false, ""
	}
	if w.MinPackYears > 0 && (!s.packKnown || s.packYears < w.MinPackYears) {
		return false, ""
	}
	pack := fmt.Sprintf(" (%g pack-years", s.packYears)
	if s.current {
		return true, pack + ", smokes)"
	}
	if s.lastSmoked == "" {
		return true, pack + "; when they quit is not recorded: check it was within the past " +
			fmt.Sprint(w.QuitWithinYears) + " years)"
	}
	last, err := time.Parse(time.DateOnly, s.lastSmoked)
	if err != nil || !last.AddDate(w.QuitWithinYears, 0, 0).After(asOf) {
		return false, ""
	}
	return true, fmt.Sprintf("%s, last recorded smoking on %s)", pack, s.lastSmoked)
}

// startAge is the first day of the population's age range.
func (w *Who) startAge(birth time.Time) time.Time {
	if w.MinAge == nil {
		return birth
	}
	return w.MinAge.After(birth)
}

// endAge is the first day past it (zero: no upper age). MaxAge is
// inclusive of its last year: maxAge 75 ends on the 76th birthday.
func (w *Who) endAge(birth time.Time) time.Time {
	if w.MaxAge == nil {
		return time.Time{}
	}
	return birth.AddDate(w.MaxAge.Years+1, w.MaxAge.Months, w.MaxAge.Days)
}

// dateOf is the calendar day of t (its own location), at midnight UTC, so
// that day arithmetic never meets a daylight-saving hour.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func sortBy[T any](s []T, key func(T) string) {
	slices.SortStableFunc(s, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}
