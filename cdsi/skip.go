package cdsi

import (
	"strconv"
	"strings"
)

// skipped evaluates the conditional skips of target dose t (logic
// specification 6.2) for a context ("Evaluation" at a dose's date, before
// dose i; "Forecast" at the assessment date, over all doses).
func (e *engine) skipped(r *run, t int, ctx string, when Date, i int) bool {
	for _, sk := range r.s.Doses[t].Skips {
		if !strings.EqualFold(sk.Context, ctx) && !strings.EqualFold(sk.Context, "Both") {
			continue
		}
		any := false
		for _, set := range sk.Sets {
			if !within("", set.Effective, set.Cessation, when) {
				continue
			}
			if e.setMet(r, set.Logic, set.Conditions, when, i) {
				any = true
				break
			}
		}
		if any {
			return true
		}
	}
	return false
}

func (e *engine) setMet(r *run, logic string, conds []condition, when Date, i int) bool {
	or := strings.EqualFold(strings.TrimSpace(logic), "OR")
	for _, c := range conds {
		met := e.conditionMet(r, c, when, i)
		if or && met {
			return true
		}
		if !or && !met {
			return false
		}
	}
	return !or && len(conds) > 0
}

func (e *engine) conditionMet(r *run, c condition, when Date, i int) bool {
	switch strings.ToLower(strings.TrimSpace(c.Type)) {
	case "age":
		return e.ageBetween(when, c.BeginAge, c.EndAge)
	case "interval":
		j := previous(r, i)
		if j < 0 {
			return false
		}
		m := at(r.doses[j].date, c.Interval)
		return !m.IsZero() && !when.Before(m)
	case "vaccine count by age", "vaccine count by date", "vaccine count by date and age":
		return e.countMet(r, c, i)
	case "completed series":
		return e.completedSeries(r, c.SeriesGroups)
	}
	return false
}

func (e *engine) ageBetween(when Date, begin, end string) bool {
	if b := at(e.p.DOB, begin); !b.IsZero() && when.Before(b) {
		return false
	}
	if en := at(e.p.DOB, end); !en.IsZero() && !when.Before(en) {
		return false
	}
	return true
}

// countMet counts earlier doses of the listed vaccine types, by the age
// given or date given, valid only or all, and compares with the threshold.
func (e *engine) countMet(r *run, c condition, i int) bool {
	n := 0
	for j := 0; j < i && j < len(r.doses); j++ {
		dz := r.doses[j]
		if strings.TrimSpace(c.VaccineTypes) != "" && !cvxIn(c.VaccineTypes, dz.cvx) {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(c.DoseType), "Valid") && r.evals[j].status != Valid {
			continue
		}
		if !e.ageBetween(dz.date, c.BeginAge, c.EndAge) {
			continue
		}
		if s := dataDate(c.StartDate); !s.IsZero() && dz.date.Before(s) {
			continue
		}
		if en := dataDate(c.EndDate); !en.IsZero() && !dz.date.Before(en) {
			continue
		}
		n++
	}
	want, _ := strconv.Atoi(strings.TrimSpace(c.DoseCount))
	if strings.EqualFold(strings.TrimSpace(c.CountLogic), "equal to") {
		return n == want
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(c.CountLogic)), "less") {
		return n < want
	}
	return n > want
}

// completedSeries: another series group of the same antigen is complete.
func (e *engine) completedSeries(r *run, groups string) bool {
	if e.depth > 2 {
		return false
	}
	e.depth++
	defer func() { e.depth-- }()
	for _, s := range e.relevant(r.antigen) {
		if s == r.s || !cvxIn(groups, normCVX(s.Select.Group)) {
			continue
		}
		if o := e.evaluate(r.antigen, s); o.status == Complete {
			return true
		}
	}
	return false
}
