package cdsi

import (
	"sort"
	"strings"
)

// Patient is what CDSi needs to know about a person.
type Patient struct {
	DOB    Date
	Gender string // "F", "M" or "" (unknown)
	// Observations are CDSi coded observations ("042", ...), e.g. risk
	// conditions that make a risk series relevant, immunity or contraindications.
	Observations []string
	// ObservationDates are the dates of dated observations by code ("171":
	// the date of a stem-cell transplant, "120": the start of antiviral
	// therapy, "170": the onset of pregnancy); intervals "from a relevant
	// observation" count from them.
	ObservationDates map[string]Date
}

// Dose is one administered vaccine dose.
type Dose struct {
	ID   string
	Date Date
	CVX  string
	MVX  string
}

// Evaluation statuses and reasons (logic specification wording).
const (
	Valid      = "Valid"
	NotValid   = "Not Valid"
	Extraneous = "Extraneous"

	Complete        = "Complete"
	NotComplete     = "Not Complete"
	AgedOut         = "Aged Out"
	Immune          = "Immune"
	Contraindicated = "Contraindicated"
)

// adose is a dose as seen by one antigen.
type adose struct {
	idx  int // index in the patient's dose list
	date Date
	cvx  string
	mvx  string
}

// eval is the evaluation of one antigen dose within one patient series.
type eval struct {
	status string
	reason string
	target int // index of the target dose it satisfied, -1 when none
}

// run is one patient series: a series of the supporting data evaluated
// against the patient's doses for its antigen.
type run struct {
	s       *Series
	antigen string
	doses   []adose
	evals   []eval
	targets []string // "satisfied", "skipped" or "" per target dose
	next    int      // first target dose not satisfied nor skipped
	status  string
	valid   int
	fc      forecast
}

type forecast struct {
	doseNumber                             int
	earliest, recommended, pastDue, latest Date
}

type engine struct {
	d         *Data
	p         Patient
	all       []Dose
	assess    Date
	obs       map[string]bool
	depth     int
	byAntigen map[string][]adose
	// runs memoises evaluate: a series is evaluated once per patient even
	// though selection, "completed series" skips and groups all ask.
	runs map[*Series]*run
}

func normCVX(c string) string {
	c = strings.TrimSpace(c)
	c = strings.TrimLeft(c, "0")
	return c
}

func newEngine(d *Data, p Patient, doses []Dose, assess Date) *engine {
	e := &engine{d: d, p: p, assess: assess, obs: map[string]bool{}, byAntigen: map[string][]adose{}, runs: map[*Series]*run{}}
	for _, o := range p.Observations {
		e.obs[strings.TrimLeft(strings.TrimSpace(o), "0")] = true
	}
	e.all = append([]Dose(nil), doses...)
	sort.SliceStable(e.all, func(i, j int) bool { return e.all[i].Date.Before(e.all[j].Date) })
	e.organize()
	return e
}

// obsDate is the date of an observation, if the patient has it dated.
func (e *engine) obsDate(code string) (Date, bool) {
	code = strings.TrimLeft(strings.TrimSpace(code), "0")
	for c, d := range e.p.ObservationDates {
		if strings.TrimLeft(strings.TrimSpace(c), "0") == code && !d.IsZero() {
			return d, true
		}
	}
	return Date{}, false
}

func (e *engine) hasObs(code string) bool {
	return e.obs[strings.TrimLeft(strings.TrimSpace(code), "0")]
}

// organize splits the history by antigen (logic specification chapter 4),
// honouring age-bounded CVX-to-antigen associations.
func (e *engine) organize() {
	for i, dz := range e.all {
		mi, ok := e.d.cvxIndex[normCVX(dz.CVX)]
		if !ok {
			continue
		}
		for _, a := range e.d.Schedule.CVXMap[mi].Assoc {
			if b := at(e.p.DOB, a.BeginAge); !b.IsZero() && dz.Date.Before(b) {
				continue
			}
			if en := at(e.p.DOB, a.EndAge); !en.IsZero() && !dz.Date.Before(en) {
				continue
			}
			e.byAntigen[a.Antigen] = append(e.byAntigen[a.Antigen], adose{i, dz.Date, normCVX(dz.CVX), dz.MVX})
		}
	}
}

// relevant selects the patient series of an antigen (chapter 5): gender,
// and risk series only for a matching indication at the assessment date.
func (e *engine) relevant(antigen string) []*Series {
	if out := e.relevantSeries(antigen, false); len(out) > 0 {
		return out
	}
	// No series applies today, but the patient has an indication that
	// begins at a later age (dengue from 9 years for an 8-year-old): the
	// series is relevant, and its doses' minimum ages forecast it from
	// that age (chapter 5 relevance by indication; chapter 7 dates).
	return e.relevantSeries(antigen, true)
}

func (e *engine) relevantSeries(antigen string, early bool) []*Series {
	a := e.d.Antigens[antigen]
	if a == nil {
		return nil
	}
	var out []*Series
	for i := range a.Series {
		s := &a.Series[i]
		if !genderFits(s.RequiredGender, e.p.Gender) {
			continue
		}
		switch s.Type {
		case "Risk":
			if !e.indicated(s, early) {
				continue
			}
		case "Standard":
		default:
			continue
		}
		out = append(out, s)
	}
	return out
}

// genderFits: a series naming genders is for those genders only.
func genderFits(req []string, g string) bool {
	named := false
	for _, r := range req {
		r = strings.ToLower(strings.TrimSpace(r))
		if r == "" {
			continue
		}
		named = true
		if (r == "female" && g == "F") || (r == "male" && g == "M") || (r == "unknown" && g != "F" && g != "M") {
			return true
		}
	}
	return !named
}

func (e *engine) indicated(s *Series, early bool) bool {
	for _, ind := range s.Indications {
		if !e.hasObs(ind.Code) {
			continue
		}
		if b := at(e.p.DOB, ind.BeginAge); !early && !b.IsZero() && e.assess.Before(b) {
			continue
		}
		if en := at(e.p.DOB, ind.EndAge); !en.IsZero() && !e.assess.Before(en) {
			continue
		}
		return true
	}
	return false
}

func cvxIn(list, cvx string) bool {
	for _, c := range strings.Split(list, ";") {
		if normCVX(c) == cvx && cvx != "" {
			return true
		}
	}
	return false
}

func within(d, eff, cess string, when Date) bool {
	if ed := dataDate(eff); !ed.IsZero() && when.Before(ed) {
		return false
	}
	if cd := dataDate(cess); !cd.IsZero() && !when.Before(cd) {
		return false
	}
	return true
}

// ageFor picks the age rule in force on a date.
func ageFor(td *SeriesDose, when Date) ageXML {
	for _, a := range td.Ages {
		if within("", a.Effective, a.Cessation, when) {
			return a
		}
	}
	if len(td.Ages) > 0 {
		return td.Ages[0]
	}
	return ageXML{}
}
