package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"outpost/chart"
	"outpost/fhirimport"
)

// Imports run off the calls, one at a time, under the session that
// started them; charting goes on meanwhile (the store commits a patient
// at a time). Cancel stops between patients: every patient committed
// stays whole, and the report says the import was cancelled.

const importWhat = "import records"

// ImportStatus is the import under way or the last one's report.
func (i *Interop) ImportStatus() (ImportStatus, error) {
	return call(i.a, func(context.Context, chart.Session) (ImportStatus, error) { return i.importSnapshot(), nil })
}

// ChooseImportFile opens the file picker for a FHIR file; "" if cancelled.
func (i *Interop) ChooseImportFile() (string, error) {
	return ready(i.a, func(ctx context.Context) (string, error) {
		return i.a.dialogs().ChooseFile(ctx, "Choose a FHIR file to import", "FHIR JSON or NDJSON (.json, .ndjson, .gz)",
			"*.json;*.ndjson;*.json.gz;*.ndjson.gz;*.gz")
	})
}

// ChooseFolder opens the folder picker ("" if cancelled): a folder of FHIR
// files to import, where an export goes, the lab inbox.
func (i *Interop) ChooseFolder(title string) (string, error) {
	return ready(i.a, func(ctx context.Context) (string, error) { return i.a.dialogs().ChooseFolder(ctx, title) })
}

// StartImport begins importing the files or folders at paths
// (administrators: bringing a practice's records in is theirs to do).
func (i *Interop) StartImport(paths []string) (ImportStatus, error) {
	return call(i.a, func(_ context.Context, s chart.Session) (ImportStatus, error) {
		if !chart.Can(s.User().Role, chart.ActManagePractice) {
			return ImportStatus{}, chart.Errorf(chart.EFORBIDDEN, "Only an administrator can import records into the practice.")
		}
		clean, err := importPaths(paths)
		if err != nil {
			return ImportStatus{}, err
		}
		return i.importSnapshot(), i.startImport(s, clean, false, nil)
	})
}

// CancelImport asks the import under way to stop after the patient it is
// writing.
func (i *Interop) CancelImport() (ImportStatus, error) {
	return call(i.a, func(context.Context, chart.Session) (ImportStatus, error) {
		i.stopImport()
		return i.importSnapshot(), nil
	})
}

// SaveImportReport writes the last import's report as JSON into a folder
// the person chooses and returns the file's path ("" if cancelled). It is
// never written anywhere unasked: it names files and resources.
func (i *Interop) SaveImportReport() (string, error) {
	return call(i.a, func(ctx context.Context, _ chart.Session) (string, error) {
		i.importJob.mu.Lock()
		rep := i.report
		i.importJob.mu.Unlock()
		if rep == nil {
			return "", chart.Errorf(chart.ENOTFOUND, "There is no import report yet: run an import first.")
		}
		dir, err := i.a.dialogs().ChooseFolder(ctx, "Choose where to save the import report")
		if err != nil || dir == "" {
			return "", err
		}
		return writeReport(dir, rep)
	})
}

// writeReport saves rep as outpost-import-<id>.json in dir.
func writeReport(dir string, rep *chart.ImportReport) (string, error) {
	body, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode import report: %w", err)
	}
	path := filepath.Join(dir, "outpost-import-"+rep.StartedAt.UTC().Format("20060102-150405")+".json")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		return "", chart.Errorf(chart.EINVALID, "The report could not be saved in %s: %v. Choose another folder.", dir, err)
	}
	return path, nil
}

// importPaths trims the paths and checks each exists, before anything runs.
func importPaths(paths []string) ([]string, error) {
	var clean []string
	for _, p := range paths {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return nil, chart.FieldError("paths", "%s cannot be read: check the file or folder is there and the drive is plugged in.", p)
		}
		clean = append(clean, p)
	}
	if len(clean) == 0 {
		return nil, chart.FieldError("paths", "Choose a FHIR file or a folder of them to import.")
	}
	return clean, nil
}

// FHIRImport is the import the app runs unless Options.Import says
// otherwise: fhirimport.Run, with the signed-in session as its store.
func FHIRImport(ctx context.Context, s chart.Session, paths []string, lab bool, progress func(chart.ImportProgress)) (*chart.ImportReport, error) {
	store, ok := s.(fhirimport.Store)
	if !ok {
		return nil, chart.Errorf(chart.EINTERNAL, "This workstation cannot %s.", importWhat)
	}
	return fhirimport.Run(ctx, paths, store, fhirimport.RunOptions{By: s.User().Username, Lab: lab, Progress: progress})
}

// importer is Options.Import, else FHIRImport.
func (i *Interop) importer() ImportFunc {
	if i.a.opts.Import != nil {
		return i.a.opts.Import
	}
	return FHIRImport
}

// startImport claims the job and runs it in the background; done (if set)
// gets the report (the lab inbox uses it to tidy its folder).
func (i *Interop) startImport(s chart.Session, paths []string, lab bool, done func(*chart.ImportReport, error)) error {
	run := i.importer()
	ctx, cancel := context.WithCancel(i.a.ctx)
	i.importJob.mu.Lock()
	if i.running {
		i.importJob.mu.Unlock()
		cancel()
		return chart.Errorf(chart.ECONFLICT, "An import is already under way; wait for it to finish or cancel it.")
	}
	i.running, i.cancel, i.progress, i.failure = true, cancel, chart.ImportProgress{}, ""
	i.importJob.mu.Unlock()
	i.emitImport()
	i.a.background("import", func() {
		rep, err := i.runImport(ctx, run, s, paths, lab)
		cancel()
		i.importJob.mu.Lock()
		i.running, i.cancel = false, nil
		if rep != nil {
			i.report = rep
		}
		if err != nil {
			i.failure = chart.ErrorMessage(err)
			i.a.opts.Logger.Printf("import: %v", err)
		}
		i.importJob.mu.Unlock()
		i.emitImport()
		if done != nil {
			done(rep, err)
		}
	})
	return nil
}

// runImport runs the import, turning a panic into an error.
func (i *Interop) runImport(ctx context.Context, run ImportFunc, s chart.Session, paths []string, lab bool) (rep *chart.ImportReport, err error) {
	defer recoverTo(i.a.opts.Logger, &err)
	var last time.Time
	return run(ctx, s, paths, lab, func(p chart.ImportProgress) {
		i.importJob.mu.Lock()
		i.progress = p
		i.importJob.mu.Unlock()
		if time.Since(last) >= progressEvery {
			last = time.Now()
			i.emitImport()
		}
	})
}

// emitImport sends the import's status, in order (orderedEvent): the
// worker's last event (finished) was once sent before the start's
// (running), and the window stayed "importing" for good.
func (i *Interop) emitImport() {
	i.importJob.events.send(i.a, EventImportStatus, func() (any, bool) { return i.importSnapshot(), true })
}

func (i *Interop) importSnapshot() ImportStatus {
	i.importJob.mu.Lock()
	defer i.importJob.mu.Unlock()
	return ImportStatus{Running: i.running, Progress: i.progress,
		Report: i.report, Error: i.failure}
}

// stopImport cancels an import under way (the window is closing): the
// patient being written commits or rolls back whole.
func (i *Interop) stopImport() {
	i.importJob.mu.Lock()
	defer i.importJob.mu.Unlock()
	if i.cancel != nil {
		i.cancel()
	}
}
