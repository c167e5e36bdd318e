package main

import (
	"fmt"
	"os"
	"strings"
)

// row is one measured line.
type row struct {
	line
	figure     float64 // median of the runs, in the line's metric
	yard       float64 // yardstick: CPU ms of the fixed workload
	normalised float64 // figure × CPU share / yard: yardstick units
	err        error
}

// failed says the line fails the gate: it did not run, or it is over its
// budget by more than the tolerance.
func (r row) failed() bool { return r.err != nil || r.normalised > r.budget*tolerance }

// verdict compares the normalised figure with the budget.
func (r row) verdict() string {
	switch {
	case r.err != nil:
		return "ERROR"
	case r.failed():
		return fmt.Sprintf("REGRESSION (+%.0f%%)", (r.normalised/r.budget-1)*100)
	case r.normalised < r.budget*tightenBelow:
		return fmt.Sprintf("ok, %.0f%% under budget: tighten it", (1-r.normalised/r.budget)*100)
	}
	return "ok"
}

// tightenBelow: a figure this far under its budget (beyond the noise of a
// shared machine) suggests the budget is stale.
const tightenBelow = 0.6

const rowFormat = "%-22s %20s %10s %12s %10s  %s\n"

func printRow(r row, header bool) {
	if header {
		fmt.Printf(rowFormat, "figure", "measured", "yardstick", "normalised", "budget", "verdict")
		fmt.Printf(rowFormat, strings.Repeat("-", 22), strings.Repeat("-", 20), strings.Repeat("-", 10),
			strings.Repeat("-", 12), strings.Repeat("-", 10), strings.Repeat("-", 7))
	}
	measured, norm := "-", "-"
	if r.err == nil {
		measured, norm = fmt.Sprintf("%s %s", short(r.figure), r.metric), short(r.normalised)
	}
	fmt.Printf(rowFormat, r.name, measured, fmt.Sprintf("%.1f ms", r.yard), norm, short(r.budget), r.verdict())
	if r.err != nil {
		fmt.Fprintln(os.Stderr, r.err)
	}
}

// short prints a figure with three significant digits.
func short(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// summarise prints the closing line and reports whether every line is
// within tolerance.
func summarise(rows []row) bool {
	bad := 0
	for _, r := range rows {
		if r.failed() {
			bad++
		}
	}
	fmt.Printf("\n%d figures, %d over budget by more than %.0f%% or failed (normalised = wall ms × the process's CPU share, or CPU ms, / yardstick CPU ms; budgets in docs/bench/budgets.tsv)\n",
		len(rows), bad, (tolerance-1)*100)
	return bad == 0
}
