package sqlite

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"outpost/chart"
)

// editProblem saves one more version of problem id on s, as the
// workstation holds it now.
func editProblem(t *testing.T, s *Session, patient chart.PatientID, id chart.RecordID, comment string) chart.Problem {
	t.Helper()
	list := must(s.Problems(ctxb, patient))(t)
	i := slices.IndexFunc(list, func(p chart.Problem) bool { return p.ID == id })
	if i < 0 {
		t.Fatalf("problem %s is not on the chart", id)
	}
	list[i].Comment = comment
	return must(s.SaveProblem(ctxb, list[i]))(t)
}

// A record edited many times and pulled once more opens the new version
// only (issue #12): on the whole merge B opened all 13 versions of it.
func TestDeltaPullOpensOnlyTheNewVersions(t *testing.T) {
	c := newSyncedClinic(t)
	p := c.patient.ID
	prob := must(c.docA.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p}, Status: chart.ProblemActive,
		Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"}}))(t)
	for i := range 11 {
		editProblem(t, c.docA, p, prob.ID, fmt.Sprint("edit ", i))
	}
	c.roundTrip(t)
	editProblem(t, c.docA, p, prob.ID, "the day's amendment")
	c.a.sync(t)
	before := versionsOpened.Load()
	c.b.sync(t)
	if opened := versionsOpened.Load() - before; opened != 1 {
		t.Fatalf("B's pull of one new version of a problem with 12 opened %d versions, want 1", opened)
	}
	onB := must(c.docB.Problems(ctxb, p))(t)
	if len(onB) != 1 || onB[0].Comment != "the day's amendment" || onB[0].Version != 13 {
		t.Fatalf("B shows %+v", onB)
	}
}

// The delta merge and the whole merge write the same chart: two readers
// pull the same rounds of A's and B's edits (lines, concurrent edits,
// their resolutions, retractions, new notes signed or not, new results),
// one with each merge, and hold the same rows, note summaries, conflicts
// and held-back changes after every round.
func TestDeltaMergeWritesTheSameChart(t *testing.T) {
	c := newSyncedClinic(t)
	defer func() { deltaMerge = true }()
	var readers [2]syncingWorkstation
	for i := range readers {
		f := joinPractice(t, c.a.fixture)
		readers[i] = syncingWorkstation{f, c.server.enroll(t, f.admin)}
	}
	rng := rand.New(rand.NewPCG(12, 6))
	p := c.patient.ID
	var ids []chart.RecordID
	for i := range 8 {
		ids = append(ids, must(c.docA.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p},
			Status: chart.ProblemActive, Comment: fmt.Sprint("first ", i),
			Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"}}))(t).ID)
	}
	c.roundTrip(t)
	opened := [2]int64{}
	for round := range 8 {
		for _, id := range ids {
			switch rng.IntN(5) {
			case 0, 1: // an edit on A only: a line
				editProblem(t, c.docA, p, id, fmt.Sprint("A ", round))
			case 2: // concurrent edits: a conflict
				editProblem(t, c.docA, p, id, fmt.Sprint("A ", round))
				editProblem(t, c.docB, p, id, fmt.Sprint("B ", round))
			case 3: // retracted on B
				list := must(c.docB.Problems(ctxb, p))(t)
				if i := slices.IndexFunc(list, func(q chart.Problem) bool { return q.ID == id }); i >= 0 {
					list[i].EnteredInError = &chart.EnteredInError{Reason: fmt.Sprint("round ", round)}
					must(c.docB.SaveProblem(ctxb, list[i]))(t)
				}
			}
		}
		// New notes (a signable kind: one version takes the delta merge, a
		// line of more the whole one) and results (derived to_review).
		enc := must(c.docA.SaveEncounter(ctxb, sampleEncounter(p)))(t)
		note := must(c.docA.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, fmt.Sprint("round ", round))))(t)
		if round%2 == 0 {
			must(c.docA.SignNote(ctxb, note.ID, note.Version))(t)
		}
		must(c.docA.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Hb"},
			Value: fmt.Sprint(10 + round)}))(t)
		c.roundTrip(t)
		var charts [2]joinedChart
		var notes [2]string
		for i, delta := range []bool{true, false} {
			deltaMerge = delta
			before := versionsOpened.Load()
			readers[i].sync(t)
			opened[i] += versionsOpened.Load() - before
			charts[i] = readJoinedChart(t, readers[i].w)
			// the sealed note summaries, as the notes list opens them
			notes[i] = string(must(json.Marshal(must(noteHeadersWhere(ctxb, readers[i].w.db, readers[i].admin.key, "1 = 1"))(t)))(t))
		}
		deltaMerge = true
		if notes[0] != notes[1] {
			t.Fatalf("round %d: the note summaries differ:\ndelta %s\nwhole %s", round, notes[0], notes[1])
		}
		if charts[0] != charts[1] {
			t.Fatalf("round %d: the delta merge and the whole merge wrote different charts:\ndelta %+v\nwhole %+v",
				round, charts[0], charts[1])
		}
	}
	if opened[0] >= opened[1] {
		t.Fatalf("the delta merge opened %d versions, the whole merge %d", opened[0], opened[1])
	}
	t.Logf("versions opened: delta merge %d, whole merge %d", opened[0], opened[1])
}

// Only a kind whose versions can be signed keeps the whole merge for a
// line of history: the delta merge would show the last version where the
// earliest signing must win.
func TestDeltaMergeSignableKinds(t *testing.T) {
	var signable []string
	for kind, km := range kindMergers {
		if km.signable {
			signable = append(signable, kind)
		}
	}
	if fmt.Sprint(signable) != fmt.Sprint([]string{chart.KindNote}) {
		t.Fatalf("signable kinds %v, want only %s", signable, chart.KindNote)
	}
}
