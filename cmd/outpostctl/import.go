package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"outpost/chart"
	"outpost/fhirimport"
)

// The import subcommand registers itself so that main.go's table (which
// other subcommands edit too) stays as it is.
func init() {
	commands["import"] = command{"import [-data DIR] -user USERNAME [-report FILE] [-lab] PATH…\n" +
		"                                     import FHIR R4 files (Bundles or Bulk NDJSON, gzip or not, files or folders)", cmdImport}
}

// cmdImport imports FHIR files as the signed-in user: each patient whole
// or not at all, a broken file refused with its line, a summary printed
// and the full report written as JSON where asked. It fails (exit 1) when
// a file or resource failed, after printing and writing the report, so
// scripts notice.
func cmdImport(ctx context.Context, args []string, out io.Writer) error {
	fs, data := flags("import")
	user := fs.String("user", "", "who imports (their username); the passphrase comes from $OUTPOST_PASSPHRASE or is asked")
	reportPath := fs.String("report", "", "write the full report here as JSON")
	lab := fs.Bool("lab", false, "the files are a lab's results: match existing patients only, show results as external")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the import here (for go tool pprof)")
	if err := parse(fs, args); err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if *user == "" || fs.NArg() == 0 {
		return fmt.Errorf("%w: give -user and at least one file or folder", errUsage)
	}
	sess, done, err := signIn(ctx, *data, *user)
	if err != nil {
		return err
	}
	defer done()
	store, ok := sess.(fhirimport.Store)
	if !ok {
		return errors.New("this build's chart store cannot import (Session.ImportPatient is missing)")
	}
	p := &progressPrinter{out: out}
	rep, err := fhirimport.Run(ctx, fs.Args(), store, fhirimport.RunOptions{By: *user, Lab: *lab, Progress: p.show})
	if err != nil {
		return err
	}
	printSummary(out, rep)
	if *reportPath != "" {
		if err := writeReport(*reportPath, rep); err != nil {
			return err
		}
		fmt.Fprintf(out, "Report written to %s\n", *reportPath)
	}
	return importVerdict(rep)
}

// progressPrinter prints a line per file read and then about every two
// seconds of importing.
type progressPrinter struct {
	out       io.Writer
	filesDone int
	last      time.Time
}

func (p *progressPrinter) show(g chart.ImportProgress) {
	switch {
	case g.Patients == 0 && g.FilesDone != p.filesDone:
		p.filesDone = g.FilesDone
		fmt.Fprintf(p.out, "Read %d of %d files (%s)\n", g.FilesDone, g.Files, filepath.Base(g.File))
	case g.Patients > 0 && time.Since(p.last) > 2*time.Second:
		p.last = time.Now()
		fmt.Fprintf(p.out, "Imported %d patients, %d resources (%d%%)\n", g.Patients, g.Entries, percent(g.BytesDone, g.Bytes))
	}
}

func percent(done, all int64) int64 {
	if all == 0 {
		return 100
	}
	return done * 100 / all
}

// printSummary prints the patients, the counts by type, and what failed.
func printSummary(out io.Writer, rep *chart.ImportReport) {
	if rep.Cancelled {
		fmt.Fprintln(out, "The import was cancelled: the patients imported before it stopped are complete.")
	}
	pt := rep.Patients
	fmt.Fprintf(out, "Patients: %d new, %d matched to existing charts, %d held for a person to match, %d failed\n",
		pt.Created, pt.Matched, pt.Held, pt.Failed)
	types := make([]string, 0, len(rep.Totals))
	for t := range rep.Totals {
		types = append(types, t)
	}
	sort.Strings(types)
	fmt.Fprintf(out, "%-26s %8s %8s %8s %8s %8s\n", "Resource type", "read", "imported", "merged", "skipped", "failed")
	for _, t := range types {
		c := rep.Totals[t]
		fmt.Fprintf(out, "%-26s %8d %8d %8d %8d %8d\n", t, c.Read, c.Imported, c.Merged, c.Skipped, c.Failed)
	}
	for _, f := range rep.Files {
		if f.Error != "" {
			fmt.Fprintf(out, "NOT IMPORTED %s\n", f.Error)
		}
	}
	for _, t := range types {
		for _, e := range rep.Totals[t].Errors {
			fmt.Fprintf(out, "FAILED %s\n", e)
		}
	}
	unresolved := 0
	for _, f := range rep.Files {
		unresolved += len(f.Unresolved)
	}
	if unresolved > 0 {
		fmt.Fprintf(out, "%d references could not be resolved (listed in the report)\n", unresolved)
	}
	rate := 0.0
	if rep.Seconds > 0 {
		rate = float64(rep.Entries) / rep.Seconds
	}
	fmt.Fprintf(out, "%d resources in %.1f s (%.0f a second), peak memory %d MB\n",
		rep.Entries, rep.Seconds, rate, rep.PeakHeap>>20)
}

// writeReport writes the report as JSON, whole or not at all.
func writeReport(path string, rep *chart.ImportReport) error {
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}

// importVerdict fails the command when something was not imported.
func importVerdict(rep *chart.ImportReport) error {
	badFiles, failed := 0, 0
	for _, f := range rep.Files {
		if f.Error != "" {
			badFiles++
		}
	}
	for _, c := range rep.Totals {
		failed += c.Failed
	}
	switch {
	case rep.Cancelled:
		return chart.Errorf(chart.EINVALID, "the import was cancelled")
	case badFiles > 0 || failed > 0:
		return chart.Errorf(chart.EINVALID, "%d files could not be read and %d resources failed: see above", badFiles, failed)
	}
	return nil
}
