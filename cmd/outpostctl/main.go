// Command outpostctl administers a workstation's chart store from a shell:
// for a practice's IT helper, scripts and tests. The backup commands never
// need the practice key and show no health data; export signs in as a user
// and is audited as that user's disclosure.
//
//	outpostctl backup [-data DIR] [-out FOLDER]   back up the chart now (as the daily backup does)
//	outpostctl verify [-data DIR] FILE…           check backup files (checksum, integrity, counts, audit chain)
//	outpostctl list   FOLDER                      list the backups in a folder, newest first
//	outpostctl export -user NAME -out DIR [-patient MRN] [-format bundle|ndjson]
//	                                              write charts as FHIR R4 (audited as a disclosure)
//	outpostctl init   -data DIR -practice NAME -admin USERNAME   create a workstation's chart
//	outpostctl cdsi   -cases DIR [-report FILE]  run CDC CDSi immunization test cases
//
// DIR is the chart's folder (as the app's -data or OUTPOST_DATA_DIR; the
// per-user default otherwise). Each subcommand is one entry of commands, so
// more (imports) slot in beside them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"outpost/chart"
	"outpost/sqlite"
)

// command is one subcommand: its one-line usage and what it runs.
type command struct {
	usage string
	run   func(ctx context.Context, args []string, out io.Writer) error
}

var commands = map[string]command{
	"backup": {"backup [-data DIR] [-out FOLDER]   back up the chart now to FOLDER (default: the workstation's backup folder)", cmdBackup},
	"verify": {"verify [-data DIR] FILE…           check backup files: checksum, integrity, counts, audit chain", cmdVerify},
	"list":   {"list FOLDER                        list the backups in FOLDER, newest first", cmdList},
	"export": {"export [-data DIR] -user USERNAME -out DIR [-patient MRN] [-format bundle|ndjson] [-purpose TEXT]\n" +
		"                                     write charts as FHIR R4: a Bundle per patient, or Bulk Data NDJSON and a manifest", cmdExport},
	"init": {"init -data DIR -practice NAME -admin USERNAME [-name FULL NAME]   create a workstation's chart " +
		"(passphrase from $OUTPOST_PASSPHRASE or asked); prints the recovery key", cmdInit},
	"cdsi": {"cdsi -cases DIR [-report FILE]       run the CDC's CDSi immunization test cases (.jsonl) in DIR; " +
		"ends with \"N passed, M failed\"", cmdCDSI},
}

// errUsage makes run print the usage text.
var errUsage = errors.New("bad usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := errUsage
	if len(args) > 0 {
		if c, ok := commands[args[0]]; ok {
			err = c.run(ctx, args[1:], stdout)
		}
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, usage())
		return 2
	default:
		fmt.Fprintln(stderr, "outpostctl:", chart.ErrorMessage(err))
		if chart.ErrorCode(err) == chart.EINTERNAL {
			fmt.Fprintln(stderr, "  detail:", err)
		}
		return 1
	}
}

func usage() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  outpostctl %s\n", commands[n].usage)
	}
	return b.String()
}

// flags is a flag set with the common -data flag.
func flags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", os.Getenv("OUTPOST_DATA_DIR"), "the chart's folder (default: $OUTPOST_DATA_DIR, else the per-user one)")
	return fs, data
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// chartPath is the chart.db in dir, or the per-user default.
func chartPath(dir string) (string, error) {
	if dir == "" {
		return sqlite.DefaultPath()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(abs, "chart.db"), nil
}

// openExisting opens the chart store at dir, refusing to create one.
func openExisting(ctx context.Context, dir string) (*sqlite.Workstation, error) {
	path, err := chartPath(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no chart at %s (give its folder with -data): %w", path, err)
	}
	return sqlite.OpenWorkstation(ctx, path, sqlite.Options{})
}
