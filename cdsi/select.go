package cdsi

import (
	"sort"
	"strings"
)

// best picks the patient series of an antigen that drives its forecast
// (logic specification chapter 8): the best series of each series group,
// then the one of highest priority among the groups.
func (e *engine) best(antigen string) *run {
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
	if len(bests) == 0 {
		return nil
	}
	sort.SliceStable(bests, func(i, j int) bool {
		a, b := bests[i], bests[j]
		if pa, pb := a.s.Select.Priority, b.s.Select.Priority; pa != pb {
			return pa < pb
		}
		if ca, cb := a.status == Complete, b.status == Complete; ca != cb {
			return ca
		}
		return a.valid > b.valid
	})
	chosen := bests[0]
	if chosen.status != Complete && strings.TrimSpace(chosen.s.Equivalent) != "" {
		for _, b := range bests {
			if b.status == Complete && cvxIn(chosen.s.Equivalent, normCVX(b.s.Select.Group)) {
				return b
			}
		}
	}
	return chosen
}

// bestInGroup: a complete series beats one in process, which beats one not
// started; ties go to more valid doses, fewer doses left, the earlier
// forecast, then the data's series preference.
func (e *engine) bestInGroup(rs []*run) *run {
	var cands []*run
	inProcess := false
	for _, r := range rs {
		if r.valid > 0 {
			inProcess = true
		}
	}
	if !inProcess {
		// Nothing given yet: the default series (CDC case 2013-0012, a
		// 6-year-old past its maximum age to start).
		for _, r := range rs {
			if strings.EqualFold(r.s.Select.Default, "Yes") {
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
		} else if ca && !a.completed().Equal(b.completed()) {
			return a.completed().Before(b.completed())
		}
		if a.valid != b.valid {
			return a.valid > b.valid
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
