package sqlite

import (
	"fmt"
	"testing"
	"time"

	"outpost/chart"
)

// syntheticPatient is one patient shaped like a Synthea record (about 500
// records: visits, results, vitals, notes…), every id a stable import id.
func syntheticPatient(ids func(string) chart.RecordID, n int) chart.PatientRecords {
	key := fmt.Sprintf("bench%d", n)
	r := importBatch(ids, key, "Bench", fmt.Sprintf("Patient%d", n), false)
	r.Patient.BirthDate = time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format(time.DateOnly)
	meta := func(typ string, i int) chart.Meta {
		return chart.Meta{ID: ids(fmt.Sprintf("%s|%s/%d", key, typ, i)), Origin: r.Encounters[0].Origin}
	}
	for i := range 40 {
		e := r.Encounters[0]
		e.Meta, e.Start, e.End = meta("Encounter", i), fmt.Sprintf("20%02d-03-02T10:15", 10+i%15), ""
		r.Encounters = append(r.Encounters, e)
	}
	for i := range 200 {
		res := r.Results[0]
		res.Meta, res.EncounterID, res.AttachmentIDs = meta("Observation", i), r.Encounters[1+i%40].ID, nil
		r.Results = append(r.Results, res)
	}
	for i := range 150 {
		hr := 60 + float64(i%30)
		r.Vitals = append(r.Vitals, chart.VitalsRecord{Meta: meta("Vitals", i), EncounterID: r.Encounters[1+i%40].ID,
			TakenAt: "2020-01-01T10:00", Signs: chart.VitalSigns{HeartRate: &hr}})
	}
	for i := range 40 {
		note := r.Notes[0]
		note.Meta, note.Sections = meta("DocumentReference", i), []chart.NoteSection{{Key: "text", Label: "Note",
			Text: "Patient seen for a routine check; no new concerns. Plan: continue current medications."}}
		r.Notes = append(r.Notes, note)
	}
	for i := range 30 {
		p := r.Procedures[0]
		p.Meta = meta("Procedure", i)
		r.Procedures = append(r.Procedures, p)
		c := r.Problems[0]
		c.Meta = meta("Condition", i)
		r.Problems = append(r.Problems, c)
	}
	return r
}

// recordsIn counts the records of a batch.
func recordsIn(r *chart.PatientRecords) int {
	n := 1 // the patient
	for _, c := range batchCounts(r) {
		n += c
	}
	return n
}

// BenchmarkImportPatient imports one new Synthea-sized patient per
// iteration into a store on disk and reports records written per second.
func BenchmarkImportPatient(b *testing.B) {
	_, doc := importClinic(b)
	ids := doc.ImportIDs()
	batches := make([]chart.PatientRecords, b.N)
	records := 0
	for i := range batches {
		batches[i] = syntheticPatient(ids, i)
		records += recordsIn(&batches[i])
	}
	b.ResetTimer()
	for i := range b.N {
		out, err := doc.ImportPatient(ctxb, batches[i], chart.ImportOptions{ImportID: "bench", File: "bench.json"})
		if err != nil || !out.Created {
			b.Fatalf("import %d: %+v %v", i, out, err)
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(records)/float64(b.N), "records/patient")
}
