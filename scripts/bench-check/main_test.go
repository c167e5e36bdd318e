package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The repository's budgets file parses, and every line names a package
// that exists and a benchmark regexp that compiles: a typo in a new line
// fails here, not in the middle of a gate run.
func TestBudgetsFileIsValid(t *testing.T) {
	lines, err := readBudgets("../../docs/bench/budgets.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 {
		t.Fatal("no budget lines")
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l.name] {
			t.Errorf("line %d: name %q used twice", l.sourceLin, l.name)
		}
		seen[l.name] = true
		if st, err := os.Stat(filepath.Join("../..", l.pkg)); err != nil || !st.IsDir() {
			t.Errorf("line %d: package %s not found", l.sourceLin, l.pkg)
		}
		for _, part := range strings.Split(l.bench, "/") {
			if _, err := regexp.Compile(part); err != nil {
				t.Errorf("line %d: benchmark %q: %v", l.sourceLin, l.bench, err)
			}
		}
	}
}

func TestParseLineRefusesBadLines(t *testing.T) {
	for _, text := range []string{
		"name\t./sqlite\t^BenchmarkX$\tns/op\t5x\t1x",       // no budget
		"name\t./sqlite\t^BenchmarkX$\tns/op\t5x\t1x\tfast", // not a number
		"name\t./sqlite\t^BenchmarkX$\tns/op\t5x\t1x\t-2",   // not positive
		"name\tsqlite\t^BenchmarkX$\tns/op\t5x\t1x\t2",      // not ./path
	} {
		if _, err := parseLine(text, 1); err == nil {
			t.Errorf("accepted %q", text)
		}
	}
	l, err := parseLine("sign-in\t./sqlite\t^BenchmarkSignInIndex$\tindex-ms/op\t5x\t1x\t2.5\tunder 400 ms", 1)
	if err != nil || l.budget != 2.5 || l.goal != "under 400 ms" || l.report != "1x" {
		t.Fatalf("parsed %+v, %v", l, err)
	}
}

func TestParseMetricAndUnits(t *testing.T) {
	out := `goos: linux
BenchmarkSignInIndex-2   	       5	4334285859 ns/op	      2815 index-ms/op	      1519 unwrap-ms/op
BenchmarkSignInIndex-2   	       5	5560351016 ns/op	      3313 index-ms/op	      2247 unwrap-ms/op
PASS`
	got := parseMetric(out, "index-ms/op")
	if len(got) != 2 || got[0] != 2815 || got[1] != 3313 {
		t.Fatalf("index-ms/op = %v", got)
	}
	if v := parseMetric(out, "ns/op"); len(v) != 2 || v[0] != 4334285859 {
		t.Fatalf("ns/op = %v", v)
	}
	for metric, want := range map[string]float64{"ns/op": 2e-3, "index-ms/op": 2000, "B/op": 2000} {
		ms, isTime := inMillis(2000, metric)
		if ms != want || isTime != (metric != "B/op") {
			t.Errorf("inMillis(2000, %s) = %v, %v", metric, ms, isTime)
		}
	}
	if n := normalise(300, 0.5, 50, "index-cpu-ms/op"); n != 6 {
		t.Errorf("a CPU time is not scaled by the share: %v", n)
	}
	if n := normalise(300, 0.5, 50, "index-ms/op"); n != 3 {
		t.Errorf("a wall time is scaled by the share: %v", n)
	}
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median = %v", m)
	}
}

// The gate fails a figure more than 25% over its budget, or a line that
// did not run, and passes one within the tolerance (make bench-check exits
// 1 when summarise says false).
func TestGateFailsARegressionBeyondTolerance(t *testing.T) {
	budget := line{budget: 0.1}
	cases := []struct {
		name string
		r    row
		pass bool
		word string
	}{
		{"on budget", row{line: budget, normalised: 0.1}, true, "ok"},
		{"24% over", row{line: budget, normalised: 0.124}, true, "ok"},
		{"26% over", row{line: budget, normalised: 0.126}, false, "REGRESSION (+26%)"},
		{"did not run", row{line: budget, err: os.ErrNotExist}, false, "ERROR"},
		{"far under", row{line: budget, normalised: 0.05}, true, "ok, 50% under budget: tighten it"},
	}
	for _, c := range cases {
		if got := summarise([]row{c.r}); got != c.pass {
			t.Errorf("%s: gate passes %v, want %v", c.name, got, c.pass)
		}
		if got := c.r.verdict(); got != c.word {
			t.Errorf("%s: verdict %q, want %q", c.name, got, c.word)
		}
	}
	if summarise([]row{{line: budget, normalised: 0.1}, {line: budget, normalised: 0.2}}) {
		t.Error("one regression among several lines passed the gate")
	}
}
