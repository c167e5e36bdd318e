package sqlite

import (
	"context"

	"outpost/chart"
)

// A join's first sign-in merges every record the practice holds, most of
// them a single version. Merging each batch under a savepoint (so a bad
// record can be isolated) made SQLite keep a statement journal of every
// row written: ~15% of the first sign-in's CPU at 300 patients
// (docs/benchmarks.md). A batch of clinical records instead opens and
// merges all its records first, checks and all, writing nothing; only
// when every one of them succeeded are their rows written, with prepared
// statements, straight into the transaction (apply.MergeTouched, the
// clinical lane). If any record fails on its own account, nothing has
// been written and the batch takes the savepoint path, which isolates the
// bad record and merges the rest.

// bulkMerge turns the savepoint-free lanes on; tests turn it off to
// compare the chart it writes with the savepoint path's.
var bulkMerge = true

// kindPlan is a clinical record planned (planKind) and not yet written.
type kindPlan struct {
	a applyTx
	h kindHead
}

func (p kindPlan) Write(ctx context.Context) (*chart.Patient, int, error) {
	nc, err := p.a.s.writeKindHead(ctx, p.a.t, p.h)
	return nil, nc, err
}
