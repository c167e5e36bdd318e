// Command outpost-bench measures Outpost's sync side by side with the
// PouchDB/CouchDB-replication baseline (../shared/bench-peers/pouchdb): the
// same records (its `node dump.js`), the same scenarios S1–S5, the same
// counters (seconds, bytes each way on the socket, HTTP requests, peak RSS
// of each workstation step's process and of the server). It is a developer
// tool, run by scripts/bench-sync.sh; it is not part of the product.
//
//	outpost-bench -dataset dataset.ndjson -server build/bin/outpost-server -work DIR \
//	    [-latency 300ms] [-step-limit 25m] [-out results.jsonl] [-table table.md] [-pouchdb pouchdb.jsonl]
//	outpost-bench -tabulate outpost.jsonl -pouchdb pouchdb.jsonl [-table table.md]
//	outpost-bench step OP ARGS-JSON    (internal: one workstation step in its own process)
//	outpost-bench wirebytes -db server.db -after N -upto M   (what a pull of those changes carries, wirebytes.go)
//	outpost-bench backup -dataset dataset.ndjson -work DIR [-runs 3] [-out results.jsonl]   (backup.go)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	_ "modernc.org/sqlite" // the bench reads stores read-only for its checks
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "step" {
		if err := runStep(os.Args[2], argOr(os.Args, 3)); err != nil {
			fmt.Fprintln(os.Stderr, "outpost-bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && subcommands[os.Args[1]] != nil {
		if err := subcommands[os.Args[1]](os.Args[2:]); err != nil {
			fmt.Fprintf(os.Stderr, "outpost-bench %s: %v\n", os.Args[1], err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "backup" {
		if err := mainBackup(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "outpost-bench backup:", err)
			os.Exit(1)
		}
		return
	}
	if err := mainBench(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "outpost-bench:", err)
		os.Exit(1)
	}
}

// subcommands are the developer tools beside the benchmark (wirebytes.go).
var subcommands = map[string]func(args []string) error{}

func argOr(a []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	return "{}"
}

func mainBench(args []string) error {
	fs := flag.NewFlagSet("outpost-bench", flag.ContinueOnError)
	var cfg config
	fs.StringVar(&cfg.Dataset, "dataset", "", "NDJSON data set written by the harness's `node dump.js`")
	fs.StringVar(&cfg.ServerBin, "server", "", "the outpost-server binary")
	fs.StringVar(&cfg.Work, "work", "", "work directory (wiped first)")
	fs.StringVar(&cfg.Out, "out", "", "also write the JSON lines here")
	fs.StringVar(&cfg.Table, "table", "", "write the side-by-side Markdown table here")
	fs.StringVar(&cfg.Pouch, "pouchdb", "", "the PouchDB harness's JSON lines from the same run")
	fs.DurationVar(&cfg.Latency, "latency", 300e6, "added per request in S5")
	// The 10x data set's S0 (400,000 audited saves) outlasted a fixed 25 minutes
	// on a loaded machine: the cap follows the run's own limit (scripts/bench-sync.sh).
	fs.DurationVar(&cfg.StepLimit, "step-limit", 25*time.Minute, "kill a workstation step after this long")
	tabulate := fs.String("tabulate", "", "only print the table for these Outpost JSON lines (with -pouchdb, -table)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tabulate != "" {
		ours, err := readJSONL(*tabulate)
		if err != nil {
			return err
		}
		return writeTable(cfg.Pouch, ours, cfg.Table)
	}
	if cfg.Dataset == "" || cfg.ServerBin == "" || cfg.Work == "" {
		fs.Usage()
		return fmt.Errorf("-dataset, -server and -work are required")
	}
	var out io.Writer = os.Stdout
	if cfg.Out != "" {
		f, err := os.Create(cfg.Out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = io.MultiWriter(os.Stdout, f)
	}
	return run(cfg, out)
}
