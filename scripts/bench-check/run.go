package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// compile builds the test binary of pkg once into dir, so that each line's
// run measures the benchmark and not the compiler.
func compile(pkg, dir string) (string, error) {
	bin := filepath.Join(dir, strings.NewReplacer("/", "_", ".", "_").Replace(pkg)+".test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("compile %s: %w", pkg, err)
	}
	return bin, nil
}

// runBench runs one line's benchmark in its package directory and returns
// the metric of each run (one per -count).
func runBench(bin string, l line, benchtime string, count int) (vals []float64, share float64, err error) {
	cmd := exec.Command(bin, "-test.run", "^$", "-test.bench", l.bench, "-test.benchtime", benchtime,
		"-test.count", strconv.Itoa(count), "-test.benchmem")
	if cmd.Dir, err = filepath.Abs(l.pkg); err != nil {
		return nil, 0, err
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, 0, fmt.Errorf("%s: %w\n%s", l.name, err, tail(out.String(), 20))
	}
	wall := time.Since(start)
	vals = parseMetric(out.String(), l.metric)
	if len(vals) == 0 {
		return nil, 0, fmt.Errorf("%s: no %q in the output of -bench %s\n%s", l.name, l.metric, l.bench, tail(out.String(), 20))
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return vals, float64(cpu) / float64(wall), nil
}

// parseMetric reads the value of metric from each benchmark result line
// ("BenchmarkX-2  5  123 ns/op  45 index-ms/op").
func parseMetric(out, metric string) []float64 {
	var vals []float64
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		for i := 3; i < len(f); i++ {
			if f[i] == metric {
				if v, err := strconv.ParseFloat(f[i-1], 64); err == nil {
					vals = append(vals, v)
				}
			}
		}
	}
	return vals
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// inMillis converts a figure of metric to milliseconds, reporting false for
// a metric that is not a time (bytes, allocations), which the yardstick
// does not scale.
func inMillis(v float64, metric string) (float64, bool) {
	for suffix, scale := range map[string]float64{"ns/op": 1e-6, "us/op": 1e-3, "ms/op": 1, "s/op": 1e3} {
		if metric == suffix || strings.HasSuffix(metric, "-"+suffix) {
			return v * scale, true
		}
	}
	return v, false
}
