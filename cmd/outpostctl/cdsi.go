package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"outpost/cdsi"
)

// cmdCDSI runs CDC CDSi test cases (JSON Lines, one case per line, as in
// ../shared/fixtures/cdsi or cdsi/testdata) through the engine: a line per
// file, a closing "N passed, M failed", and with -report a Markdown list of
// every failure with what the CDC expects and what the engine gave.
func cmdCDSI(_ context.Context, args []string, out io.Writer) error {
	fs, _ := flags("cdsi")
	dir := fs.String("cases", "", "folder of .jsonl (or .jsonl.gz) case files")
	reportPath := fs.String("report", "", "write the failures, expected against actual, to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: cdsi needs -cases DIR", errUsage)
	}
	files, err := cdsi.CaseFiles(*dir)
	if err != nil {
		return err
	}
	var report strings.Builder
	passed, failed := 0, 0
	for _, f := range files {
		cases, err := cdsi.ReadCases(f)
		if err != nil {
			return err
		}
		p := 0
		fmt.Fprintf(&report, "\n## %s\n\n", filepath.Base(f))
		for _, c := range cases {
			o := cdsi.Run(c)
			if o.Passed() {
				p++
				continue
			}
			fmt.Fprintf(&report, "- **%s** [%s] %s (born %s, assessed %s)\n", c.ID, c.VaccineGroup, c.Name, c.DOB, c.Assessment)
			for _, d := range o.Diffs {
				fmt.Fprintf(&report, "  - %s\n", d)
			}
		}
		fmt.Fprintf(out, "%s: %d of %d cases pass\n", filepath.Base(f), p, len(cases))
		passed += p
		failed += len(cases) - p
	}
	if *reportPath != "" {
		head := fmt.Sprintf("# CDSi test cases: %d passed, %d failed\n\nCases in %s; each failure lists what the CDC expects and what the engine gave.\n", passed, failed, *dir)
		if err := os.WriteFile(*reportPath, []byte(head+report.String()), 0o644); err != nil {
			return fmt.Errorf("write the report: %w", err)
		}
	}
	fmt.Fprintf(out, "%d passed, %d failed\n", passed, failed)
	return nil
}
