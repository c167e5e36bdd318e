package cdsi

import "strings"

// evaluate runs one series over the antigen's doses (logic specification
// chapter 6) and then forecasts its next target dose (chapter 7).
func (e *engine) evaluate(antigen string, s *Series) *run {
	if r, ok := e.runs[s]; ok {
		return r
	}
	r := e.evaluateOnce(antigen, s)
	if e.depth == 0 {
		e.runs[s] = r
	}
	return r
}

func (e *engine) evaluateOnce(antigen string, s *Series) *run {
	r := &run{s: s, antigen: antigen, doses: e.byAntigen[antigen]}
	r.evals = make([]eval, len(r.doses))
	r.targets = make([]string, len(s.Doses))
	t := 0
	for i, dz := range r.doses {
		r.evals[i] = eval{target: -1}
		if e.assess.Before(dz.date) {
			r.evals[i] = eval{status: Extraneous, reason: "Administered after the assessment date", target: -1}
			continue
		}
		for t < len(s.Doses) && e.skipped(r, t, "Evaluation", dz.date, i) {
			r.targets[t] = "skipped"
			t++
		}
		if t >= len(s.Doses) {
			r.evals[i] = eval{status: Extraneous, reason: "Series Already Complete", target: -1}
			continue
		}
		ev := e.evalDose(r, t, i)
		r.evals[i] = ev
		if ev.status == Valid {
			r.valid++
			r.targets[t] = "satisfied"
			if !strings.EqualFold(s.Doses[t].Recurring, "Yes") {
				t++
			}
		}
	}
	for t < len(s.Doses) && e.skipped(r, t, "Forecast", e.assess, len(r.doses)) {
		r.targets[t] = "skipped"
		t++
	}
	r.next = t
	e.forecastRun(r)
	// A Forecast-context conditional skip (logic specification 6.2, chapter
	// 7) is judged on the date the target dose could be given: when its
	// earliest date is after the assessment date, a dose not needed at that
	// age is skipped (Hib dose 3 is not needed from 12 months: a child 4 days
	// short of 12 months is forecast the final dose, 8 weeks on).
	for r.status == NotComplete && r.fc.earliest.After(e.assess) && e.skipped(r, r.next, "Forecast", r.fc.earliest, len(r.doses)) {
		r.targets[r.next] = "skipped"
		r.next++
		e.forecastRun(r)
	}
	return r
}

// evalDose evaluates dose i against target dose t.
func (e *engine) evalDose(r *run, t, i int) eval {
	td := &r.s.Doses[t]
	dz := r.doses[i]
	for _, v := range td.Inadvertent {
		if normCVX(v.CVX) == dz.cvx {
			return eval{NotValid, "Inadvertent Vaccine", -1}
		}
	}
	age := ageFor(td, dz.date)
	if m := at(e.p.DOB, age.AbsMin); !m.IsZero() && dz.date.Before(m) {
		return eval{NotValid, "Age: Too Young", -1}
	}
	if m := at(e.p.DOB, age.Max); !m.IsZero() && !dz.date.Before(m) {
		return eval{Extraneous, "Age: Too Old", -1}
	}
	if !e.intervalsOK(r, td, i) {
		return eval{NotValid, "Interval: Too Soon", -1}
	}
	if e.liveVirusConflict(r, i) {
		return eval{NotValid, "Live Virus Conflict", -1}
	}
	if !e.vaccineFits(td.Preferable, dz) && !e.vaccineFits(td.AllowableVax, dz) {
		return eval{NotValid, "Not a preferable or allowable vaccine", -1}
	}
	return eval{Valid, "", t}
}

func (e *engine) vaccineFits(list []vaccine, dz adose) bool {
	for _, v := range list {
		if normCVX(v.CVX) != dz.cvx {
			continue
		}
		if b := at(e.p.DOB, v.BeginAge); !b.IsZero() && dz.date.Before(b) {
			continue
		}
		if en := at(e.p.DOB, v.EndAge); !en.IsZero() && !dz.date.Before(en) {
			continue
		}
		if v.MVX != "" && dz.mvx != "" && !strings.EqualFold(v.MVX, dz.mvx) {
			continue
		}
		return true
	}
	return false
}

// previous is the dose an interval "from previous" counts from: the most
// recent earlier dose evaluated Valid or Not Valid, inadvertent doses aside.
func previous(r *run, i int) int {
	for j := i - 1; j >= 0; j-- {
		ev := r.evals[j]
		if ev.status == Valid || (ev.status == NotValid && ev.reason != "Inadvertent Vaccine") {
			return j
		}
	}
	return -1
}

// reference is the date an interval counts from, and whether it applies.
func (e *engine) reference(r *run, iv interval, i int, before Date) (Date, bool) {
	switch {
	case strings.EqualFold(strings.TrimSpace(iv.FromPrevious), "Y"):
		j := previous(r, i)
		if j < 0 {
			return Date{}, false
		}
		return r.doses[j].date, true
	case strings.TrimSpace(iv.FromTargetDose) != "":
		n := atoi(iv.FromTargetDose) - 1
		for j := 0; j < i && j < len(r.evals); j++ {
			if r.evals[j].status == Valid && r.evals[j].target == n {
				return r.doses[j].date, true
			}
		}
		return Date{}, false
	case strings.TrimSpace(iv.FromMostRecent) != "":
		var last Date
		for _, dz := range e.all {
			if dz.Date.Before(before) && cvxIn(iv.FromMostRecent, normCVX(dz.CVX)) {
				last = dz.Date
			}
		}
		return last, !last.IsZero()
	case strings.TrimSpace(iv.FromObs) != "":
		// Logic specification 6.6 (interval from a relevant observation):
		// the interval counts from the observation's date, e.g. Hib 6 to 12
		// months after a stem-cell transplant; an undated one gives none.
		return e.obsDate(iv.FromObs)
	}
	return Date{}, false
}

func atoi(s string) int {
	n := 0
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// intervalsOK checks every interval of the target dose (absolute minimum,
// so with the 4-day grace period), falling back on allowable intervals.
func (e *engine) intervalsOK(r *run, td *SeriesDose, i int) bool {
	dz := r.doses[i]
	ok := true
	for _, iv := range td.Intervals {
		if !within("", iv.Effective, iv.Cessation, dz.date) {
			continue
		}
		ref, has := e.reference(r, iv, i, dz.date)
		if !has {
			continue
		}
		if m := at(ref, iv.AbsMin); !m.IsZero() && dz.date.Before(m) {
			ok = false
		}
	}
	if ok || !hasAllowable(td) {
		return ok
	}
	for _, iv := range td.Allowable {
		if strings.TrimSpace(iv.AbsMin) == "" || !within("", iv.Effective, iv.Cessation, dz.date) {
			continue
		}
		ref, has := e.reference(r, iv, i, dz.date)
		if !has {
			continue
		}
		if m := at(ref, iv.AbsMin); !m.IsZero() && dz.date.Before(m) {
			return false
		}
	}
	return true
}

// liveVirusConflict: a live vaccine given too soon after another live
// vaccine (schedule data), counting from any earlier dose of the history.
func (e *engine) liveVirusConflict(r *run, i int) bool {
	cur := r.doses[i]
	for _, ci := range e.d.liveByCurrent[cur.cvx] {
		c := e.d.Schedule.LiveVirus[ci]
		for _, p := range e.all {
			if !p.Date.Before(cur.date) || normCVX(p.CVX) != c.Previous {
				continue
			}
			begin := at(p.Date, c.Begin)
			endOff := c.MinEnd
			if e.notValidHere(r, p.Date, normCVX(p.CVX)) {
				endOff = c.End
			}
			end := at(p.Date, endOff)
			if !cur.date.Before(begin) && cur.date.Before(end) {
				return true
			}
		}
	}
	return false
}

func (e *engine) notValidHere(r *run, d Date, cvx string) bool {
	for j, dz := range r.doses {
		if dz.date.Equal(d) && dz.cvx == cvx && j < len(r.evals) {
			return r.evals[j].status == NotValid
		}
	}
	return false
}

func hasAllowable(td *SeriesDose) bool {
	for _, iv := range td.Allowable {
		if strings.TrimSpace(iv.AbsMin) != "" {
			return true
		}
	}
	return false
}
