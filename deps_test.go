package main_test

// The import arrows of docs/ARCHITECTURE.md, checked with `go list -deps`
// (after tailscale's tstest/deptest): a package that reaches a forbidden
// import, directly or through another package, fails with the chain that
// brought it in.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// rule constrains what one package (or, with a trailing "/...", a tree of
// packages) may pull in, transitively.
type rule struct {
	pkg string
	// forbidden imports: exact paths, or "path/..." for a path and
	// everything below it (as in Go package patterns). database/sql is
	// exact on purpose: uuid's Scan/Value pull in database/sql/driver.
	forbidden []string
	// stdOnly limits the package to the standard library, its own tree
	// and allowNonStd.
	stdOnly     bool
	allowNonStd []string
	// optional rules are for packages that may not exist yet.
	optional bool
}

const (
	wails   = "github.com/wailsapp/wails/..."
	age     = "filippo.io/age/..."
	xcrypto = "golang.org/x/crypto/..."
	modernc = "modernc.org/..."
	nethttp = "net/http/..."
)

var rules = []rule{
	{pkg: "outpost/chart", stdOnly: true,
		allowNonStd: []string{"github.com/google/uuid"},
		forbidden:   []string{"database/sql", nethttp, age, wails, modernc, xcrypto}},
	// The care rules are pure: the chart's types and the standard library.
	{pkg: "outpost/chart/care", optional: true, stdOnly: true,
		allowNonStd: []string{"outpost/chart", "github.com/google/uuid"}},
	{pkg: "outpost/seal",
		forbidden: []string{"outpost/chart/...", "outpost/sqlite/...", "database/sql", wails}},
	// The passphrase estimator knows nothing of charts, keys or storage.
	// The CDSi immunization engine is pure: data in, forecast out (chart only
	// for its types, in chart.go).
	{pkg: "outpost/cdsi", stdOnly: true,
		allowNonStd: []string{"outpost/chart", "github.com/google/uuid"},
		forbidden:   []string{"outpost/sqlite/...", "database/sql", nethttp, wails}},
	{pkg: "outpost/strength",
		forbidden: []string{"outpost/chart/...", "outpost/seal/...", "outpost/sqlite/...", "database/sql", nethttp, wails}},
	{pkg: "outpost/sqlite",
		forbidden: []string{wails, nethttp, "outpost/app/..."}},
	{pkg: "outpost/app",
		forbidden: []string{"outpost/sqlite/...", "outpost/seal/...", "modernc.org/sqlite/...", "database/sql", age, xcrypto}},
	// The sync module (docs/SYNC.md). Its pure core is shared by the
	// workstation and the server: the clock, the wire protocol, the merge.
	{pkg: "outpost/sync/clock", stdOnly: true},
	{pkg: "outpost/sync/wire", stdOnly: true,
		allowNonStd: []string{"outpost/chart", "outpost/sync/clock", "github.com/google/uuid"}},
	{pkg: "outpost/sync/merge", stdOnly: true,
		allowNonStd: []string{"outpost/chart", "outpost/sync/clock", "github.com/google/uuid"}},
	// What the workstation decides about pulled changes, apart from the
	// store that applies them: no keys, no SQL (sqlite calls it).
	{pkg: "outpost/sync/apply", stdOnly: true,
		allowNonStd: []string{"outpost/chart", "outpost/sync/clock", "outpost/sync/merge", "outpost/sync/wire", "github.com/google/uuid"}},
	{pkg: "outpost/sync/...",
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/..."}},
	// The workstation's sync loop talks to the store through its own
	// interface and never sees keys, SQL or the window.
	{pkg: "outpost/sync/client",
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/...", "outpost/seal/...", "database/sql", modernc}},
	// The practice server relays sealed blobs and never holds the key.
	{pkg: "outpost/sync/server/...",
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/...", "outpost/seal/...", age}},
	// Reading the process's CPU time: the standard library only.
	{pkg: "outpost/internal/cputime", stdOnly: true},
	// Workers whose panic is an error (sqlite, sync, app use it): stdlib only.
	{pkg: "outpost/internal/worker", stdOnly: true},
	// The test PostgreSQL knows nothing of Outpost: a cluster and databases.
	{pkg: "outpost/internal/pgtest",
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/...", "outpost/seal/...", "outpost/chart/...", "outpost/sync/..."}},
	{pkg: "outpost/cmd/outpost-server/...", optional: true,
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/..."}},
	// The sync benchmark drives real workstation stores, but never the UI.
	{pkg: "outpost/cmd/outpost-bench/...", optional: true,
		forbidden: []string{wails, "outpost/app/..."}},
	// Documents only lay out what they are given: no store, no keys, no UI.
	{pkg: "outpost/printout/...", optional: true,
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/...", "outpost/seal/...", "database/sql", nethttp}},
	// FHIR is a format: it knows nothing of the chart, keys or storage.
	{pkg: "outpost/fhir", optional: true, stdOnly: true},
	// Mapping to and from FHIR is pure: the store is an interface.
	{pkg: "outpost/fhirimport", optional: true,
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/...", "outpost/seal/...", "database/sql", modernc, age, nethttp}},
	{pkg: "outpost/fhirexport", optional: true,
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/...", "outpost/seal/...", "database/sql", modernc, age, nethttp}},
	// The code lists are shared by chart-side code, the desktop and tools.
	{pkg: "outpost/codes", optional: true, stdOnly: true},
	// Growth charts are pure arithmetic on CDC's embedded tables.
	{pkg: "outpost/growth", optional: true, stdOnly: true},
	// The workstation's command-line tool drives the store, never the UI.
	{pkg: "outpost/cmd/outpostctl/...", optional: true,
		forbidden: []string{wails, "outpost/app/..."}},
	// The backup file format is shared by the desktop, the workstation
	// store and the practice server: pure Go.
	{pkg: "outpost/backup", optional: true, stdOnly: true},
	// Backups copy stores; they never see keys, charts or the window.
	{pkg: "outpost/backup/...", optional: true,
		forbidden: []string{wails, "outpost/app/...", "outpost/sqlite/...", "outpost/seal/...", "outpost/chart/...", age, nethttp}},
}

// pkgInfo is the part of `go list -json` output the rules need.
type pkgInfo struct {
	ImportPath string
	Standard   bool
	Imports    []string
}

// graph is the import graph of the module and everything it depends on.
type graph map[string]pkgInfo

func TestImportArrows(t *testing.T) {
	g := loadGraph(t)
	for _, r := range rules {
		roots := g.matching(r.pkg)
		if len(roots) == 0 {
			if !r.optional {
				t.Errorf("rule for %s matches no package: was it renamed? Update deps_test.go and docs/ARCHITECTURE.md", r.pkg)
			}
			continue
		}
		for _, root := range roots {
			for _, v := range g.violations(root, r) {
				t.Error(v)
			}
		}
	}
}

// TestRulesCatchViolations proves the checker can fail, on made-up graphs.
func TestRulesCatchViolations(t *testing.T) {
	std := func(path string, imports ...string) pkgInfo {
		return pkgInfo{ImportPath: path, Standard: true, Imports: imports}
	}
	mod := func(path string, imports ...string) pkgInfo {
		return pkgInfo{ImportPath: path, Imports: imports}
	}
	chartRule := ruleFor(t, "outpost/chart")
	appRule := ruleFor(t, "outpost/app")
	cmdRule := ruleFor(t, "outpost/cmd/outpost-server/...")
	codesRule := ruleFor(t, "outpost/codes")
	tests := []struct {
		name string
		pkgs []pkgInfo
		root string
		r    rule
		want []string // substrings of the violations, in order; none = clean
	}{
		{"clean chart", []pkgInfo{
			mod("outpost/chart", "context", "github.com/google/uuid"),
			std("context"), mod("github.com/google/uuid", "crypto/rand"), std("crypto/rand"),
		}, "outpost/chart", chartRule, nil},
		{"forbidden std import, reached indirectly", []pkgInfo{
			mod("outpost/chart", "outpost/chart/store"),
			mod("outpost/chart/store", "database/sql"), std("database/sql"),
		}, "outpost/chart", chartRule, []string{
			"outpost/chart imports database/sql (outpost/chart → outpost/chart/store → database/sql)",
		}},
		{"non-std import outside the allow list", []pkgInfo{
			mod("outpost/chart", "github.com/acme/orm"), mod("github.com/acme/orm"),
		}, "outpost/chart", chartRule, []string{"outpost/chart imports github.com/acme/orm"}},
		{"forbidden prefix covers sub-packages", []pkgInfo{
			mod("outpost/app", "github.com/wailsapp/wails/v2/pkg/runtime", "modernc.org/sqlite/lib"),
			mod("github.com/wailsapp/wails/v2/pkg/runtime"), mod("modernc.org/sqlite/lib"),
		}, "outpost/app", appRule, []string{"outpost/app imports modernc.org/sqlite/lib"}},
		{"tree match stops at a path segment", []pkgInfo{
			mod("outpost/app", "outpost/sqlitehelpers"), mod("outpost/sqlitehelpers"),
		}, "outpost/app", appRule, nil},
		{"exact rule leaves sub-packages alone", []pkgInfo{
			mod("outpost/chart", "github.com/google/uuid"),
			mod("github.com/google/uuid", "database/sql/driver", "net"),
			std("database/sql/driver"), std("net", "C"),
		}, "outpost/chart", chartRule, nil},
		{"tree rule applies to every package under it", []pkgInfo{
			mod("outpost/cmd/outpost-server", "outpost/app"), mod("outpost/app"),
		}, "outpost/cmd/outpost-server", cmdRule, []string{"outpost/cmd/outpost-server imports outpost/app"}},
		{"standard library only", []pkgInfo{
			mod("outpost/codes", "outpost/codes/internal/index", "compress/gzip"),
			mod("outpost/codes/internal/index", "github.com/google/uuid"),
			std("compress/gzip"), mod("github.com/google/uuid"),
		}, "outpost/codes", codesRule, []string{
			"outpost/codes imports github.com/google/uuid (outpost/codes → outpost/codes/internal/index → github.com/google/uuid)",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := graph{}
			for _, p := range tc.pkgs {
				g[p.ImportPath] = p
			}
			if !slices.Contains(g.matching(tc.r.pkg), tc.root) {
				t.Fatalf("rule %s does not select %s", tc.r.pkg, tc.root)
			}
			got := g.violations(tc.root, tc.r)
			if len(got) != len(tc.want) {
				t.Fatalf("violations = %q, want %d matching %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("violation %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// ruleFor finds the rule for pkg, so the tests exercise the real rules.
func ruleFor(t *testing.T, pkg string) rule {
	t.Helper()
	for _, r := range rules {
		if r.pkg == pkg {
			return r
		}
	}
	t.Fatalf("no rule for %s", pkg)
	return rule{}
}

// loadGraph lists every package of the module with all its dependencies.
func loadGraph(t *testing.T) graph {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps", "-json=ImportPath,Standard,Imports", "./...")
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			t.Fatalf("go list: %v\n%s", err, exitErr.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	g := graph{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkgInfo
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		g[p.ImportPath] = p
	}
	return g
}

// matching returns the packages a rule's pattern selects, sorted.
func (g graph) matching(pattern string) []string {
	var out []string
	for path := range g {
		if matches(path, pattern) {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// violations walks root's imports breadth-first and reports each forbidden
// package once, with the shortest chain that reaches it.
func (g graph) violations(root string, r rule) []string {
	via := map[string]string{root: ""}
	queue := []string{root}
	var found []string
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if path != root && !r.allows(path, g[path].Standard, root) {
			found = append(found, fmt.Sprintf("%s imports %s (%s), which docs/ARCHITECTURE.md forbids",
				root, path, chain(via, path)))
			continue // its own imports are reported through it
		}
		for _, imp := range g[path].Imports {
			if _, seen := via[imp]; !seen {
				via[imp] = path
				queue = append(queue, imp)
			}
		}
	}
	return found
}

// allows says whether the rule lets its package depend on path.
func (r rule) allows(path string, standard bool, root string) bool {
	for _, f := range r.forbidden {
		if matches(path, f) {
			return false
		}
	}
	// "C" is cgo's pseudo-package, imported by net among others.
	if !r.stdOnly || standard || path == "C" || under(path, root) {
		return true
	}
	for _, a := range r.allowNonStd {
		if under(path, a) {
			return true
		}
	}
	return false
}

// matches reports whether path is pattern, or is under it when pattern
// ends in "/...".
func matches(path, pattern string) bool {
	if tree, ok := strings.CutSuffix(pattern, "/..."); ok {
		return under(path, tree)
	}
	return path == pattern
}

// under reports whether path is prefix itself or a package below it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// chain renders the import path from the root to path.
func chain(via map[string]string, path string) string {
	var steps []string
	for p := path; p != ""; p = via[p] {
		steps = append(steps, p)
	}
	slices.Reverse(steps)
	return strings.Join(steps, " → ")
}
