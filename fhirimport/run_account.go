package fhirimport

import (
	"context"
	"errors"

	"outpost/chart"
	"outpost/fhir"
)

// account counts what became of each of a patient's resources, from the
// mapper's outcomes and the store's.
func (r *importRun) account(g *gathered, outs []Outcome, out chart.ImportOutcome, err error) {
	all := g.all()
	if err != nil {
		r.report.Patients.Failed++
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			r.report.Cancelled = true
		}
		why := "this patient was not imported: " + chart.ErrorMessage(err)
		for _, it := range all {
			it.file.rep.count(it.res.Type, Failed, failText(it.res, why))
		}
		return
	}
	switch {
	case out.Held:
		r.report.Patients.Held++
	case out.Created:
		r.report.Patients.Created++
	default:
		r.report.Patients.Matched++
	}
	byAt := make(map[fhir.Location]Outcome, len(outs))
	for _, o := range outs {
		byAt[o.At] = o
	}
	allPresent := sum(out.Imported) == 0 && sum(out.AlreadyPresent) > 0
	for i, it := range all {
		o, ok := byAt[it.res.At]
		switch {
		case !ok:
			it.file.rep.count(it.res.Type, Failed, failText(it.res, "the mapper gave no account of this resource"))
		case o.Status == Skipped:
			it.file.rep.count(it.res.Type, Skipped, o.Reason)
		case o.Status == Failed:
			it.file.rep.count(it.res.Type, Failed, failText(it.res, o.Reason))
		case out.Held:
			it.file.rep.count(it.res.Type, Skipped, "held in the match queue for a person to say which chart it belongs to")
		case i == 0 && g.patient != nil:
			it.file.rep.count(it.res.Type, statusIf(out.Created), "")
		default:
			it.file.rep.count(it.res.Type, statusIf(!allPresent), "")
		}
	}
}

// statusIf is Imported when new, else merged (already in the chart).
func statusIf(isNew bool) Status {
	if isNew {
		return Imported
	}
	return merged
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
