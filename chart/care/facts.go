package care

import (
	"strconv"
	"strings"
	"time"

	"outpost/chart"
)

// event is one dated thing of the chart a satisfier may match: a result,
// a procedure, an encounter (with its diagnoses) or a blood pressure.
type event struct {
	date   string // YYYY-MM-DD
	loinc  string
	snomed string
	icd10  []string // without dots, upper case
	text   string   // lower case
	bp     bool
}

// bpReading is a blood pressure with its date.
type bpReading struct {
	date      string
	sys, dias float64
}

// facts is what the rules read of a chart, gathered once.
type facts struct {
	patient  chart.Patient
	birth    time.Time
	born     bool     // the birth date parsed
	problems []string // active problems' ICD-10-CM codes, without dots
	events   []event
	bps      []bpReading // oldest first
	bmi      float64     // latest, 0 when none
	smoking  smoking
	// decisions holds the latest decision per rule.
	decisions map[string]chart.CareDecision
	contact   *chart.RecallContact // the latest
}

// smoking is what the social history says about tobacco.
type smoking struct {
	ever, current, known bool
	// lastSmoked is the latest date the patient was recorded smoking.
	lastSmoked string
	// exSince is the first date recorded as an ex-smoker after lastSmoked.
	exSince   string
	packYears float64
	packKnown bool
}

// SNOMED CT smoking statuses (chart.SmokingStatuses).
const (
	snomedNeverSmoked = "266919005"
	snomedExSmoker    = "8517006"
	snomedUnknown     = "266927001"
)

func gather(c chart.CareChart) facts {
	f := facts{patient: c.Patient, decisions: map[string]chart.CareDecision{}}
	if b, err := time.Parse(time.DateOnly, c.Patient.BirthDate); err == nil {
		f.birth, f.born = b, true
	}
	for _, p := range c.Problems {
		if p.EnteredInError == nil && (p.Status == chart.ProblemActive || p.Status == "") && isICD(p.Condition.System) {
			f.problems = append(f.problems, icdKey(p.Condition.Code))
		}
	}
	for _, r := range c.Results {
		if r.EnteredInError == nil {
			e := event{date: day(firstOf(r.CollectedAt, r.ResultedAt)), text: strings.ToLower(r.Test.Display)}
			if r.Test.System == chart.SystemLOINC {
				e.loinc = r.Test.Code
			}
			f.events = append(f.events, e)
		}
	}
	for _, p := range c.Procedures {
		if p.EnteredInError == nil && p.Status != "not-done" && p.Status != "stopped" {
			e := event{date: day(p.Performed), text: strings.ToLower(p.Code.Display + " " + p.Comment)}
			if p.Code.System == chart.SystemSNOMED {
				e.snomed = p.Code.Code
			}
			if isICD(p.Code.System) && p.Code.System != "" {
				e.icd10 = []string{icdKey(p.Code.Code)}
			}
			f.events = append(f.events, e)
		}
	}
	for _, e := range c.Encounters {
		if e.EnteredInError == nil {
			ev := event{date: day(e.Start), text: strings.ToLower(e.TypeText + " " + e.Reason)}
			for _, d := range e.Diagnoses {
				if isICD(d.System) {
					ev.icd10 = append(ev.icd10, icdKey(d.Code))
				}
			}
			f.events = append(f.events, ev)
		}
	}
	f.gatherVitals(c.Vitals)
	f.smoking = gatherSmoking(c.Social)
	for _, d := range c.Decisions {
		if d.EnteredInError != nil {
			continue
		}
		if old, ok := f.decisions[d.RuleID]; !ok || d.Date >= old.Date {
			f.decisions[d.RuleID] = d
		}
	}
	for i := range c.Contacts {
		if k := &c.Contacts[i]; k.EnteredInError == nil && (f.contact == nil || k.Date >= f.contact.Date) {
			f.contact = k
		}
	}
	return f
}

func (f *facts) gatherVitals(vs []chart.VitalsRecord) {
	bmiDate := ""
	for _, v := range vs {
		if v.EnteredInError != nil {
			continue
		}
		d := day(v.TakenAt)
		if v.Signs.Systolic != nil && v.Signs.Diastolic != nil {
			f.bps = append(f.bps, bpReading{d, *v.Signs.Systolic, *v.Signs.Diastolic})
			f.events = append(f.events, event{date: d, bp: true})
		}
		if v.Signs.BMI != nil && d >= bmiDate {
			f.bmi, bmiDate = *v.Signs.BMI, d
		}
	}
	sortBy(f.bps, func(b bpReading) string { return b.date })
}

func gatherSmoking(hs []chart.SocialHistory) smoking {
	var s smoking
	sorted := append([]chart.SocialHistory(nil), hs...)
	sortBy(sorted, func(h chart.SocialHistory) string { return h.Date })
	for _, h := range sorted {
		if h.EnteredInError != nil {
			continue
		}
		if n, ok := packYears(h.PackYears); ok {
			s.packYears, s.packKnown = n, true
		}
		switch h.Smoking.Code {
		case "", snomedUnknown:
			continue
		case snomedNeverSmoked:
			s.known, s.current = true, false
		case snomedExSmoker:
			s.known, s.ever, s.current = true, true, false
			if s.exSince == "" || s.exSince < s.lastSmoked {
				s.exSince = h.Date
			}
		default: // a current smoker, daily, occasional or of unknown frequency
			s.known, s.ever, s.current, s.lastSmoked = true, true, true, h.Date
		}
	}
	return s
}

// packYears reads the leading number of free text ("20", "about 15",
// "30 pack-years").
func packYears(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	return leadingNumber(strings.TrimPrefix(strings.TrimPrefix(s, "about"), "~"))
}

// leadingNumber reads the number a text starts with ("7.4 %", "20").
func leadingNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	n, err := strconv.ParseFloat(s[:end], 64)
	return n, err == nil
}

func isICD(system string) bool { return system == chart.SystemICD10CM || system == "" }

// icdKey normalises an ICD-10-CM code for prefix matching: no dot, upper case.
func icdKey(code string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(code), ".", ""))
}

// hasProblem reports an active problem under one of the prefixes.
func (f *facts) hasProblem(prefixes []string) (string, bool) {
	for _, p := range f.problems {
		for _, pre := range prefixes {
			if strings.HasPrefix(p, icdKey(pre)) {
				return pre, true
			}
		}
	}
	return "", false
}

// lastMatch is the date of the latest event sat matches ("" when none).
func (f *facts) lastMatch(sat Satisfier) string {
	last := ""
	for i := range f.events {
		if e := &f.events[i]; e.date > last && sat.matches(e) {
			last = e.date
		}
	}
	return last
}

func (sat Satisfier) matches(e *event) bool {
	if e.bp {
		return sat.Vital == "bp"
	}
	if e.loinc != "" && contains(sat.LOINC, e.loinc) || e.snomed != "" && contains(sat.SNOMED, e.snomed) {
		return true
	}
	for _, code := range e.icd10 {
		for _, pre := range sat.ICD10 {
			if strings.HasPrefix(code, icdKey(pre)) {
				return true
			}
		}
	}
	for _, w := range sat.Text {
		if strings.Contains(e.text, w) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// day is the date part of a date or local date-time.
func day(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}
