// Package chartgen makes synthetic patient charts (chart.PatientRecords)
// for the export's tests, its benchmark and the round trip: every kind of
// record the export writes, with optional fields filled or left out at
// random, some records entered in error and, on request, damaged
// placeholders. Deterministic for a seed. No real person's data.
package chartgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"outpost/chart"
)

// Options shape the charts made.
type Options struct {
	// Records is about how many clinical records each chart holds.
	Records int
	// Damaged adds damaged placeholders (records that could not be opened)
	// and data FHIR cannot wholly carry (an active problem with an
	// abatement date). Without it every record passes the chart's own
	// validation, as the store would hold it.
	Damaged bool
}

// Gen makes charts from one seeded source.
type Gen struct {
	r    *rand.Rand
	opts Options
	now  time.Time
	born time.Time // the current chart's patient's birth
	// Users are the practice members charts are written by.
	Users []User
}

// User is a member of the practice.
type User struct {
	ID   chart.UserID
	Name string
}

// New returns a generator for seed; charts are dated before now.
func New(seed uint64, now time.Time, opts Options) *Gen {
	if opts.Records <= 0 {
		opts.Records = 40
	}
	g := &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), opts: opts, now: now}
	for _, n := range []string{"Dr Ana Silva", "Dr Tomas Okafor", "Nurse Lena Berg"} {
		g.Users = append(g.Users, User{ID: chart.UserID(g.uuid()), Name: n})
	}
	return g
}

func (g *Gen) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	u, _ := uuid.FromBytes(b[:])
	u[6] = u[6]&0x0f | 0x70 // version 7, as the chart's ids
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

func (g *Gen) id() chart.RecordID { return chart.RecordID(g.uuid()) }

func (g *Gen) pick(ss ...string) string { return ss[g.r.IntN(len(ss))] }

func (g *Gen) maybe() bool { return g.r.IntN(2) == 0 }

func (g *Gen) user() User { return g.Users[g.r.IntN(len(g.Users))] }

// day is a date within the last ten years, in the patient's lifetime.
func (g *Gen) day() time.Time {
	span := 3650
	if !g.born.IsZero() {
		span = min(span, int(g.now.Sub(g.born).Hours()/24)-1)
	}
	return g.now.AddDate(0, 0, -1-g.r.IntN(max(span, 1))).Truncate(24 * time.Hour)
}

func (g *Gen) localTime() string {
	t := g.day().Add(time.Duration(8*60+g.r.IntN(9*60)) * time.Minute)
	return t.Format(chart.LocalDateTimeLayout)
}

func (g *Gen) meta(pid chart.PatientID) chart.Meta {
	u := g.user()
	at := g.day()
	m := chart.Meta{ID: g.id(), PatientID: pid, Version: 1, CreatedAt: at, CreatedBy: u.ID, UpdatedAt: at, UpdatedBy: u.ID}
	if g.r.IntN(15) == 0 {
		m.EnteredInError = &chart.EnteredInError{At: at, By: u.ID, ByName: u.Name, Reason: "wrong patient"}
	}
	return m
}

func (g *Gen) damaged(pid chart.PatientID) chart.Meta {
	return chart.Meta{ID: g.id(), PatientID: pid, Version: 2, Damaged: "could not be opened: sealed under a key this workstation does not hold"}
}

var (
	given    = []string{"Maria", "José", "Aroha", "Li", "Fatima", "Sven", "Amara", "Noah", "Ngozi", "Kai"}
	families = []string{"Okafor", "Nguyen", "Silva", "O'Brien", "Müller", "Tanaka", "Haddad", "Kowalski"}
	problems = []chart.Coded{cd(chart.SystemICD10CM, "I10", "Essential (primary) hypertension"),
		cd(chart.SystemICD10CM, "E11.9", "Type 2 diabetes mellitus without complications"),
		cd(chart.SystemICD10CM, "J45.909", "Unspecified asthma, uncomplicated"), cd("", "", "Chronic back pain")}
	drugs = []chart.Coded{cd(chart.SystemRxNorm, "197361", "amlodipine 5 MG Oral Tablet"),
		cd(chart.SystemRxNorm, "860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"),
		cd("", "", "Herbal tea blend")}
	allergens = []chart.Coded{cd(chart.SystemRxNorm, "7980", "penicillin G"), cd(chart.SystemAllergyClass, "sulfonamides", "Sulfonamide antibiotics"),
		cd(chart.SystemAllergen, "peanut", "Peanut"), cd(chart.SystemAllergen, "latex", "Latex"), cd("", "", "Cat dander")}
	labs = []struct {
		test       chart.Coded
		unit       string
		low, high  string
		value      []string
		reportName string
	}{
		{cd(chart.SystemLOINC, "2345-7", "Glucose [Mass/volume] in Serum or Plasma"), "mg/dL", "70", "99", []string{"95", "142", "61.5"}, "Basic metabolic panel"},
		{cd(chart.SystemLOINC, "718-7", "Hemoglobin [Mass/volume] in Blood"), "g/dL", "12", "16", []string{"13.1", "9.8"}, "Complete blood count"},
		{cd(chart.SystemLOINC, "5196-1", "Hepatitis B virus surface Ag [Presence] in Serum"), "", "", "", []string{"negative"}, ""},
		{cd(chart.SystemLOINC, "1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma"), "U/L", "", "40", []string{"<5", "33"}, ""},
	}
	vaccines = []chart.Coded{cd(chart.SystemCVX, "140", "Influenza, seasonal, injectable, preservative free"),
		cd(chart.SystemCVX, "115", "Tdap"), cd(chart.SystemCVX, "208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose")}
)

// Chart makes one patient's chart.
func (g *Gen) Chart() chart.PatientRecords {
	pid := chart.PatientID(g.uuid())
	g.born = time.Time{}
	recs := chart.PatientRecords{Patient: g.patient(pid)}
	g.born, _ = time.Parse(time.DateOnly, recs.Patient.BirthDate)
	n := g.opts.Records
	for i := 0; i < n; i++ {
		g.add(&recs, pid, g.r.IntN(11))
	}
	if len(recs.Allergies) == 0 {
		recs.NoKnownAllergies = g.maybe()
	}
	if g.opts.Damaged {
		recs.Problems = append(recs.Problems, chart.Problem{Meta: g.damaged(pid)})
		recs.Notes = append(recs.Notes, chart.Note{Meta: g.damaged(pid)})
	}
	return recs
}

func (g *Gen) add(recs *chart.PatientRecords, pid chart.PatientID, kind int) {
	switch kind {
	case 0:
		recs.Encounters = append(recs.Encounters, g.encounter(pid))
	case 1:
		recs.Problems = append(recs.Problems, g.problem(pid))
	case 2:
		recs.Medications = append(recs.Medications, g.medication(pid, recs))
	case 3:
		recs.Allergies = append(recs.Allergies, g.allergy(pid))
	case 4:
		recs.Vitals = append(recs.Vitals, g.vitals(pid, recs))
	case 5:
		g.results(recs, pid)
	case 6:
		recs.Immunizations = append(recs.Immunizations, g.immunization(pid))
	case 7:
		recs.Notes = append(recs.Notes, g.note(pid, recs))
	case 8:
		recs.Procedures = append(recs.Procedures, g.procedure(pid, recs))
	case 9:
		recs.SocialHistory = append(recs.SocialHistory, g.social(pid))
	case 10:
		recs.Pregnancy = append(recs.Pregnancy, g.pregnancy(pid))
	}
}

func (g *Gen) patient(pid chart.PatientID) chart.Patient {
	p := chart.Patient{ID: pid, MRN: fmt.Sprintf("%09d", g.r.IntN(1_000_000_000)), GivenName: g.pick(given...),
		FamilyName: g.pick(families...), BirthDate: g.now.AddDate(-1-g.r.IntN(90), 0, -g.r.IntN(365)).Format(time.DateOnly),
		Sex: chart.Sex(g.pick("female", "male", "other", "unknown")), Version: 1}
	if g.maybe() {
		p.PreferredName = g.pick(given...)
		p.Phone = fmt.Sprintf("+1 555 %03d %04d", g.r.IntN(1000), g.r.IntN(10000))
		p.Email = "patient" + fmt.Sprint(g.r.IntN(1000)) + "@example.org"
		p.Address = chart.Address{Line1: "12 Harbour Road", Line2: g.pick("", "Flat 3"), City: "Riverton", Region: "WY",
			PostalCode: "82501", Country: "US", Directions: g.pick("", "third farm past the grain silo, blue gate")}
		p.EmergencyContact = chart.EmergencyContact{Name: g.pick(given...) + " " + g.pick(families...), Relationship: "sister", Phone: "555 0101"}
		p.PreferredLanguage = g.pick("en", "es", "Tagalog", "pt-BR")
		p.GenderIdentity = g.pick("", "non-binary", "woman")
		p.Identifiers = []chart.Identifier{{System: "http://hospital.example.org/mrn", Value: fmt.Sprint(g.r.IntN(99999)), Type: "MR"}}
	}
	if g.r.IntN(10) == 0 {
		p.Deceased = true
		p.DeceasedDate = g.pick("", g.day().Format(time.DateOnly))
	}
	return p
}

func (g *Gen) encounter(pid chart.PatientID) chart.Encounter {
	u := g.user()
	e := chart.Encounter{Meta: g.meta(pid), Type: chart.EncounterType(g.pick("office", "home", "telephone", "telehealth", "other")),
		Start: g.localTime(), ClinicianID: u.ID, ClinicianName: u.Name, Reason: g.pick("", "follow-up", "cough for 3 days")}
	for range g.r.IntN(3) {
		e.Diagnoses = append(e.Diagnoses, problems[g.r.IntN(len(problems))])
	}
	if e.Type == chart.EncounterHome {
		e.Location = "patient's farm"
	}
	if e.Type == chart.EncounterOther {
		e.Class, e.TypeText = g.pick("EMER", "IMP"), g.pick("", "Emergency room admission")
		e.End = e.Start
	}
	return e
}

// anEncounter is an encounter of the chart to link to, or "".
func (g *Gen) anEncounter(recs *chart.PatientRecords) chart.RecordID {
	if len(recs.Encounters) == 0 || g.maybe() {
		return ""
	}
	return recs.Encounters[g.r.IntN(len(recs.Encounters))].ID
}

func (g *Gen) problem(pid chart.PatientID) chart.Problem {
	p := chart.Problem{Meta: g.meta(pid), Condition: problems[g.r.IntN(len(problems))],
		Status: chart.ProblemStatus(g.pick("active", "inactive", "resolved")), Chronic: g.maybe(),
		Onset: g.pick("", "2019", "2020-04", g.day().Format(time.DateOnly)), Comment: g.pick("", "well controlled")}
	if p.Status == chart.ProblemResolved {
		p.Abatement = g.now.AddDate(0, 0, -1).Format(time.DateOnly) // after any onset
	}
	if p.Status == chart.ProblemActive && g.opts.Damaged && g.r.IntN(5) == 0 {
		p.Abatement = g.now.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	p.Verification = g.pick("", "confirmed", "provisional")
	return p
}

func (g *Gen) medication(pid chart.PatientID, recs *chart.PatientRecords) chart.Medication {
	u := g.user()
	m := chart.Medication{Meta: g.meta(pid), Drug: drugs[g.r.IntN(len(drugs))], Dose: g.pick("", "5", "0.5", "500"),
		Unit: "mg", Route: g.pick("", "oral"), Frequency: g.pick("", "once daily", "twice daily"), Instructions: g.pick("", "with food"),
		Quantity: g.pick("", "30", "60 tablets"), Refills: g.r.IntN(4), StartDate: g.day().Format(time.DateOnly),
		Status: chart.MedicationStatus(g.pick("active", "completed", "stopped")),
		Source: chart.MedicationSource(g.pick("prescribed", "reported")), DaysSupply: g.r.IntN(2) * 30,
		EncounterID: g.anEncounter(recs)}
	if m.Source == chart.MedPrescribedHere {
		m.PrescriberID, m.PrescriberName = u.ID, u.Name
	}
	if m.Status == chart.MedStopped {
		m.StopReason, m.StopDate = "side effects", g.now.Format(time.DateOnly)
	}
	if len(recs.Medications) > 0 && g.r.IntN(4) == 0 {
		m.RenewalOf = recs.Medications[len(recs.Medications)-1].ID
	}
	return m
}

func (g *Gen) allergy(pid chart.PatientID) chart.Allergy {
	a := chart.Allergy{Meta: g.meta(pid), Substance: allergens[g.r.IntN(len(allergens))], Type: g.pick("allergy", "intolerance"),
		Reaction: g.pick("", "hives", "anaphylaxis"), Criticality: g.pick("", "low", "high", "unable-to-assess"),
		Verification: g.pick("unconfirmed", "confirmed", "refuted"), Onset: g.pick("", "2001", "2015-06-01"), Comment: g.pick("", "as a child")}
	if a.Reaction != "" {
		a.Severity = g.pick("", "mild", "moderate", "severe")
	}
	return a
}

func (g *Gen) vitals(pid chart.PatientID, recs *chart.PatientRecords) chart.VitalsRecord {
	u := g.user()
	f := func(lo, hi float64, decimals int) *float64 {
		if g.r.IntN(4) == 0 {
			return nil
		}
		x := lo + g.r.Float64()*(hi-lo)
		p := 1.0
		for range decimals {
			p *= 10
		}
		x = float64(int(x*p+0.5)) / p
		return &x
	}
	s := chart.VitalSigns{Systolic: f(110, 160, 0), HeartRate: f(50, 110, 0), RespiratoryRate: f(10, 24, 0),
		Temperature: f(36, 39.5, 2), SpO2: f(90, 100, 0), Pain: f(0, 10, 0)}
	takenAt := g.localTime()
	at, _ := time.Parse(chart.LocalDateTimeLayout, takenAt)
	age := chart.Age(recs.Patient.BirthDate, at)
	lo, hi, bmiLo := 40.0, 120.0, 18.0 // a weight and BMI for the age
	switch {
	case age < 2:
		lo, hi, bmiLo = 3, 14, 14
	case age < 12:
		lo, hi, bmiLo = 10, 45, 14
	}
	s.Weight = f(lo, hi, 3)
	if s.Systolic != nil {
		d := *s.Systolic - 40
		s.Diastolic = &d
	}
	if s.Weight != nil && g.r.IntN(4) != 0 { // a height that gives a plausible BMI
		bmi := bmiLo + g.r.Float64()*12
		h := float64(int(math.Sqrt(*s.Weight/bmi)*100_000+0.5)) / 1000
		s.Height = &h
	}
	if age < 3 { // measured at well-child visits, for the growth chart
		s.HeadCircumference = f(33, 50, 1)
	}
	if s.Systolic == nil && s.HeartRate == nil && s.Temperature == nil {
		hr := 72.0
		s.HeartRate = &hr
	}
	// As the store keeps them: rounded, BMI computed from age 2, flagged
	// for the patient's age.
	flags, err := s.CheckAt(chart.MetricUnits(), recs.Patient.BirthDate, takenAt[:10])
	if err != nil {
		panic(fmt.Sprintf("chartgen: vitals %+v: %v", s, err))
	}
	return chart.VitalsRecord{Meta: g.meta(pid), EncounterID: g.anEncounter(recs), TakenAt: takenAt, Signs: s,
		Flags: flags, TakenBy: u.ID, TakenByName: u.Name}
}

// results adds one result, or a report of two or three.
func (g *Gen) results(recs *chart.PatientRecords, pid chart.PatientID) {
	report, n := chart.RecordID(""), 1
	if g.maybe() {
		report, n = g.id(), 2+g.r.IntN(2)
	}
	reportName := "" // a report has one name, which its results all carry
	for k := range n {
		l := labs[g.r.IntN(len(labs))]
		if k == 0 {
			reportName = l.reportName
		}
		r := chart.Result{Meta: g.meta(pid), Test: l.test, Value: l.value[g.r.IntN(len(l.value))], Unit: l.unit,
			RefLow: l.low, RefHigh: l.high, RefText: g.pick("", "adult range"), Flag: g.pick("", "normal", "high", "low", "critical", "abnormal"),
			CollectedAt: g.localTime(), ResultedAt: g.pick("", g.localTime(), g.day().Format(time.DateOnly)),
			EncounterID: g.anEncounter(recs)}
		if report != "" {
			r.ReportID, r.ReportName, r.Performer = report, reportName, "Valley Lab"
		}
		// As the store keeps it: unflagged, a number is flagged against its range.
		if err := r.Validate(g.now); err != nil {
			panic(fmt.Sprintf("chartgen: result %+v: %v", r, err))
		}
		recs.Results = append(recs.Results, r)
		if report != "" && g.r.IntN(3) == 0 {
			pdf := []byte("%PDF-1.4 synthetic report " + string(r.ID))
			recs.Attachments = append(recs.Attachments, chart.ImportedAttachment{Attachment: chart.Attachment{Meta: g.meta(pid),
				FileName: "report.pdf", MediaType: "application/pdf", Size: int64(len(pdf))}, Data: pdf, ResultIDs: []chart.RecordID{r.ID}})
		}
	}
}

func (g *Gen) immunization(pid chart.PatientID) chart.Immunization {
	im := chart.Immunization{Meta: g.meta(pid), Vaccine: vaccines[g.r.IntN(len(vaccines))], Date: g.day().Format(time.DateOnly),
		DoseNumber: g.r.IntN(3), Lot: g.pick("", "AB1234"), Expiry: g.pick("", g.now.AddDate(1, 0, 0).Format(time.DateOnly)),
		Manufacturer: g.pick("", "Sanofi Pasteur"), Site: g.pick("", "left deltoid"), Route: g.pick("", "intramuscular"),
		GivenBy: g.pick("", "Nurse Lena Berg"), Source: g.pick("given", "historical")}
	if g.r.IntN(5) == 0 {
		im.Refused, im.RefusalReason = true, "prefers to wait"
	}
	return im
}

func (g *Gen) note(pid chart.PatientID, recs *chart.PatientRecords) chart.Note {
	u := g.user()
	n := chart.Note{Meta: g.meta(pid), EncounterID: g.anEncounter(recs), Kind: chart.NoteKind(g.pick("clinical", "nursing")),
		Title: g.pick("Visit note", "Nursing note", "Phone call"), AuthorID: u.ID, AuthorName: u.Name,
		Sections: []chart.NoteSection{{Key: "s", Label: "Subjective", Text: "Feels better. Ünïcode ✓ <b>not html</b>"},
			{Key: "p", Label: "Plan", Text: g.pick("", "Review in 2 weeks.")}}}
	if g.r.IntN(4) != 0 {
		n.Signature = &chart.Signature{SignerID: u.ID, SignerName: u.Name, SignerRole: "clinician", SignedAt: g.day(), ContentHash: "00"}
	}
	if g.r.IntN(6) == 0 {
		n.AuthorID, n.AuthorName = "", ""
		n.Imported = &chart.ImportedNote{AuthorName: "Dr Outside", Organization: "General Hospital", Date: g.localTime(), MediaType: "text/plain"}
	}
	for i := len(recs.Notes) - 1; i >= 0 && g.r.IntN(5) == 0; i-- {
		if recs.Notes[i].Signed() {
			n.AddendumTo = recs.Notes[i].ID
			break
		}
	}
	return n
}

func (g *Gen) procedure(pid chart.PatientID, recs *chart.PatientRecords) chart.Procedure {
	p := chart.Procedure{Meta: g.meta(pid), Code: g.pickCoded(cd(chart.SystemSNOMED, "80146002", "Appendectomy"),
		cd("", "", "Wound dressing")), Status: g.pick("completed", "in-progress", "not-done"),
		Performed: g.pick(g.day().Format(time.DateOnly), g.localTime()), EncounterID: g.anEncounter(recs),
		Reason: g.pick("", "laceration"), Performer: g.pick("", "Dr Tomas Okafor"), BodySite: g.pick("", "left forearm"), Comment: g.pick("", "no complications")}
	if g.maybe() {
		p.PerformedEnd = p.Performed
	}
	return p
}

func (g *Gen) pickCoded(cs ...chart.Coded) chart.Coded { return cs[g.r.IntN(len(cs))] }

func (g *Gen) social(pid chart.PatientID) chart.SocialHistory {
	h := chart.SocialHistory{Meta: g.meta(pid), Date: g.day().Format(time.DateOnly), Occupation: g.pick("", "farmer")}
	if g.r.IntN(4) != 0 {
		h.Smoking = chart.SmokingStatuses[g.r.IntN(len(chart.SmokingStatuses))]
	}
	return h
}

func (g *Gen) pregnancy(pid chart.PatientID) chart.PregnancyStatus {
	p := chart.PregnancyStatus{Meta: g.meta(pid), Date: g.day().Format(time.DateOnly), Status: g.pick("pregnant", "not-pregnant", "unknown")}
	if p.Status == chart.PregnancyPregnant {
		d, _ := time.Parse(time.DateOnly, p.Date)
		p.LMP = d.AddDate(0, 0, -60).Format(time.DateOnly)
		p.EDD = chart.EDDFromLMP(p.LMP)
	}
	return p
}

func cd(system, code, display string) chart.Coded {
	return chart.Coded{System: system, Code: code, Display: display}
}
