package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// line is one row of the budgets file: a figure to measure and what it may
// cost, in yardstick units.
type line struct {
	name      string
	pkg       string // as go test takes it: ./sqlite
	bench     string // the -bench regexp, sub-benchmarks after a slash
	metric    string // ns/op, or a custom metric such as index-ms/op
	gate      string // -benchtime for make bench-check (run -count 3)
	report    string // -benchtime for the make test report (-count 1); "-" skips the line there
	budget    float64
	goal      string
	sourceLin int
}

// readBudgets parses the budgets file: tab-separated columns name, package,
// benchmark, metric, gate benchtime, report benchtime, budget, goal; blank
// lines and lines starting with # are ignored.
func readBudgets(path string) ([]line, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read budgets: %w", err)
	}
	defer f.Close()
	var out []line
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		l, err := parseLine(text, n)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

func parseLine(text string, n int) (line, error) {
	var cols []string
	for _, c := range strings.Split(text, "\t") {
		if c = strings.TrimSpace(c); c != "" {
			cols = append(cols, c)
		}
	}
	if len(cols) < 7 {
		return line{}, fmt.Errorf("want 7 or 8 tab-separated columns (name, package, benchmark, metric, gate, report, budget[, goal]), got %d", len(cols))
	}
	budget, err := strconv.ParseFloat(cols[6], 64)
	if err != nil || budget <= 0 {
		return line{}, fmt.Errorf("budget %q is not a positive number of yardstick units", cols[6])
	}
	l := line{name: cols[0], pkg: cols[1], bench: cols[2], metric: cols[3], gate: cols[4], report: cols[5],
		budget: budget, sourceLin: n}
	if len(cols) > 7 {
		l.goal = strings.Join(cols[7:], " ")
	}
	if !strings.HasPrefix(l.pkg, "./") {
		return line{}, fmt.Errorf("package %q must be a path like ./sqlite", l.pkg)
	}
	return l, nil
}
