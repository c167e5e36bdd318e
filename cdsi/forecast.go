package cdsi

// forecastRun sets the series status and, when a dose is still needed, the
// forecast dates of the next target dose (logic specification chapter 7).
func (e *engine) forecastRun(r *run) {
	if r.next >= len(r.s.Doses) {
		r.status = Complete
		return
	}
	td := &r.s.Doses[r.next]
	age := ageFor(td, e.assess)
	maxAge := at(e.p.DOB, age.Max)
	if !maxAge.IsZero() && !e.assess.Before(maxAge) {
		r.status = AgedOut
		return
	}
	r.status = NotComplete
	f := forecast{doseNumber: r.next + 1}
	earliest := []Date{e.p.DOB, at(e.p.DOB, age.Min)}
	rec := []Date{at(e.p.DOB, age.EarliestRec)}
	past := []Date{dayBefore(at(e.p.DOB, age.LatestRec))}
	for _, iv := range td.Intervals {
		if !within("", iv.Effective, iv.Cessation, e.assess) {
			continue
		}
		ref, has := e.reference(r, iv, len(r.doses), e.assess.AddDays(1))
		if !has {
			continue
		}
		earliest = append(earliest, at(ref, iv.Min))
		rec = append(rec, at(ref, iv.EarliestRec))
		past = append(past, dayBefore(at(ref, iv.LatestRec)))
	}
	earliest = append(earliest, e.conflictEnd(td), dataDate(td.Seasonal.Start))
	// Never before the last dose of the antigen, even one not valid (CDC
	// cases 2013-0483, 2018-0022, 2025-0010: a wrong vaccine given today
	// makes the right one due today, not in the past).
	if n := len(r.doses); n > 0 {
		earliest = append(earliest, r.doses[n-1].date)
	}
	f.earliest = maxDate(earliest...)
	// The recommended age, when the data gives one, wins over the
	// recommended interval (CDC test cases 2013-0004, 2013-0036, 2013-0038).
	if !rec[0].IsZero() {
		rec = rec[:1]
	}
	if !past[0].IsZero() {
		past = past[:1]
	}
	f.recommended = maxDate(append(rec, f.earliest)...)
	f.pastDue = maxDate(past...)
	if !f.pastDue.IsZero() && f.pastDue.Before(f.recommended) {
		f.pastDue = f.recommended
	}
	if !maxAge.IsZero() {
		f.latest = maxAge.AddDays(-1)
		if f.earliest.After(f.latest) {
			r.status = AgedOut
			return
		}
	}
	r.fc = f
}

func dayBefore(d Date) Date {
	if d.IsZero() {
		return d
	}
	return d.AddDays(-1)
}

// conflictEnd is the first day a live vaccine for this target dose would not
// conflict with a live vaccine already given.
func (e *engine) conflictEnd(td *SeriesDose) Date {
	var end Date
	for _, v := range td.Preferable {
		for _, ci := range e.d.liveByCurrent[normCVX(v.CVX)] {
			c := e.d.Schedule.LiveVirus[ci]
			for _, p := range e.all {
				if normCVX(p.CVX) != c.Previous || e.assess.Before(p.Date) {
					continue
				}
				end = maxDate(end, at(p.Date, c.End))
			}
		}
	}
	return end
}
