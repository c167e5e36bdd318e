package sqlite

import (
	"testing"

	"outpost/chart"
)

// TestBadClinicalInputChangesNothing sends one bad value to every save
// method and expects a field error and no new rows.
func TestBadClinicalInputChangesNothing(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	s := c.doc
	enc := must(s.SaveEncounter(ctxb, sampleEncounter(p)))(t)
	res := must(s.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Hb"}, Value: "12"}))(t)

	future := "2099-01-01"
	badEnc := sampleEncounter(p)
	badEnc.Start = "2099-01-01T10:00"
	badNote := sampleNote(p, "", "text")
	badNote.Title = "  "
	badNoteEnc := sampleNote(p, "", "text")
	badNoteEnc.EncounterID = chart.NewRecordID()
	badMed := sampleMed(p, "Ibuprofen")
	badMed.Dose = "two"
	stopped := sampleMed(p, "Ibuprofen")
	stopped.Status = chart.MedStopped
	badAllergy := sampleAllergy(p, "Peanut")
	badAllergy.Severity = "deadly"
	badImm := chart.Immunization{Meta: chart.Meta{PatientID: p}, Vaccine: chart.Coded{Display: "MMR"}, Date: future}
	refused := chart.Immunization{Meta: chart.Meta{PatientID: p}, Vaccine: chart.Coded{Display: "MMR"}, Date: "2026-01-01", Refused: true}
	badResult := chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Hb"}, Value: "12", RefLow: "low"}
	badProblem := chart.Problem{Meta: chart.Meta{PatientID: p}, Condition: chart.Coded{Display: "Asthma", System: "http://example.org/private-codes", Code: "195967001"}}
	badStatus := chart.Problem{Meta: chart.Meta{PatientID: p}, Condition: chart.Coded{Display: "Asthma"}, Status: "cured"}
	badTemplate := chart.Template{Name: "Empty"}
	editEnc := enc
	editEnc.Reason = "line one\nline two"

	cases := []struct {
		name, field string
		call        func() error
	}{
		{"encounter in the future", "start", func() error { _, err := s.SaveEncounter(ctxb, badEnc); return err }},
		{"encounter edit with newline", "reason", func() error { _, err := s.SaveEncounter(ctxb, editEnc); return err }},
		{"note without title", "title", func() error { _, err := s.SaveNoteDraft(ctxb, badNote); return err }},
		{"note for missing encounter", "encounterId", func() error { _, err := s.SaveNoteDraft(ctxb, badNoteEnc); return err }},
		{"template without sections", "sections", func() error { _, err := s.SaveTemplate(ctxb, badTemplate); return err }},
		{"problem with unknown code system", "condition", func() error { _, err := s.SaveProblem(ctxb, badProblem); return err }},
		{"problem with unknown status", "status", func() error { _, err := s.SaveProblem(ctxb, badStatus); return err }},
		{"allergy with unknown severity", "severity", func() error { _, err := s.SaveAllergy(ctxb, badAllergy); return err }},
		{"medication dose not a number", "dose", func() error { _, err := s.SaveMedication(ctxb, badMed, ""); return err }},
		{"medication stopped without reason", "stopReason", func() error { _, err := s.SaveMedication(ctxb, stopped, ""); return err }},
		{"immunization in the future", "date", func() error { _, err := s.SaveImmunization(ctxb, badImm); return err }},
		{"immunization refused without reason", "refusalReason", func() error { _, err := s.SaveImmunization(ctxb, refused); return err }},
		{"result with non-numeric range", "refLow", func() error { _, err := s.SaveResult(ctxb, badResult); return err }},
		{"vitals impossible", "heartRate", func() error {
			_, err := s.RecordVitals(ctxb, p, "", "", chart.VitalsEntry{HeartRate: reading(900)})
			return err
		}},
		{"vitals in the future", "takenAt", func() error {
			_, err := s.RecordVitals(ctxb, p, "", "2099-01-01T00:00", chart.VitalsEntry{HeartRate: reading(70)})
			return err
		}},
		{"attachment not a PNG", "file", func() error {
			_, err := s.AttachToResult(ctxb, res.ID, "scan.png", "image/png", []byte("%PDF-1.7 not a png"))
			return err
		}},
		{"attachment of another type", "mediaType", func() error {
			_, err := s.AttachToResult(ctxb, res.ID, "x.exe", "application/x-msdownload", []byte("MZ"))
			return err
		}},
		{"entered in error without reason", "reason", func() error {
			return s.MarkEnteredInError(ctxb, chart.KindEncounter, enc.ID, " ")
		}},
		{"chart flags for nobody", "", func() error {
			_, err := s.SetChartFlags(ctxb, chart.ChartFlags{})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := tableCounts(t, c.w)
			err := tc.call()
			if tc.field == "" {
				wantErr(t, err, chart.ENOTFOUND, "")
			} else {
				wantErr(t, err, chart.EINVALID, tc.field)
			}
			if after := tableCounts(t, c.w); after["records"] != before["records"] || after["changes"] != before["changes"] ||
				after["attachment_data"] != before["attachment_data"] {
				t.Fatalf("rows changed: %v → %v", before, after)
			}
		})
	}
	if got := must(s.Encounters(ctxb, p))(t); len(got) != 1 || got[0].Version != 1 {
		t.Fatalf("encounter after refused edit = %+v", got)
	}
}

func TestStaleVersionIsAConflict(t *testing.T) {
	c := newClinic(t)
	prob := must(c.doc.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: c.patient.ID},
		Condition: chart.Coded{Display: "Hypertension", System: chart.SystemICD10CM, Code: "I10"}, Chronic: true}))(t)
	first := prob
	first.Comment = "well controlled"
	must(c.doc.SaveProblem(ctxb, first))(t)
	second := prob
	second.Comment = "poorly controlled"
	_, err := c.nurse.SaveProblem(ctxb, second)
	wantErr(t, err, chart.ECONFLICT, "")
	got := must(c.doc.Problems(ctxb, c.patient.ID))(t)
	if len(got) != 1 || got[0].Comment != "well controlled" || got[0].Version != 2 || got[0].CreatedBy != c.doc.User().ID {
		t.Fatalf("problems = %+v", got)
	}
}
