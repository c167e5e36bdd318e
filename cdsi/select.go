package cdsi

import (
	"sort"
	"strings"
)

// best picks the patient series of an antigen that drives its forecast
// (logic specification chapter 8): the best series of each series group,
// then the one of highest priority among the groups.
func (e *engine) best(antigen string) *run {
	r, _ := e.bestOfGroups(antigen)
	return r
}

// bestOfGroups is best, with the best series of every series group.
func (e *engine) bestOfGroups(antigen string) (*run, []*run) {
	groups := map[string][]*run{}
	var order []string
	for _, s := range e.relevant(antigen) {
		r := e.evaluate(antigen, s)
		g := s.Select.Group
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], r)
	}
	var bests []*run
	for _, g := range order {
		if b := e.bestInGroup(groups[g]); b != nil {
			bests = append(bests, b)
		}
	}
	return e.acrossGroups(bests), bests
}

// acrossGroups picks among the best series of each series group: a group
// that aged out yields to one that has not; a group whose equivalent group
// is complete is covered by it; a group still needing doses drives the
// forecast over a complete one; then a risk series before a standard one,
// then the data's priority (A before B).
func (e *engine) acrossGroups(bests []*run) *run {
	if len(bests) == 0 {
		return nil
	}
	keep := func(f func(*run) bool) {
		var out []*run
		for _, b := range bests {
			if f(b) {
				out = append(out, b)
			}
		}
		if len(out) > 0 {
			bests = out
		}
	}
	keep(func(r *run) bool { return r.status != AgedOut })
	keep(func(r *run) bool {
		if r.status == Complete {
			return true
		}
		for _, b := range bests {
			if b != r && b.status == Complete && cvxIn(r.s.Equivalent, normCVX(b.s.Select.Group)) {
				return false
			}
		}
		return true
	})
	// A complete risk series stands for a standard series not begun whose
	// first dose is not yet due (chapter 8, the prioritized patient series,
	// risk before standard: a 9-month-old's travel HepA dose completes the
	// infant series; the 2-dose series waits for 12 months, not due today).
	keep(func(r *run) bool {
		if r.s.Type != "Standard" || r.status == Complete || r.valid > 0 || !r.fc.earliest.After(e.assess) {
			return true
		}
		for _, b := range bests {
			if b.status == Complete && b.s.Type == "Risk" {
				return false
			}
		}
		return true
	})
	sort.SliceStable(bests, func(i, j int) bool {
		a, b := bests[i], bests[j]
		if ca, cb := a.status == Complete, b.status == Complete; ca != cb {
			return cb
		}
		// A series begun at an age it may start, or one the patient may
		// start now, before one begun out of its ages (2023-UC-0031: a
		// 3-year-old's PPSV23 does not make the 50+ series the one to follow).
		if ia, ib := e.inWindow(a), e.inWindow(b); ia != ib {
			return ia
		}
		// A risk series the patient's indication calls for drives the
		// forecast before the data's group priority (chapter 8, the
		// prioritized patient series: a 65-year-old with cochlear implants
		// follows the risk PCV-PPSV series, not the 50+ series).
		if ra, rb := a.s.Type == "Risk", b.s.Type == "Risk"; ra != rb && a.status != Complete {
			return ra
		}
		if pa, pb := a.s.Select.Priority, b.s.Select.Priority; pa != pb {
			return pa < pb
		}
		return a.valid > b.valid
	})
	return bests[0]
}

// bestInGroup: a complete series beats one in process, which beats one not
// started; ties go to more valid doses, fewer doses left, the earlier
// forecast, then the data's series preference.
func (e *engine) bestInGroup(rs []*run) *run {
	var cands []*run
	inProcess := false
	// A series counts as begun only if its first valid dose came at an age
	// the series may start (CDC 2013-0584: PCV dose 1 at 12 months is not
	// the infant 4-dose series; 2024-0023: HPV begun at 34 is not the
	// 2-dose series).
	var begun []*run
	for _, r := range rs {
		// A complete series counts even if begun younger than its age to
		// start (2013-0409: HPV 3-dose series begun at 9), never if begun
		// older (2025-0106: the 6-23-month COVID-19 series at 73 years).
		if (r.status == Complete && !e.startedTooOld(r)) || (r.valid > 0 && e.startedInWindow(r)) {
			begun = append(begun, r)
		}
	}
	if len(begun) == 0 {
		for _, r := range rs {
			if r.valid > 0 {
				begun = append(begun, r)
			}
		}
	}
	if len(begun) > 0 {
		rs = begun
		inProcess = true
	}
	if !inProcess {
		// Nothing given yet: the default series among those old enough to
		// start (CDC case 2013-0012: a 6-year-old past the default series'
		// maximum age to start still gets it; 2013-0578: a 2-year-old does
		// not get the 50+ series).
		for _, r := range rs {
			if strings.EqualFold(r.s.Select.Default, "Yes") && e.oldEnough(r) {
				return r
			}
		}
	}
	for _, r := range rs {
		if inProcess && r.valid == 0 && r.status != Complete {
			continue
		}
		if !inProcess && !e.canStart(r) {
			continue
		}
		cands = append(cands, r)
	}
	if len(cands) == 0 {
		return nil
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if ca, cb := a.status == Complete, b.status == Complete; ca != cb {
			return ca
		} else if ca && a.valid != b.valid {
			// Among complete series the one with the most valid doses
			// (chapter 8, scoring complete patient series): a fourth HepB
			// dose is valid in the 4-dose series, not extraneous.
			return a.valid > b.valid
		} else if ca && !a.completed().Equal(b.completed()) {
			return a.completed().Before(b.completed())
		}
		if a.valid != b.valid {
			return a.valid > b.valid
		}
		if pa, pb := a.productFits(), b.productFits(); pa != pb {
			return pa
		}
		if ra, rb := len(a.s.Doses)-a.next, len(b.s.Doses)-b.next; ra != rb {
			return ra < rb
		}
		if !a.fc.earliest.Equal(b.fc.earliest) && !a.fc.earliest.IsZero() && !b.fc.earliest.IsZero() {
			return a.fc.earliest.Before(b.fc.earliest)
		}
		return atoi(a.s.Select.Preference) < atoi(b.s.Select.Preference)
	})
	return cands[0]
}

func (e *engine) startedTooOld(r *run) bool {
	m := at(e.p.DOB, r.s.Select.MaxAgeStart)
	for i, ev := range r.evals {
		if ev.status == Valid {
			return !m.IsZero() && !r.doses[i].date.Before(m)
		}
	}
	return false
}

func (e *engine) inWindow(r *run) bool {
	if r.valid == 0 {
		return e.canStart(r)
	}
	return e.startedInWindow(r)
}

func (e *engine) startedInWindow(r *run) bool {
	for i, ev := range r.evals {
		if ev.status != Valid {
			continue
		}
		d := r.doses[i].date
		if m := at(e.p.DOB, r.s.Select.MaxAgeStart); !m.IsZero() && !d.Before(m) {
			return false
		}
		// The 4-day grace period applies to the age to start as to any
		// minimum age (CDC 2018-0019: Heplisav-B at 18 years - 4 days).
		if m := at(e.p.DOB, r.s.Select.MinAgeStart); !m.IsZero() && d.Before(m.AddDays(-4)) {
			return false
		}
		return true
	}
	return false
}

func (e *engine) oldEnough(r *run) bool {
	m := at(e.p.DOB, r.s.Select.MinAgeStart)
	return m.IsZero() || !e.assess.Before(m)
}

func (e *engine) canStart(r *run) bool {
	if m := at(e.p.DOB, r.s.Select.MaxAgeStart); !m.IsZero() && !e.assess.Before(m) {
		return false
	}
	if m := at(e.p.DOB, r.s.Select.MinAgeStart); !m.IsZero() && e.assess.Before(m) {
		return false
	}
	return true
}

// completed is the date of the last valid dose of a series.
func (r *run) completed() Date {
	var d Date
	for i, ev := range r.evals {
		if ev.status == Valid {
			d = r.doses[i].date
		}
	}
	return d
}

// productFits: a product series (Heplisav-B, Twinrix, ...) whose every dose
// was one of its own products.
func (r *run) productFits() bool {
	if !strings.EqualFold(r.s.Select.ProductPath, "Yes") {
		return false
	}
	for _, ev := range r.evals {
		if ev.reason == "Not a preferable or allowable vaccine" {
			return false
		}
	}
	return true
}
