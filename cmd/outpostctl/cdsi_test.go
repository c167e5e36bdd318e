package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCDSICases runs the real binary over a folder holding one passing and
// one failing case (a passing one with its expected date changed).
func TestCDSICases(t *testing.T) {
	dir := t.TempDir()
	good := `{"cdc_test_id": "2013-0001", "test_case_name": "Newborn Testing", "dob": "2025-11-10", "gender": "F", "assessment_date": "2025-11-10", "vaccine_group": "DTAP", "observations": [], "doses": [], "expected_forecast": {"series_status": "Not complete", "forecast_dose_number": "1", "earliest_date": "2025-12-22", "recommended_date": "2026-01-10", "past_due_date": "2026-03-09"}}`
	bad := strings.Replace(strings.Replace(good, "2013-0001", "X-1", 1), "2026-01-10", "2026-01-11", 1)
	if err := os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(good+"\n"+bad+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "report.md")
	out, err := ctl(t, "cdsi", "-cases", dir, "-report", report)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.HasSuffix(out, "1 passed, 1 failed\n") {
		t.Fatalf("closing line: %q", out)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "X-1") || !strings.Contains(string(raw), "recommended date: expected 2026-01-11, got 2026-01-10") || strings.Contains(string(raw), "2013-0001") {
		t.Fatalf("report:\n%s", raw)
	}
	if out, err := ctl(t, "cdsi", "-cases", t.TempDir()); err == nil || !strings.Contains(out, "no .jsonl files") {
		t.Fatalf("empty folder: %v\n%s", err, out)
	}
}
