// Command bench-check runs the local benchmarks listed in a budgets file,
// divides each figure by a yardstick (a fixed CPU workload) timed while it
// runs, and compares the result with the line's budget.
//
//	go run ./scripts/bench-check            # the gate: exits 1 on a regression beyond 25%
//	go run ./scripts/bench-check -report    # the make test report: fewer runs, never fails
//	go run ./scripts/bench-check -only 'sign-in|chart'
//
// To add a figure, add a line to docs/bench/budgets.tsv (its header says
// what each column is); run with -only NAME to see its normalised figure,
// and put that (or the goal it must meet) as its budget.
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// tolerance is how far above its budget a normalised figure may go before
// the gate fails: shared 2-core machines are noisy.
const tolerance = 1.25

func main() {
	budgets := flag.String("budgets", "docs/bench/budgets.tsv", "the budgets file")
	report := flag.Bool("report", false, "report only: the report benchtime of each line, one run, exit 0 whatever the verdicts")
	only := flag.String("only", "", "run only the lines whose name matches this regexp")
	flag.Parse()
	ok, err := check(*budgets, *report, *only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-check:", err)
	}
	switch {
	case *report:
		os.Exit(0)
	case err != nil:
		os.Exit(2)
	case !ok:
		os.Exit(1)
	}
}

func check(budgetsPath string, report bool, only string) (bool, error) {
	lines, err := readBudgets(budgetsPath)
	if err != nil {
		return false, err
	}
	if only != "" {
		re, err := regexp.Compile(only)
		if err != nil {
			return false, fmt.Errorf("-only: %w", err)
		}
		lines = filter(lines, func(l line) bool { return re.MatchString(l.name) })
	}
	if report {
		lines = filter(lines, func(l line) bool { return l.report != "-" })
	}
	dir, err := os.MkdirTemp("", "bench-check-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	var rows []row
	bins := map[string]string{}
	for _, l := range lines {
		r := measure(l, bins, dir, report)
		printRow(r, len(rows) == 0)
		rows = append(rows, r)
	}
	return summarise(rows), nil
}

// measure runs one line count times, reading the yardstick after each, and
// takes the medians of the per-run figures, yardsticks and normalised
// figures.
func measure(l line, bins map[string]string, dir string, report bool) row {
	r := row{line: l}
	bin, ok := bins[l.pkg]
	if !ok {
		if bin, r.err = compile(l.pkg, dir); r.err != nil {
			return r
		}
		bins[l.pkg] = bin
	}
	benchtime, count := l.gate, 3
	if report {
		benchtime, count = l.report, 1
	}
	var figures, yards, norms []float64
	for range count {
		vals, share, err := runBench(bin, l, benchtime, 1)
		if err != nil {
			r.err = err
			return r
		}
		figure, yard := median(vals), yardstick()
		figures, yards = append(figures, figure), append(yards, yard)
		norms = append(norms, normalise(figure, share, yard, l.metric))
	}
	r.figure, r.yard, r.normalised = median(figures), median(yards), median(norms)
	return r
}

// normalise turns a time figure (in ms) into yardstick units: a wall time
// times the share of a CPU the benchmark's process got (its CPU time over
// its wall time: on a loaded machine it waits, and the share drops as the
// figure grows), a CPU time as it is, divided by the yardstick's CPU time.
// Other metrics (bytes, allocations) do not depend on the machine and stay
// as they are.
func normalise(figure, share, yard float64, metric string) float64 {
	ms, isTime := inMillis(figure, metric)
	switch {
	case !isTime:
		return figure
	case isCPUTime(metric):
		return ms / yard // already CPU time: waiting does not count
	}
	return ms * share / yard
}

// isCPUTime reports whether a metric is CPU time rather than wall time
// (by name: index-cpu-ms/op). A benchmark of parallel work should report
// one: on a loaded machine its wall time swings with the cores it gets
// far more than the process's average CPU share can correct.
func isCPUTime(metric string) bool {
	return strings.Contains(metric, "cpu-")
}

func filter(ls []line, keep func(line) bool) []line {
	var out []line
	for _, l := range ls {
		if keep(l) {
			out = append(out, l)
		}
	}
	return out
}
