package sqlite

import (
	"context"
	"strings"
	"testing"

	"outpost/chart"
)

// BenchmarkPullDelta applies an end of day's delta pull on B, S3's shapes
// (cmd/outpost-bench, editDelta) at a fifth of its size: each round A
// writes a new note on 100 patients, amends 90 vitals sets of 90 others
// (the old set entered in error and a new one) and retracts a medication
// of 10 more, and packs the audit entries these wrote, a batch per patient;
// B applies A's outbox as one page (its
// commit included). Only B's apply is measured; the metric is B's CPU per
// pull. After 30 rounds no more medications are retracted.
//
//	go test -run '^$' -bench PullDelta -benchtime 10x ./sqlite
func BenchmarkPullDelta(b *testing.B) {
	const noted, amended, retracted, rounds = 100, 90, 10, 30
	ctx := context.Background()
	c := newClinic(b)
	fb := joinPractice(b, c.fixture)
	type chartOf struct {
		p      chart.PatientID
		enc    chart.RecordID
		vitals chart.RecordID
		meds   []chart.RecordID // one to retract each round (rounds of them)
	}
	charts := make([]chartOf, noted+amended+retracted)
	for i := range charts {
		p := register(b, c.desk, samplePatient("Delta", "Pull")).ID
		enc := must(c.doc.SaveEncounter(ctx, sampleEncounter(p)))(b)
		v := must(c.nurse.RecordVitals(ctx, p, enc.ID, "", chart.VitalsEntry{HeartRate: reading(80)}))(b)
		charts[i] = chartOf{p: p, enc: enc.ID, vitals: v.ID}
		for range rounds * min(max(i+1-noted-amended, 0), 1) {
			m := must(c.doc.SaveMedication(ctx, sampleMed(p, "Metformin 500 MG Oral Tablet"), "a copy to retract each round"))(b)
			charts[i].meds = append(charts[i].meds, m.ID)
		}
	}
	if _, _, err := fb.admin.ApplyRemote(ctx, auditRoundPacked(b, c.admin), 1); err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Seen for follow-up; feels better, eating and sleeping well. ", 25)
	var cpu int64
	pulls := 0
	for b.Loop() {
		b.StopTimer()
		for i, ch := range charts {
			switch {
			case i < noted:
				must(c.doc.SaveNoteDraft(ctx, sampleNote(ch.p, ch.enc, text)))(b)
			case i < noted+amended:
				if err := c.nurse.MarkEnteredInError(ctx, chart.KindVitals, ch.vitals, "Amended: re-measured"); err != nil {
					b.Fatal(err)
				}
				charts[i].vitals = must(c.nurse.RecordVitals(ctx, ch.p, ch.enc, "", chart.VitalsEntry{HeartRate: reading(72)}))(b).ID
			case pulls < rounds:
				if err := c.doc.MarkEnteredInError(ctx, chart.KindMedication, ch.meds[pulls], "Entered for the wrong patient"); err != nil {
					b.Fatal(err)
				}
			}
		}
		page := auditRoundPacked(b, c.admin)
		b.StartTimer()
		cpu0 := processCPU()
		if _, _, err := fb.admin.ApplyRemote(ctx, page, int64(pulls+2)); err != nil {
			b.Fatal(err)
		}
		cpu += (processCPU() - cpu0).Nanoseconds()
		pulls++
	}
	var held int
	if err := fb.w.db.QueryRow(`SELECT count(*) FROM quarantine`).Scan(&held); err != nil || held != 0 {
		b.Fatalf("B held back %d changes (%v)", held, err)
	}
	b.ReportMetric(float64(cpu)/1e6/float64(pulls), "cpu-ms/pull")
}
