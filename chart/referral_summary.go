package chart

import (
	"slices"
	"strings"
	"time"
)

// ReferralSummary is what a referral tells the receiving clinician, chosen
// from the whole chart once so the letter and the IPS document say the
// same. Placeholders of records that could not be opened stay in their
// list: the reader must know something is missing, and a damaged allergy
// must never read as "no known allergies".
type ReferralSummary struct {
	AllergyStatus AllergyStatus
	Allergies     []Allergy    // current, and placeholders
	Problems      []Problem    // active, and placeholders
	Medications   []Medication // active, and placeholders
	Immunizations []Immunization
	// Results are the latest of each test collected in the last
	// RecentResultsMonths months, newest first.
	Results []Result
	// DamagedResults counts result placeholders: which test they were is
	// sealed in them, so they cannot be placed among the latest.
	DamagedResults int
	Vitals         *VitalsRecord // the latest current set
	// LastVisit is the last signed clinical note with an assessment or a
	// plan, and its signed addenda.
	LastVisit *VisitAssessment
}

// VisitAssessment is the assessment and plan of the last visit.
type VisitAssessment struct {
	Note       Note
	Assessment string
	Plan       string
	Addenda    []Note
}

// RecentResultsMonths is how far back a referral's results reach.
const RecentResultsMonths = 12

// SummarizeForReferral picks what a referral sends from recs, as of now.
func SummarizeForReferral(recs PatientRecords, now time.Time) ReferralSummary {
	s := ReferralSummary{AllergyStatus: recs.AllergyStatus()}
	for _, a := range recs.Allergies {
		if a.IsDamaged() || a.EnteredInError == nil {
			s.Allergies = append(s.Allergies, a)
		}
	}
	for _, p := range recs.Problems {
		if p.IsDamaged() || (p.EnteredInError == nil && p.Status == ProblemActive) {
			s.Problems = append(s.Problems, p)
		}
	}
	for _, m := range recs.Medications {
		if m.IsDamaged() || (m.EnteredInError == nil && (m.Status == MedActive || m.Status == "")) {
			s.Medications = append(s.Medications, m)
		}
	}
	for _, im := range recs.Immunizations {
		if !im.IsDamaged() && im.EnteredInError == nil {
			s.Immunizations = append(s.Immunizations, im)
		}
	}
	s.Results, s.DamagedResults = recentResults(recs.Results, now)
	s.Vitals = latestVitals(recs.Vitals)
	s.LastVisit = lastVisit(recs.Notes)
	return s
}

// AllergyStatus says what the records tell about allergies. A placeholder
// (an allergy that could not be opened) makes the status unreadable unless
// an opened allergy is listed too: never "none known".
func (r PatientRecords) AllergyStatus() AllergyStatus {
	listed, damaged, retracted := false, false, false
	for _, a := range r.Allergies {
		switch {
		case a.IsDamaged():
			damaged = true
		case a.EnteredInError != nil:
			retracted = true
		default:
			listed = true
		}
	}
	switch {
	case listed:
		return AllergiesListed
	case damaged:
		return AllergiesUnreadable
	case retracted:
		return AllergiesListed // every allergy retracted: nobody has confirmed "none"
	case r.NoKnownAllergies:
		return AllergiesNone
	}
	return AllergiesNotAsked
}

// recentResults keeps the latest result of each test collected since
// RecentResultsMonths before now, newest first.
func recentResults(results []Result, now time.Time) (recent []Result, damaged int) {
	since := now.AddDate(0, -RecentResultsMonths, 0).Format("2006-01-02")
	latest := map[string]int{}
	for _, r := range results {
		switch {
		case r.IsDamaged():
			damaged++
			continue
		case r.EnteredInError != nil || resultDate(r) < since:
			continue
		}
		key := testKey(r.Test)
		if i, seen := latest[key]; !seen {
			latest[key] = len(recent)
			recent = append(recent, r)
		} else if resultDate(r) > resultDate(recent[i]) {
			recent[i] = r
		}
	}
	slices.SortStableFunc(recent, func(a, b Result) int { return strings.Compare(resultDate(b), resultDate(a)) })
	return recent, damaged
}

// resultDate is when the sample was taken, else when it was reported.
func resultDate(r Result) string {
	if r.CollectedAt != "" {
		return r.CollectedAt
	}
	return r.ResultedAt
}

// testKey tells tests apart: by code where there is one (the same LOINC
// entered by hand and imported is one test), else by name.
func testKey(c Coded) string {
	if c.Code != "" {
		return c.System + "|" + c.Code
	}
	return "|" + strings.ToLower(strings.TrimSpace(c.Display))
}

func latestVitals(vs []VitalsRecord) *VitalsRecord {
	var latest *VitalsRecord
	for i := range vs {
		v := &vs[i]
		if v.IsDamaged() || v.EnteredInError != nil {
			continue
		}
		if latest == nil || v.TakenAt > latest.TakenAt {
			latest = v
		}
	}
	return latest
}

// lastVisit finds the last signed clinical note (not an addendum) with an
// assessment or a plan, by when it was signed, with its signed addenda.
func lastVisit(notes []Note) *VisitAssessment {
	var last *VisitAssessment
	for _, n := range notes {
		if n.IsDamaged() || n.EnteredInError != nil || !n.Signed() || n.Kind != NoteClinical || n.AddendumTo != "" {
			continue
		}
		a, p := noteSection(n, "assessment"), noteSection(n, "plan")
		if a == "" && p == "" {
			continue
		}
		if last == nil || n.Signature.SignedAt.After(last.Note.Signature.SignedAt) {
			last = &VisitAssessment{Note: n, Assessment: a, Plan: p}
		}
	}
	if last == nil {
		return nil
	}
	for _, n := range notes {
		if n.AddendumTo == last.Note.ID && n.Signed() && n.EnteredInError == nil && !n.IsDamaged() {
			last.Addenda = append(last.Addenda, n)
		}
	}
	return last
}

// noteSection is the text of a note's section by its template key (the
// built-in templates' "assessment" and "plan"), or by its label for a
// practice's own template.
func noteSection(n Note, key string) string {
	for _, s := range n.Sections {
		if s.Key == key || strings.EqualFold(strings.TrimSpace(s.Label), key) {
			return strings.TrimSpace(s.Text)
		}
	}
	return ""
}
