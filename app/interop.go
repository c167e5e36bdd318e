package app

import (
	"context"
	"sync"

	"outpost/chart"
)

// Interop is bound to the frontend: Admin → Import & export (a practice
// migration or records from outside, with progress, cancel and the
// report), the match queue of incoming patients a person must place, the
// lab inbox (a watched folder of results from outside), and the FHIR
// export of one chart or the whole practice. The work itself is the
// importer's and exporter's (packages fhirimport, fhirexport) and the
// store's; this only runs it off the calls and reports.
type Interop struct {
	a *App
	importJob
	labWatch
}

// ImportFunc runs one import of the files or folders at paths into store,
// reporting progress; lab marks results from outside. main.go wires
// fhirimport.Run (tests pass the real one too).
type ImportFunc func(ctx context.Context, store chart.Session, paths []string, lab bool,
	progress func(chart.ImportProgress)) (*chart.ImportReport, error)

// EventImportStatus carries an ImportStatus when an import starts, moves
// on (at most about ten times a second) and ends.
const EventImportStatus = "import:status"

// ImportStatus is what Admin → Import shows.
type ImportStatus struct {
	Running  bool                 `json:"running"`
	Progress chart.ImportProgress `json:"progress"`
	// Report is the last import's, once it has ended (this session).
	Report *chart.ImportReport `json:"report,omitempty"`
	// Error is why the last import could not run at all.
	Error string `json:"error,omitempty"`
}

// importJob is the import under way, if any, and the last one's report.
type importJob struct {
	events   orderedEvent
	mu       sync.Mutex
	running  bool
	cancel   context.CancelFunc
	progress chart.ImportProgress
	report   *chart.ImportReport
	failure  string
}

// heldImports is the session's side of the match queue (the store checks
// the role and audits).
type heldImports interface {
	HeldImports(ctx context.Context) ([]chart.HeldImport, error)
	ResolveHeldImport(ctx context.Context, id string, opts chart.ImportOptions) (chart.ImportOutcome, error)
	DismissHeldImport(ctx context.Context, id, reason string) error
}

// labInboxSetter is the session's side of the lab inbox setting.
type labInboxSetter interface {
	SetLabInbox(ctx context.Context, l chart.LabInbox) (chart.LabInbox, error)
}

// labInboxReader is the workstation's side: the folder is read while
// locked too (the watcher waits for a sign-in, not for the setting).
type labInboxReader interface {
	LabInbox(ctx context.Context) (chart.LabInbox, error)
}
