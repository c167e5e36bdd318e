package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// row is one line of the side-by-side table: one step's figures.
type row struct {
	secs, up, down, reqs, crss, srss float64
	ok                               bool
}

// pick a step out of a scenario line: path names the sub-object ("" for
// the line itself, "push", "syncs.A_first"); wireKey is where its wire
// counters live ("wire", or "link" for the harness's S5).
func stepRow(m map[string]any, path, wireKey string) (row, bool) {
	cur := m
	for _, k := range strings.Split(path, ".") {
		if k == "" {
			continue
		}
		next, ok := cur[k].(map[string]any)
		if !ok {
			return row{}, false
		}
		cur = next
	}
	w, _ := cur[wireKey].(map[string]any)
	if w == nil {
		w, _ = cur["wire"].(map[string]any)
	}
	ok, _ := cur["ok"].(bool)
	if _, has := cur["ok"]; !has {
		ok = true
	}
	return row{secs: num(cur["seconds"]), up: num(w["client_to_server_bytes"]), down: num(w["server_to_client_bytes"]),
		reqs: num(w["requests"]), crss: num(cur["client_peak_rss_mb"]), srss: num(cur["server_peak_rss_mb"]), ok: ok}, true
}

func sum(rs ...row) row {
	var t row
	t.ok = true
	for _, r := range rs {
		t.secs += r.secs
		t.up += r.up
		t.down += r.down
		t.reqs += r.reqs
		t.crss = max(t.crss, r.crss)
		t.srss = max(t.srss, r.srss)
		t.ok = t.ok && r.ok
	}
	return t
}

func byScenario(lines []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, l := range lines {
		if s, ok := l["scenario"].(string); ok {
			out[s] = l
		}
	}
	return out
}

func readJSONL(path string) ([]map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out, sc.Err()
}

type tableLine struct {
	name, scenario, path, pouchWire string
	parts                           []string // summed sub-steps (S4)
}

var tableLines = []tableLine{
	{name: "S1 initial push", scenario: "S1_initial_push"},
	{name: "S2 initial pull", scenario: "S2_initial_pull"},
	{name: "S2c A first pull", scenario: "S2c_first_reverse_sync", path: "A_pull"},
	{name: "S2c B first push", scenario: "S2c_first_reverse_sync", path: "B_push"},
	{name: "S3 push (delta)", scenario: "S3_delta", path: "push"},
	{name: "S3 pull (delta)", scenario: "S3_delta", path: "pull"},
	{name: "S4 sync A+B+A", scenario: "S4_conflict", parts: []string{"syncs.A_first", "syncs.B", "syncs.A_second"}},
	{name: "S5 push, bad link", scenario: "S5_bad_link", path: "push", pouchWire: "link"},
	{name: "S5 pull, bad link", scenario: "S5_bad_link", path: "pull", pouchWire: "link"},
}

func lineRow(m map[string]any, tl tableLine, wire string) (row, bool) {
	if m == nil {
		return row{}, false
	}
	if len(tl.parts) == 0 {
		return stepRow(m, tl.path, wire)
	}
	var rs []row
	for _, p := range tl.parts {
		r, ok := stepRow(m, p, wire)
		if !ok {
			return row{}, false
		}
		rs = append(rs, r)
	}
	return sum(rs...), true
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	switch x := a / b; {
	case x >= 10:
		return fmt.Sprintf("%.0fx", x)
	case x >= 1:
		return fmt.Sprintf("%.1fx", x)
	default:
		return fmt.Sprintf("%.2gx", x)
	}
}

// share is ours/theirs as "1/N".
func share(ours, theirs float64) string {
	if ours == 0 || theirs == 0 {
		return "–"
	}
	return fmt.Sprintf("1/%.0f", theirs/ours)
}

func mbytes(x float64) string {
	if x < 1e6 {
		return fmt.Sprintf("%.0f KB", x/1e3)
	}
	return fmt.Sprintf("%.2f MB", x/1e6)
}

// writeSideBySide prints the Markdown table of PouchDB against Outpost.
func writeSideBySide(w io.Writer, pouch, ours []map[string]any) {
	p, o := byScenario(pouch), byScenario(ours)
	fmt.Fprintln(w, "| step | seconds PouchDB / Outpost (speed-up) | requests P / O (share) | bytes c->s P / O | bytes s->c P / O | bytes total O/P | peak RSS client P / O MiB | peak RSS server P / O MiB |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, tl := range tableLines {
		wire := "wire"
		if tl.pouchWire != "" {
			wire = tl.pouchWire
		}
		pr, pok := lineRow(p[tl.scenario], tl, wire)
		or, ook := lineRow(o[tl.scenario], tl, "wire")
		if !pok && !ook {
			continue
		}
		flag := ""
		if !or.ok {
			flag = " (Outpost step FAILED)"
		}
		fmt.Fprintf(w, "| %s%s | %.2f / %.2f (%s) | %.0f / %.0f (%s) | %s / %s | %s / %s | %s | %.0f / %.0f | %.0f / %.0f |\n",
			tl.name, flag, pr.secs, or.secs, ratio(pr.secs, or.secs), pr.reqs, or.reqs, share(or.reqs, pr.reqs),
			mbytes(pr.up), mbytes(or.up), mbytes(pr.down), mbytes(or.down), ratio(or.up+or.down, pr.up+pr.down),
			pr.crss, or.crss, pr.srss, or.srss)
	}
}

func (b *bench) writeTable() error {
	return writeTable(b.cfg.Pouch, b.results, b.cfg.Table)
}

// writeTable prints the table to stderr and, if path is set, writes it there.
func writeTable(pouchPath string, ours []map[string]any, path string) error {
	var pouch []map[string]any
	if pouchPath != "" {
		var err error
		if pouch, err = readJSONL(pouchPath); err != nil {
			return fmt.Errorf("read PouchDB results: %w", err)
		}
	}
	var sb strings.Builder
	writeSideBySide(&sb, pouch, ours)
	fmt.Fprint(os.Stderr, sb.String())
	if path == "" {
		return nil
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}
