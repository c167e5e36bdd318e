package sqlite

import (
	"context"
	"fmt"
	"testing"

	"outpost/chart"
	"outpost/sync/apply"
)

// BenchmarkMergeTouchedRecord plans the merge of one pulled problem on B
// (planKind: open its versions, merge, build the row; what a delta pull
// does for each record it touches, its rows read up front as a pull's
// batch is), for a record of 1, 2 and
// 50 versions in one line, with the whole merge and with the delta merge.
// The metric is B's CPU per record.
//
//	go test -run '^$' -bench MergeTouchedRecord -count 3 ./sqlite
func BenchmarkMergeTouchedRecord(b *testing.B) {
	for _, versions := range []int{1, 2, 50} {
		for _, delta := range []bool{false, true} {
			name := map[bool]string{false: "whole", true: "delta"}[delta]
			b.Run(fmt.Sprintf("versions=%d/%s", versions, name), func(b *testing.B) {
				benchMergeTouched(b, versions, delta)
			})
		}
	}
}

func benchMergeTouched(b *testing.B, versions int, delta bool) {
	ctx := context.Background()
	fa := newFixture(b)
	fa.addUser(b, fa.admin, "cleo", chart.RoleClinician, clinicianPass)
	fb := joinPractice(b, fa)
	doc := fa.signIn(b, "cleo", clinicianPass)
	p := register(b, fa.admin, samplePatient("Bench", "Merge"))
	prob := must(doc.SaveProblem(ctx, chart.Problem{Meta: chart.Meta{PatientID: p.ID}, Status: chart.ProblemActive,
		Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"},
		Comment:   "A comment of about the length a clinician writes on a problem list entry."}))(b)
	for i := 1; i < versions; i++ {
		prob.Comment = fmt.Sprint("edit ", i, " of a comment of about the length a clinician writes")
		prob = must(doc.SaveProblem(ctx, prob))(b)
	}
	if _, _, err := fb.admin.ApplyRemote(ctx, changeLog(b, fa.w, kindPatient, chart.KindProblem), 1); err != nil {
		b.Fatal(err)
	}
	defer func(was bool) { deltaMerge = was }(deltaMerge)
	deltaMerge = delta
	s, km := fb.admin, kindMergers[chart.KindProblem]
	var cpu int64
	err := s.w.write(ctx, func(t *tx) error {
		// read up front, as a pull's batch is: the figure is the merge's
		pre, err := preload(ctx, t, []apply.Record{{Kind: chart.KindProblem, ID: string(prob.ID)}})
		if err != nil {
			return err
		}
		t.pre = pre
		defer func() { t.pre = nil }()
		cpu0 := processCPU()
		for b.Loop() {
			h, err := s.planKind(ctx, t, chart.KindProblem, string(prob.ID), km)
			if err != nil || !h.ready || h.row.version != int64(versions) {
				return fmt.Errorf("planned %+v: %w", h.row, err)
			}
		}
		cpu = (processCPU() - cpu0).Nanoseconds()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cpu)/1000/float64(b.N), "cpu-µs/record")
}
