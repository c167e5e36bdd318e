package fhirimport

import (
	"context"

	"outpost/chart"
)

// BatchStore is a Store that commits several patients in one transaction,
// each patient still whole or not at all (a savepoint each), so a batch of
// small patients shares one commit and one sync of the disk. errs[i] is
// patient i's own failure (the others are committed); err is the batch's
// (nothing of it is committed). recs and opts are parallel.
type BatchStore interface {
	ImportPatients(ctx context.Context, recs []chart.PatientRecords, opts []chart.ImportOptions) (
		outs []chart.ImportOutcome, errs []error, err error)
}

// batchPatients and batchEntries bound a batch: most patients are a few
// hundred resources and their commit was most of their import; a batch
// holds its mapped records until it commits, and its patients are
// reported only then. (Variables so a test can batch big patients.)
var (
	batchPatients = 8
	batchEntries  = 2500
)

// batchLimit is how many patients a batch may hold: one for a store that
// commits one at a time (cancelling then stops after the patient it is on).
func (r *importRun) batchLimit() int {
	if _, ok := r.store.(BatchStore); ok {
		return batchPatients
	}
	return 1
}

// storedPatient is what the store made of one patient of a batch.
type storedPatient struct {
	out chart.ImportOutcome
	err error
}

// storeBatch writes the batch's importable patients: together when the
// store can, else (or when the batch as a whole failed) one at a time, so
// one patient's trouble never stops the others.
func (r *importRun) storeBatch(batch []*mapped) []storedPatient {
	stored := make([]storedPatient, len(batch))
	var recs []chart.PatientRecords
	var opts []chart.ImportOptions
	var at []int
	for i, m := range batch {
		switch {
		case m.g.patient == nil:
		case m.err != nil:
			stored[i].err = m.err
		default:
			recs, at = append(recs, m.recs), append(at, i)
			opts = append(opts, chart.ImportOptions{ImportID: r.report.ID, File: m.g.patient.file.path, Lab: r.opts.Lab})
		}
	}
	if bs, ok := r.store.(BatchStore); ok && len(recs) > 1 {
		outs, errs, err := bs.ImportPatients(r.ctx, recs, opts)
		if err == nil {
			for k, i := range at {
				stored[i] = storedPatient{outs[k], errs[k]}
			}
			return stored
		}
	}
	for k, i := range at {
		stored[i].out, stored[i].err = r.store.ImportPatient(r.ctx, recs[k], opts[k])
	}
	return stored
}
