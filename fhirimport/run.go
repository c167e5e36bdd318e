package fhirimport

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"outpost/chart"
	"outpost/fhir"
)

// MapFunc maps one patient's resources to the chart (MapPatient).
type MapFunc func(g PatientGroup, r Resolver, ids IDs) (chart.PatientRecords, []Outcome)

// RunOptions tune one import run.
type RunOptions struct {
	// By names who runs the import (ImportReport.By).
	By string
	// Lab: the files are results from outside (a lab): patients must match
	// an existing chart, and results are shown as external.
	Lab bool
	// Progress, when set, is called after each file of the first pass and
	// after each patient.
	Progress func(chart.ImportProgress)
	// Map maps a patient's resources; nil means MapPatient.
	Map MapFunc
	// GroupBytes bounds the JSON held while gathering patients from files
	// that hold many of them (NDJSON): patients are gathered in chunks of
	// about this many bytes, re-reading those files once per chunk.
	// Default 64 MB.
	GroupBytes int64
	// MemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit)
	// held while the import runs, so that garbage is collected before the
	// heap grows far past what is live: a 60 MB Bundle peaks at about
	// 325 MB instead of 516 MB, at the same speed (docs/benchmarks.md).
	// 0 means DefaultMemoryLimit; a lower limit the process already has
	// is kept; negative leaves the process's setting alone.
	MemoryLimit int64
}

// DefaultMemoryLimit is the import's soft memory limit.
const DefaultMemoryLimit = 350 << 20

// sharedTypes are resources many patients point at: indexed across all
// files in the first pass, and named by the mapper (a prescriber, a lab),
// not kept as chart records of their own.
var sharedTypes = map[string]bool{"Practitioner": true, "PractitionerRole": true, "Organization": true,
	"Location": true, "Medication": true}

// Run imports FHIR files (Bundles of any type or Bulk NDJSON, gzip or not,
// files or folders) into the store, a patient at a time, and accounts for
// every resource read in the report: Read = Imported + Merged + Skipped +
// Failed, per file and type. A file that is not valid JSON is reported
// with its line and nothing of it is written; one patient's failure
// (mapping or store) fails that patient's resources and the run goes on.
// A cancelled ctx stops the run between patients: every patient already
// committed is whole, and the report says Cancelled. The error is for a
// run that could not start (no files, no mapper).
func Run(ctx context.Context, paths []string, store Store, opts RunOptions) (*chart.ImportReport, error) {
	if opts.Map == nil {
		opts.Map = MapPatient
	}
	files, err := fhir.FindFiles(paths)
	if err != nil {
		return nil, chart.Errorf(chart.EINVALID, "%v", err)
	}
	if len(files) == 0 {
		return nil, chart.Errorf(chart.EINVALID, "no FHIR files (.json, .ndjson, .json.gz, .ndjson.gz) found in %v", paths)
	}
	if opts.GroupBytes <= 0 {
		opts.GroupBytes = 64 << 20
	}
	defer limitMemory(opts.MemoryLimit)()
	r := newRun(ctx, store, opts, files)
	mem := startHeapWatch()
	r.scan()
	r.importPatients()
	r.finish(mem.stop())
	return r.report, nil
}

// limitMemory sets the soft memory limit for a run and returns what puts
// the previous one back. A soft limit never fails an allocation: past it
// the collector only works harder.
func limitMemory(limit int64) (restore func()) {
	if limit < 0 {
		return func() {}
	}
	if limit == 0 {
		limit = DefaultMemoryLimit
	}
	prev := debug.SetMemoryLimit(-1)
	if prev <= limit {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

// importRun is one run's state.
type importRun struct {
	ctx      context.Context
	store    Store
	opts     RunOptions
	ids      IDs
	report   *chart.ImportReport
	files    []*inputFile
	byPath   map[string]*inputFile
	shared   *Index
	patients []*patientSlot
	// alias finds a patient by fullUrl or "Patient/id".
	alias    map[string]*patientSlot
	progress chart.ImportProgress
	// keeping: the first pass still keeps one-patient Bundles' resources
	// for the second (keepFound); keptBytes is how much JSON it has kept.
	keeping   atomic.Bool
	keptBytes int64
}

func newRun(ctx context.Context, store Store, opts RunOptions, paths []string) *importRun {
	r := &importRun{ctx: ctx, store: store, opts: opts, ids: store.ImportIDs(), shared: NewIndex(),
		byPath: map[string]*inputFile{}, alias: map[string]*patientSlot{}}
	r.report = &chart.ImportReport{ID: uuid.NewString(), StartedAt: time.Now().UTC(), By: opts.By,
		Totals: map[string]*chart.TypeCounts{}}
	for _, p := range paths {
		f := &inputFile{path: p, rep: newReportFile(p)}
		f.size = fileSize(p)
		r.files = append(r.files, f)
		r.byPath[p] = f
		r.progress.Bytes += 2 * f.size // read once to index, once to import
	}
	r.progress.Files = len(paths)
	return r
}

func (r *importRun) cancelled() bool {
	if r.ctx.Err() != nil {
		r.report.Cancelled = true
		return true
	}
	return false
}

func (r *importRun) tell() {
	if r.opts.Progress != nil {
		r.progress.BytesDone = min(r.progress.BytesDone, r.progress.Bytes)
		r.opts.Progress(r.progress)
	}
}

// finish totals the report.
func (r *importRun) finish(peak uint64) {
	rep := r.report
	for _, f := range r.files {
		f.rep.close()
		rep.Files = append(rep.Files, f.rep.FileReport)
		for typ, c := range f.rep.Types {
			t := rep.Totals[typ]
			if t == nil {
				t = &chart.TypeCounts{}
				rep.Totals[typ] = t
			}
			addCounts(t, c)
			rep.Entries += c.Read
		}
	}
	rep.FinishedAt = time.Now().UTC()
	rep.Seconds = rep.FinishedAt.Sub(rep.StartedAt).Seconds()
	rep.PeakHeap = peak
}

// problemText is a problem for the report: where, what, which rule.
func problemText(p fhir.Problem) string {
	return fmt.Sprintf("%s: %s (%s)", p.At, p.Message, p.Rule)
}
