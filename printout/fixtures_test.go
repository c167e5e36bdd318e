package printout

import (
	"fmt"
	"time"

	"outpost/chart"
)

// Fixtures: a small practice with realistic charts. Every entered-in-error
// record carries the word RETRACTED so tests can prove it never prints.

var printedAt = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

const retracted = "RETRACTED"

func fixturePractice() chart.Practice {
	return chart.Practice{ID: "0193a1c2-0000-7000-8000-000000000001", Name: "Riverside Family Practice"}
}

func fixtureNurse() chart.User {
	return chart.User{ID: "u-nurse", Username: "mkowalski", FullName: "Marta Kowalski", Role: chart.RoleNurse, Active: true}
}

func fixtureClinician() chart.User {
	return chart.User{ID: "u-doc", Username: "aruiz", FullName: "Dr. Ana Ruiz", Role: chart.RoleClinician, Active: true}
}

func ptr(x float64) *float64 { return &x }

func errorMark() *chart.EnteredInError {
	return &chart.EnteredInError{At: printedAt.Add(-time.Hour), By: "u-doc", ByName: "Dr. Ana Ruiz", Reason: "wrong patient"}
}

// fixturePatient returns patient i; patient 0 is Zoë Ångström, whose name
// has accented letters.
func fixturePatient(i int) chart.Patient {
	given, family := "Zoë", "Ångström"
	if i > 0 {
		given, family = fmt.Sprintf("Patient%02d", i), "Okonkwo-Müller"
	}
	return chart.Patient{
		ID:            chart.PatientID(fmt.Sprintf("p-%02d", i)),
		MRN:           fmt.Sprintf("1000%04d", i),
		GivenName:     given,
		FamilyName:    family,
		PreferredName: "Zo",
		BirthDate:     "1948-03-14",
		Sex:           chart.SexFemale,
		Phone:         "+1 (555) 201-7788",
		Address: chart.Address{
			Line1: fmt.Sprintf("%d Old Mill Road", 10+i), City: "Lakeview", Region: "MN", PostalCode: "56001",
			Directions: "Third farm past the grain silo, blue gate; the dog is friendly.",
		},
		EmergencyContact:  chart.EmergencyContact{Name: "Lars Ångström", Relationship: "son", Phone: "+1 555 201 9911"},
		PreferredLanguage: "Swedish",
	}
}

func meta(p chart.Patient, id string) chart.Meta {
	return chart.Meta{ID: chart.RecordID(id), PatientID: p.ID, Version: 1, CreatedAt: printedAt.Add(-48 * time.Hour)}
}

// fixtureSummary is patient p's chart: two real allergies and a retracted
// one, active, stopped and retracted medications, problems, vitals.
func fixtureSummary(p chart.Patient) chart.ChartSummary {
	retractedAllergy := chart.Allergy{Meta: meta(p, "a-3"), Substance: chart.Coded{Display: "Latex " + retracted}}
	retractedAllergy.EnteredInError = errorMark()
	retractedMed := chart.Medication{Meta: meta(p, "m-4"), Drug: chart.Coded{Display: "Warfarin " + retracted}, Status: chart.MedActive}
	retractedMed.EnteredInError = errorMark()
	retractedProblem := chart.Problem{Meta: meta(p, "pr-3"), Condition: chart.Coded{Display: "Asthma " + retracted}, Status: chart.ProblemActive}
	retractedProblem.EnteredInError = errorMark()
	return chart.ChartSummary{
		Patient:       p,
		AllergyStatus: chart.AllergiesListed,
		Allergies: []chart.Allergy{
			{Meta: meta(p, "a-1"), Substance: chart.Coded{System: chart.SystemRxNorm, Code: "7980", Display: "Penicillin G"},
				Type: "allergy", Reaction: "hives", Severity: "severe", Criticality: "high", Verification: "confirmed"},
			{Meta: meta(p, "a-2"), Substance: chart.Coded{Display: "Codeine"}, Type: "intolerance", Reaction: "nausea", Severity: "mild"},
			retractedAllergy,
		},
		Problems: []chart.Problem{
			{Meta: meta(p, "pr-1"), Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes mellitus without complications"},
				Onset: "2015", Status: chart.ProblemActive, Chronic: true},
			{Meta: meta(p, "pr-2"), Condition: chart.Coded{System: chart.SystemICD10CM, Code: "I10", Display: "Essential (primary) hypertension"},
				Onset: "2011-06", Status: chart.ProblemActive, Chronic: true},
			{Meta: meta(p, "pr-4"), Condition: chart.Coded{System: chart.SystemICD10CM, Code: "S52.501A", Display: "Fracture of radius"},
				Onset: "2019-02", Status: chart.ProblemResolved},
			retractedProblem,
		},
		Medications: []chart.Medication{
			{Meta: meta(p, "m-1"), Drug: chart.Coded{System: chart.SystemRxNorm, Code: "861007", Display: "Metformin 500 mg oral tablet"},
				Dose: "500", Unit: "mg", Route: "oral", Frequency: "twice daily", Instructions: "Take with breakfast and the evening meal.",
				Quantity: "60 tablets", DaysSupply: 30, Refills: 2, StartDate: "2024-01-10", Status: chart.MedActive, Source: chart.MedPrescribedHere,
				PrescriberName: "Dr. Ana Ruiz"},
			{Meta: meta(p, "m-2"), Drug: chart.Coded{System: chart.SystemRxNorm, Code: "314076", Display: "Lisinopril 10 mg oral tablet"},
				Dose: "10", Unit: "mg", Route: "oral", Frequency: "once daily", Status: chart.MedActive, Source: chart.MedPrescribedHere},
			{Meta: meta(p, "m-3"), Drug: chart.Coded{Display: "Atenolol STOPPED"}, Dose: "25", Unit: "mg", Status: chart.MedStopped},
			retractedMed,
		},
		LatestVitals: &chart.VitalsRecord{
			Meta: meta(p, "v-1"), EncounterID: "e-1", TakenAt: "2026-11-20T14:35", TakenByName: "Marta Kowalski",
			Signs: chart.VitalSigns{Systolic: ptr(148), Diastolic: ptr(86), HeartRate: ptr(72), Temperature: ptr(37),
				SpO2: ptr(96), Weight: ptr(70), Height: ptr(165), BMI: ptr(25.7)},
			Flags: []chart.VitalFlag{{Field: chart.VitalSystolic, Level: chart.FlagHigh}},
		},
	}
}

func fixtureEncounter(p chart.Patient) chart.Encounter {
	return chart.Encounter{
		Meta: meta(p, "e-1"), Type: chart.EncounterOffice, Start: "2026-11-20T14:30", Location: "Room 2",
		ClinicianID: "u-doc", ClinicianName: "Dr. Ana Ruiz", Reason: "Diabetes review and blood pressure check",
		Diagnoses: []chart.Coded{
			{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes mellitus without complications"},
			{System: chart.SystemICD10CM, Code: "I10", Display: "Essential (primary) hypertension"},
		},
	}
}

func signature(at time.Time) *chart.Signature {
	return &chart.Signature{SignerID: "u-doc", SignerName: "Dr. Ana Ruiz", SignerRole: chart.RoleClinician,
		SignedAt: at, ContentHash: "3fa9c2e1b0d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e"}
}

// fixtureNotes: a signed note with a signed addendum, a draft, a note of
// another visit and a retracted note.
func fixtureNotes(p chart.Patient) []chart.Note {
	note := chart.Note{Meta: meta(p, "n-1"), EncounterID: "e-1", Kind: chart.NoteClinical, Title: "Diabetes follow-up",
		Sections: []chart.NoteSection{
			{Key: "s", Label: "Subjective", Text: "Feels well. Walking 30 minutes most days.\nNo hypoglycaemia."},
			{Key: "o", Label: "Objective", Text: "BP 148/86, otherwise unremarkable. Feet: pulses present, no ulcers."},
			{Key: "a", Label: "Assessment", Text: "Diabetes well controlled; blood pressure above target."},
			{Key: "p", Label: "Plan", Text: "Continue metformin. Increase lisinopril if home readings stay above 140/90. Review in 3 months."},
		},
		AuthorName: "Dr. Ana Ruiz", Signature: signature(time.Date(2026, 11, 20, 15, 2, 0, 0, time.UTC))}
	addendum := chart.Note{Meta: meta(p, "n-2"), EncounterID: "e-1", AddendumTo: "n-1", Title: "Correction",
		Sections:  []chart.NoteSection{{Key: "t", Label: "Addendum", Text: "HbA1c result received: 6.8 %."}},
		Signature: signature(time.Date(2026, 11, 21, 8, 15, 0, 0, time.UTC))}
	draft := chart.Note{Meta: meta(p, "n-3"), EncounterID: "e-1", Title: "Draft DRAFTNOTE",
		Sections: []chart.NoteSection{{Key: "t", Label: "Text", Text: "unfinished DRAFTNOTE"}}}
	other := chart.Note{Meta: meta(p, "n-4"), EncounterID: "e-9", Title: "Other visit OTHERVISIT",
		Sections: []chart.NoteSection{{Key: "t", Label: "Text", Text: "OTHERVISIT"}}, Signature: signature(printedAt)}
	gone := chart.Note{Meta: meta(p, "n-5"), EncounterID: "e-1", Title: "Wrong chart " + retracted,
		Sections: []chart.NoteSection{{Key: "t", Label: "Text", Text: retracted}}, Signature: signature(printedAt)}
	gone.EnteredInError = errorMark()
	return []chart.Note{note, addendum, draft, other, gone}
}

// fixtureImmunizations returns n given vaccinations, one refusal and one
// retracted entry.
func fixtureImmunizations(p chart.Patient, n int) []chart.Immunization {
	var ims []chart.Immunization
	for i := range n {
		ims = append(ims, chart.Immunization{
			Meta: meta(p, fmt.Sprintf("i-%d", i)), Vaccine: chart.Coded{System: chart.SystemCVX, Code: "140", Display: "Influenza, seasonal, injectable, preservative free"},
			Date: time.Date(1990+i%36, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC).Format(dateLayout), DoseNumber: 1 + i%3,
			Lot: fmt.Sprintf("LOT%04d", i), Site: "left deltoid", Route: "IM", GivenBy: "Marta Kowalski", Source: "given",
		})
	}
	ims = append(ims, chart.Immunization{Meta: meta(p, "i-refused"), Vaccine: chart.Coded{System: chart.SystemCVX, Code: "208", Display: "COVID-19, mRNA"},
		Date: "2021-05-02", Refused: true, RefusalReason: "Patient prefers to wait"})
	gone := chart.Immunization{Meta: meta(p, "i-gone"), Vaccine: chart.Coded{System: chart.SystemCVX, Code: "03", Display: "MMR " + retracted},
		Date: "2020-01-01", Source: "given"}
	gone.EnteredInError = errorMark()
	return append(ims, gone)
}
