package sqlite

import (
	"fmt"
	"testing"

	"outpost/chart"
)

// BenchmarkInboxCounts: the top bar's count, which runs after every save
// and sync, over a practice holding 500 or 5,000 tasks (half of them done)
// and 50 unsigned notes. Counting opens every task: none is indexed in
// clear, so the cost grows with every task ever written.
//
//	go test -run '^$' -bench InboxCounts -benchtime 20x ./sqlite
func BenchmarkInboxCounts(b *testing.B) {
	for _, n := range []int{500, 5000} {
		b.Run(fmt.Sprint(n, "tasks"), func(b *testing.B) { benchInboxCounts(b, n) })
	}
}

func benchInboxCounts(b *testing.B, tasks int) {
	f := newFixture(b)
	doc := f.addUser(b, f.admin, "cleo", chart.RoleClinician, clinicianPass)
	s := f.signIn(b, "cleo", clinicianPass)
	p := register(b, s, samplePatient("Bench", "Mark"))
	enc := must(s.SaveEncounter(ctxb, sampleEncounter(p.ID)))(b)
	for i := range 50 {
		must(s.SaveNoteDraft(ctxb, sampleNote(p.ID, enc.ID, fmt.Sprint("draft ", i))))(b)
	}
	for i := range tasks {
		tk := must(s.SaveTask(ctxb, chart.Task{Text: fmt.Sprint("Task ", i), AssignedTo: doc.ID, PatientID: p.ID, Due: "2026-12-01"}))(b)
		if i%2 == 0 {
			must(s.MarkTask(ctxb, chart.TaskDone{ID: tk.ID, Version: tk.Version, Done: true}))(b)
		}
	}
	b.ResetTimer()
	for range b.N {
		c := must(s.InboxCounts(ctxb))(b)
		if c.Tasks != tasks/2 || c.Notes != 50 {
			b.Fatalf("counts %+v", c)
		}
	}
}
