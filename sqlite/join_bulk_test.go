package sqlite

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// TestJoinBulkMergeWritesTheSameChart joins a practice twice, the first
// sign-in merging once through the savepoint path only and once with
// clinical batches written without a savepoint (sync_apply_bulk.go), over
// a random practice with field conflicts, merged patients and changes
// that are forged (a tag that does not match) or damaged (a good tag on
// content that does not open): both joined charts hold the same rows, the
// same conflicts and the same changes held back.
//
// Under -race one seed runs (the first sign-in plans patients on worker
// goroutines: the race detector has something to look at); `make sized`
// runs all three without it.
func TestJoinBulkMergeWritesTheSameChart(t *testing.T) {
	seeds := uint64(3)
	if raceSized() {
		seeds = 1
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { checkBulkJoinSeed(t, seed) })
	}
}

func checkBulkJoinSeed(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 12))
	c := newSyncedClinic(t)
	patients := []chart.PatientID{c.patient.ID}
	for i := range 4 + rng.IntN(4) {
		patients = append(patients, register(t, c.a.admin, samplePatient("Bulk", fmt.Sprintf("Joiner%d", i))).ID)
	}
	var problems []chart.Problem
	for i := range 20 + rng.IntN(20) {
		p := chart.Problem{Meta: chart.Meta{PatientID: patients[rng.IntN(len(patients))]}, Status: chart.ProblemActive,
			Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"},
			Comment:   fmt.Sprint("first words ", i)}
		problems = append(problems, must(c.docA.SaveProblem(ctxb, p))(t))
	}
	c.roundTrip(t)
	conflicting := 0
	for _, p := range problems {
		if rng.IntN(3) > 0 {
			continue
		}
		conflicting++
		pa := p
		pa.Comment = "A says " + fmt.Sprint(rng.Int())
		must(c.docA.SaveProblem(ctxb, pa))(t)
		onB := must(c.docB.Problems(ctxb, p.PatientID))(t)
		i := slices.IndexFunc(onB, func(q chart.Problem) bool { return q.ID == p.ID })
		onB[i].Comment = "B says " + fmt.Sprint(rng.Int())
		must(c.docB.SaveProblem(ctxb, onB[i]))(t)
	}
	must(c.a.admin.MergePatients(ctxb, patients[1], patients[2]))(t)
	c.roundTrip(t)
	c.b.sync(t)
	// Clean, every clinical batch is written in bulk; with bad changes
	// among them, the bulk path must give way to the savepoint path.
	clean := sameChartBothWays(t, c)
	if clean.conflicts == "" && conflicting > 0 || clean.held != "" {
		t.Fatalf("clean data set: %d conflicting edits gave conflicts %q, held back %q", conflicting, clean.conflicts, clean.held)
	}
	pushForgedAndDamaged(t, c, rng)
	if bad := sameChartBothWays(t, c); bad.held == "" {
		t.Fatal("no forged or damaged change held back")
	}
}

// sameChartBothWays joins c's practice through the savepoint path, then
// with bulk writes, and checks both charts are the same.
func sameChartBothWays(t *testing.T, c *syncedClinic) joinedChart {
	t.Helper()
	var charts [2]joinedChart
	for i, bulk := range []bool{false, true} {
		bulkMerge = bulk
		fj, _ := joinThroughServer(t, c.server)
		fj.signIn(t, "ada", adminPass)
		charts[i] = readJoinedChart(t, fj.w)
	}
	bulkMerge = true
	if charts[0] != charts[1] {
		t.Fatalf("savepoint path and bulk path wrote different charts:\nsavepoint %+v\nbulk      %+v", charts[0], charts[1])
	}
	return charts[0]
}

// pushForgedAndDamaged pushes, for a few problems, a copy under a new
// change id whose content was altered after tagging (its tag fails), and a
// copy holding another record's content under a good tag (it fails to
// open: the merge must isolate it), and such a copy of a patient.
func pushForgedAndDamaged(t *testing.T, c *syncedClinic, rng *rand.Rand) {
	t.Helper()
	log := slices.DeleteFunc(changeLog(t, c.a.w, chart.KindProblem), func(x wire.Change) bool {
		return x.DeviceID != c.docA.deviceID // the server takes from A only A's own
	})
	var bad []wire.Change
	for range 2 {
		x, y := log[rng.IntN(len(log))], log[rng.IntN(len(log))]
		forged := x
		forged.ChangeID, forged.Sealed = chart.NewChangeID(), append([]byte(nil), y.Sealed...)
		damaged := x
		damaged.ChangeID, damaged.Sealed = chart.NewChangeID(), append([]byte("x"), y.Sealed...)
		damaged.Auth = tagChange(c.docA.key, &damaged)
		bad = append(bad, forged, damaged)
	}
	// A patient's too: the patients' bulk path must give way as well.
	patients := slices.DeleteFunc(changeLog(t, c.a.w, kindPatient), func(x wire.Change) bool {
		return x.DeviceID != c.docA.deviceID
	})
	x, y := patients[0], patients[len(patients)-1]
	damaged := x
	damaged.ChangeID, damaged.Sealed = chart.NewChangeID(), append([]byte(nil), y.Sealed...)
	damaged.Auth = tagChange(c.docA.key, &damaged)
	bad = append(bad, damaged)
	if _, err := c.a.client.Push(ctxb, bad); err != nil {
		t.Fatalf("push bad changes: %v", err)
	}
}

// joinedChart is what a joined workstation holds, in comparable form.
type joinedChart struct{ records, conflicts, held string }

func readJoinedChart(t *testing.T, w *Workstation) joinedChart {
	t.Helper()
	return joinedChart{
		// A merged row is sealed anew (a fresh nonce): compare whether it
		// is its head's content as written, not its bytes.
		records: dumpRows(t, w, `SELECT r.id, r.kind, r.patient_id, r.version, r.head_change_id, r.locked, r.to_review,
			r.sealed = `+changeSealed("c")+`, r.sealed_summary IS NULL FROM records r JOIN changes c ON c.change_id = r.head_change_id ORDER BY r.id`),
		conflicts: dumpRows(t, w, `SELECT record_id, kind, count FROM record_conflicts ORDER BY record_id`),
		held:      dumpRows(t, w, `SELECT change_id, reason FROM quarantine ORDER BY change_id`),
	}
}

func dumpRows(t *testing.T, w *Workstation, query string) string {
	t.Helper()
	rows, err := w.db.QueryContext(ctxb, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := ""
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintln(vals...)
	}
	return out
}
