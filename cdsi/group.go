package cdsi

import (
	"fmt"
	"sort"
	"strings"
)

// DoseResult is how one administered dose counted for a vaccine group.
type DoseResult struct {
	ID     string `json:"id"`
	Date   string `json:"date"`
	CVX    string `json:"cvx"`
	Status string `json:"status"` // Valid | Not Valid | Extraneous
	Reason string `json:"reason,omitempty"`
}

// GroupForecast is the outcome for one vaccine group (chapter 9).
type GroupForecast struct {
	VaccineGroup string       `json:"vaccineGroup"`
	Status       string       `json:"status"` // Not Complete | Complete | Aged Out | Immune | Contraindicated
	DoseNumber   int          `json:"doseNumber,omitempty"`
	Earliest     string       `json:"earliest,omitempty"`
	Recommended  string       `json:"recommended,omitempty"`
	PastDue      string       `json:"pastDue,omitempty"`
	Latest       string       `json:"latest,omitempty"`
	Series       []string     `json:"series,omitempty"` // the chosen patient series per antigen
	Doses        []DoseResult `json:"doses"`
}

// Forecast evaluates the history and forecasts every vaccine group of the
// schedule on the assessment date.
func Forecast(p Patient, doses []Dose, assess Date) ([]GroupForecast, error) {
	d, err := Supporting()
	if err != nil {
		return nil, err
	}
	if p.DOB.IsZero() || assess.IsZero() {
		return nil, fmt.Errorf("cdsi: a date of birth and an assessment date are needed")
	}
	e := newEngine(d, p, doses, assess)
	var out []GroupForecast
	for _, g := range d.VaccineGroups() {
		out = append(out, e.group(g))
	}
	return out, nil
}

// ForecastGroup is Forecast for one vaccine group.
func ForecastGroup(p Patient, doses []Dose, assess Date, group string) (GroupForecast, error) {
	d, err := Supporting()
	if err != nil {
		return GroupForecast{}, err
	}
	if d.antigensOf(group) == nil {
		return GroupForecast{}, fmt.Errorf("cdsi: unknown vaccine group %q", group)
	}
	return newEngine(d, p, doses, assess).group(group), nil
}

func (e *engine) group(g string) GroupForecast {
	gf := GroupForecast{VaccineGroup: g}
	var runs []*run
	var doses []DoseResult
	for _, a := range e.d.antigensOf(g) {
		r, groups := e.bestOfGroups(a)
		if r != nil {
			runs = append(runs, r)
			gf.Series = append(gf.Series, r.s.Name)
		}
		doses = mergeDoses(doses, e.antigenDoses(r, groups), rank)
	}
	gf.Doses = doses
	if st := e.override(g); st != "" {
		gf.Status = st
		return gf
	}
	gf.Status = groupStatus(runs)
	if gf.Status != NotComplete {
		return gf
	}
	// Antigens given together (MMR) wait for the last of them; a group whose
	// antigens may be given separately (DTaP/Tdap/Td) is due with the first.
	pick := minDate
	if e.d.fullGroup(g) {
		pick = maxDate
	}
	var earliest, rec, past, latest []Date
	for _, r := range runs {
		if r.status != NotComplete {
			continue
		}
		earliest = append(earliest, r.fc.earliest)
		rec = append(rec, r.fc.recommended)
		past = append(past, r.fc.pastDue)
		latest = append(latest, r.fc.latest)
		if gf.DoseNumber == 0 || r.fc.doseNumber < gf.DoseNumber {
			gf.DoseNumber = r.fc.doseNumber
		}
	}
	// Never before the group's last dose (CDC 2024-0058: DT given today in
	// place of DTaP leaves pertussis due today, not in the past).
	var last Date
	for _, d := range gf.Doses {
		if when, err := ParseDate(d.Date); err == nil && !when.After(e.assess) {
			last = maxDate(last, when)
		}
	}
	first := maxDate(pick(earliest...), last)
	gf.Earliest = first.String()
	// The antigen due first sets the recommended and past-due dates, even in
	// a group given together (2013-0534: rubella dose 1 due now although
	// measles and mumps wait for dose 2 at 4 years).
	gf.Recommended = maxDate(minDate(rec...), first).String()
	gf.PastDue = minDate(past...).String()
	gf.Latest = pick(latest...).String()
	return gf
}

func groupStatus(runs []*run) string {
	if len(runs) == 0 {
		return NotComplete
	}
	st := map[string]int{}
	for _, r := range runs {
		st[r.status]++
	}
	switch {
	case st[NotComplete] > 0:
		return NotComplete
	case st[AgedOut] > 0 && st[Complete] == 0:
		return AgedOut
	case st[Complete] > 0:
		return Complete
	}
	return runs[0].status
}

// antigenDoses is how each dose of an antigen counted: as the chosen series
// evaluated it, or valid when the best series of another series group
// counted it (CDC 2016-UC-0166: a completed standard PCV series stays valid
// while the risk series forecasts PPSV23).
func (e *engine) antigenDoses(chosen *run, groups []*run) []DoseResult {
	var out []DoseResult
	for _, r := range append([]*run{chosen}, groups...) {
		if r == nil {
			continue
		}
		var ds []DoseResult
		for i, dz := range r.doses {
			src := e.all[dz.idx]
			ds = append(ds, DoseResult{ID: src.ID, Date: src.Date.String(), CVX: src.CVX, Status: r.evals[i].status, Reason: r.evals[i].reason})
		}
		if out == nil {
			out = ds
			continue
		}
		out = mergeDoses(out, ds, func(s string) int {
			if s == Valid {
				return 1
			}
			return 0
		})
	}
	return out
}

// mergeDoses combines two evaluations of doses (by id, in date order): the
// status ranked higher wins.
func mergeDoses(a, b []DoseResult, rank func(string) int) []DoseResult {
	idx := map[string]int{}
	for i, d := range a {
		idx[d.ID] = i
	}
	for _, d := range b {
		i, ok := idx[d.ID]
		if !ok {
			idx[d.ID] = len(a)
			a = append(a, d)
			continue
		}
		if rank(d.Status) > rank(a[i].Status) {
			a[i].Status, a[i].Reason = d.Status, d.Reason
		}
	}
	sort.SliceStable(a, func(i, j int) bool { return a[i].Date < a[j].Date })
	return a
}

func rank(status string) int {
	switch status {
	case NotValid:
		return 3
	case Valid:
		return 2
	}
	return 1
}

// override: evidence of immunity, or a contraindication of the whole
// vaccine group, replaces the forecast.
func (e *engine) override(g string) string {
	for _, a := range e.d.antigensOf(g) {
		ax := e.d.Antigens[a]
		if ax == nil {
			continue
		}
		for _, c := range ax.Contraindicate.VaccineGroup.Items {
			if e.hasObs(c.Code) && e.ageBetween(e.assess, c.BeginAge, c.EndAge) {
				return Contraindicated
			}
		}
	}
	for _, a := range e.d.antigensOf(g) {
		ax := e.d.Antigens[a]
		if ax == nil || !e.immune(ax.Immunity) {
			return ""
		}
	}
	return Immune
}

func (e *engine) immune(im immunity) bool {
	for _, c := range im.Clinical {
		if e.hasObs(c.Code) {
			return true
		}
	}
	for _, b := range im.BirthDate {
		d := dataDate(b.Date)
		if d.IsZero() || !e.p.DOB.Before(d) {
			continue
		}
		excluded := false
		for _, x := range b.Exclusions {
			excluded = excluded || e.hasObs(x.Code)
		}
		if !excluded {
			return true
		}
	}
	return false
}

// GroupName maps the test workbooks' vaccine-group labels to the schedule's.
func GroupName(label string) string {
	switch strings.ToUpper(strings.TrimSpace(label)) {
	case "DTAP", "TD", "TDAP":
		return "DTaP/Tdap/Td"
	case "POL", "IPOL", "POLIO":
		return "Polio"
	case "HIB":
		return "Hib"
	case "PCV", "PNEUMOCOCCAL":
		return "Pneumococcal"
	case "VAR", "VARICELLA":
		return "Varicella"
	case "ROTA", "ROTAVIRUS":
		return "Rotavirus"
	case "MCV", "MENINGOCOCCAL":
		return "Meningococcal"
	case "MENB", "MENINGOCOCCAL B":
		return "Meningococcal B"
	case "FLU", "INFLUENZA":
		return "Influenza"
	case "ZOSTER":
		return "Zoster"
	case "HEPA":
		return "HepA"
	case "HEPB":
		return "HepB"
	case "YELLOW FEVER":
		return "Yellow Fever"
	}
	return strings.TrimSpace(label)
}
