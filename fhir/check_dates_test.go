package fhir

import (
	"regexp"
	"strings"
	"testing"
)

// The patterns the checks used before their hand-written matchers: the
// matchers must answer as these do, on every input.
var (
	idPattern       = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)
	dateTimePattern = regexp.MustCompile(`^(\d{4})(-\d{2}(-\d{2}(T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$`)
)

var dateSeeds = []string{"", "2024", "2024-02", "2024-02-29", "2023-02-29", "2024-02-29T10:20", "2024-02-29T10:20:30",
	"2024-02-29T10:20:30Z", "2024-02-29T10:20:30.123+05:30", "2024-02-29T10:20:30.-01:00", "2024-02-29T10:20:30.",
	"2024-02-29T10:20Z", "2024-02-29T10:20-01:00", "2024-02-29T10:20:", "2024-02-29T", "2024-02-29T1:20", "2024-2-29",
	"20240229", "2024-02-29 10:20:30", "2024-02-29T10:20:30+0530", "2024-02-29T10:20:30Z ", " 2024", "２０２４",
	"2024-02-29T10:20:30.5Z", "2024-02-29T10:20:30+05:3", "2024-02-29T10:20:30++05:30", "2024-", "2024-02-", "abcd"}

var idSeeds = []string{"", "a", "Patient-1.2", "has space", "a/b", "ü", strings.Repeat("x", 64), strings.Repeat("x", 65), "-", ".", "_"}

func checkDateShape(t *testing.T, v string) {
	m := dateTimePattern.FindStringSubmatch(v)
	ok, hasTime, seconds, zone := dateTimeShape(v)
	if ok != (m != nil) {
		t.Fatalf("%q: dateTimeShape ok %v, the pattern %v", v, ok, m != nil)
	}
	if ok && (hasTime != (m[4] != "") || seconds != (m[6] != "") || zone != (m[8] != "")) {
		t.Fatalf("%q: time %v seconds %v zone %v, the pattern's groups %q", v, hasTime, seconds, zone, m)
	}
}

func checkIDShape(t *testing.T, v string) {
	if got, want := validID(v), idPattern.MatchString(v); got != want {
		t.Fatalf("%q: validID %v, the pattern %v", v, got, want)
	}
}

func TestDateTimeShapeAsPattern(t *testing.T) {
	for _, v := range dateSeeds {
		checkDateShape(t, v)
	}
	for _, v := range idSeeds {
		checkIDShape(t, v)
	}
}

func FuzzDateTimeShapeAsPattern(f *testing.F) {
	for _, v := range dateSeeds {
		f.Add(v)
	}
	f.Fuzz(checkDateShape)
}

func FuzzValidIDAsPattern(f *testing.F) {
	for _, v := range idSeeds {
		f.Add(v)
	}
	f.Fuzz(checkIDShape)
}

// BenchmarkCheck runs the checks over every resource of a few Synthea
// patients (an import runs them on each resource of its second pass).
func BenchmarkCheck(b *testing.B) {
	var all []Resource
	for _, path := range fixtureFiles(b)[:min(10, len(fixtureFiles(b)))] {
		if _, err := ReadFile(path, func(e Entry) error { all = append(all, e.Resource); return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, r := range all {
			Check(r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(all)), "µs/resource")
}
