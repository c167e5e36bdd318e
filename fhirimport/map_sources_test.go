package fhirimport

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"outpost/fhir"
)

// TestSourceDocumentsAllocateTheirTextOnce: a patient's source documents
// are split into parts as before (each at most maxSourcePart, a larger
// resource alone, every resource once and in order), and their text is
// allocated once: the 255 MB of the fixtures' documents were cleared on
// growing a buffer and copied again into each string.
func TestSourceDocumentsAllocateTheirTextOnce(t *testing.T) {
	res := func(n int) fhir.Resource {
		body := strings.Repeat("x", n)
		return fhir.Resource{Type: "Observation", Raw: json.RawMessage("{\n  \"a\": \"" + body + "\"\r\n}")}
	}
	g := PatientGroup{Patient: fhir.Resource{Type: "Patient", ID: "p", Raw: json.RawMessage(`{"resourceType":"Patient","id":"p"}`)}}
	for _, n := range []int{1 << 20, 1 << 20, 1 << 20, 1<<20 - 100, 5 << 20, 100, 3 << 20, 2 << 20} {
		g.Resources = append(g.Resources, res(n))
	}
	docs := sourceDocuments(g, testIDs) // warm up
	var want strings.Builder
	for _, r := range append([]fhir.Resource{g.Patient}, g.Resources...) {
		want.WriteString(strings.NewReplacer("\r\n", "", "\n  ", "").Replace(string(r.Raw)) + "\n")
	}
	var got strings.Builder
	text := 0
	for k, d := range docs {
		got.WriteString(d.NDJSON)
		text += len(d.NDJSON)
		if lines := strings.Count(d.NDJSON, "\n"); len(d.NDJSON) > maxSourcePart && lines != 1 {
			t.Errorf("part %d: %d bytes in %d lines, more than %d", k+1, len(d.NDJSON), lines, maxSourcePart)
		}
		if k+1 < len(docs) {
			next := strings.Index(docs[k+1].NDJSON, "\n") + 1
			if len(d.NDJSON)+next <= maxSourcePart {
				t.Errorf("part %d ends at %d bytes, though the next resource (%d) fits", k+1, len(d.NDJSON), next)
			}
		}
	}
	if got.String() != want.String() || len(docs) != 4 {
		t.Fatalf("%d parts, text equal %v; want 4 parts, the resources one a line", len(docs), got.String() == want.String())
	}
	// The least of three calls: anything else the process allocates in
	// between can only add to a call's figure.
	least := uint64(1 << 62)
	for range 3 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		sourceDocuments(g, testIDs)
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	if least > uint64(text)+uint64(text)/8 {
		t.Errorf("sourceDocuments allocated %d bytes for %d bytes of text, want the text once", least, text)
	}
}
