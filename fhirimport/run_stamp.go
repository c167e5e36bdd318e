package fhirimport

import "outpost/chart"

// stampImport names the import run in every record's origin and source
// document that does not name it yet: the mapper does not know the run,
// and a person reading a record later asks which import brought it.
func stampImport(recs *chart.PatientRecords, importID string) {
	set := func(o *chart.SourceRef) {
		if o != nil && o.ImportID == "" {
			o.ImportID = importID
		}
	}
	set(recs.Patient.Origin)
	for i := range recs.Encounters {
		set(recs.Encounters[i].Origin)
	}
	for i := range recs.Problems {
		set(recs.Problems[i].Origin)
	}
	for i := range recs.Medications {
		set(recs.Medications[i].Origin)
	}
	for i := range recs.Allergies {
		set(recs.Allergies[i].Origin)
	}
	for i := range recs.Vitals {
		set(recs.Vitals[i].Origin)
	}
	for i := range recs.Results {
		set(recs.Results[i].Origin)
	}
	for i := range recs.Immunizations {
		set(recs.Immunizations[i].Origin)
	}
	for i := range recs.Notes {
		set(recs.Notes[i].Origin)
	}
	for i := range recs.Procedures {
		set(recs.Procedures[i].Origin)
	}
	for i := range recs.SocialHistory {
		set(recs.SocialHistory[i].Origin)
	}
	for i := range recs.FamilyHistory {
		set(recs.FamilyHistory[i].Origin)
	}
	for i := range recs.Pregnancy {
		set(recs.Pregnancy[i].Origin)
	}
	for i := range recs.Sources {
		if recs.Sources[i].ImportID == "" {
			recs.Sources[i].ImportID = importID
		}
		set(recs.Sources[i].Origin)
	}
}
