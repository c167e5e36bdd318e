package fhir

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// newOf makes a fresh value of each resource type the mapper decodes,
// and of the types those hold, by resourceType.
var newOf = map[string]func() any{
	"Patient":             func() any { return new(Patient) },
	"Encounter":           func() any { return new(Encounter) },
	"Condition":           func() any { return new(Condition) },
	"Observation":         func() any { return new(Observation) },
	"DiagnosticReport":    func() any { return new(DiagnosticReport) },
	"MedicationRequest":   func() any { return new(MedicationRequest) },
	"MedicationStatement": func() any { return new(MedicationStatement) },
	"AllergyIntolerance":  func() any { return new(AllergyIntolerance) },
	"Immunization":        func() any { return new(Immunization) },
	"Procedure":           func() any { return new(Procedure) },
	"DocumentReference":   func() any { return new(DocumentReference) },
	"Practitioner":        func() any { return new(Practitioner) },
	"Bundle":              func() any { return new(Bundle) },
	"Composition":         func() any { return new(Composition) },
}

// sameAsJSON decodes data with Unmarshal and with json.Unmarshal into
// fresh values of fresh's type and fails t when the values or the errors
// differ. It reports whether the fast path read it (no fallback).
func sameAsJSON(t testing.TB, label string, data []byte, fresh func() any) bool {
	t.Helper()
	want, got := fresh(), fresh()
	wantErr := json.Unmarshal(data, want)
	gotErr := Unmarshal(data, got)
	if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
		t.Fatalf("%s: error %v, encoding/json says %v\n%s", label, gotErr, wantErr, clipped(data))
	}
	if wantErr == nil && !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: decoded\n%+v\nencoding/json decoded\n%+v\n%s", label, got, want, clipped(data))
	}
	d := decoder{scanner: scanner{data: data}, ok: true}
	return decodeKnown(&d, fresh()) && d.end()
}

func clipped(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}

// Every resource of every fixture decodes as encoding/json decodes it,
// pretty-printed and compact, into its own type and (a fifth of them)
// into a few others (where members are of other JSON types, so the fast
// path must step aside), and the fast path reads nearly all of them itself: a decoder
// that always fell back would pass the rest of this test.
//
// Under -race (CI's go test stage) every tenth resource is compared, which
// still takes every type the fixtures hold; OUTPOST_LONG=1 compares all.
func TestUnmarshalAsJSONOnFixtures(t *testing.T) {
	files := fixtureFiles(t)
	fast, total, seen := 0, 0, 0
	every := 1
	if raceDetector && os.Getenv("OUTPOST_LONG") == "" {
		every = 10
	}
	others := []string{"Observation", "Patient", "Encounter"}
	for _, f := range files {
		_, err := ReadFile(f, func(e Entry) error {
			if seen++; seen%every != 0 {
				return nil
			}
			mk, ok := newOf[e.Type]
			if !ok {
				mk = func() any { return new(DomainResource) }
			}
			compact := AppendCompact(nil, e.Raw)
			total++
			if sameAsJSON(t, e.At.String(), compact, mk) && sameAsJSON(t, e.At.String()+" (as read)", e.Raw, mk) {
				fast++
			}
			for _, o := range others {
				if total%5 == 0 { // a sample: each costs two decodings more
					sameAsJSON(t, e.At.String()+" as "+o, compact, newOf[o])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if total == 0 || fast < total*95/100 {
		t.Fatalf("the fast path read %d of %d resources; expected nearly all", fast, total)
	}
	t.Logf("the fast path read %d of %d resources", fast, total)
}

// The edge cases (broken JSON, wrong shapes, odd values) decode as
// encoding/json decodes them, whole files and each resource that reads.
func TestUnmarshalAsJSONOnEdgeCases(t *testing.T) {
	root := sharedFixtures()
	if root == "" || testing.Short() {
		t.Skip("no shared edge cases")
	}
	files, _ := filepath.Glob(filepath.Join(root, "edge-cases", "cases", "*"))
	if len(files) == 0 {
		t.Skip("no shared edge cases")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, mk := range newOf {
			sameAsJSON(t, f, raw, mk)
		}
		ReadFile(f, func(e Entry) error {
			for _, mk := range newOf {
				sameAsJSON(t, e.At.String(), AppendCompact(nil, e.Raw), mk)
			}
			return nil
		})
	}
}

// Small inputs at the edges of what the fast path reads.
var decodeCases = []string{
	`{"resourceType":"Observation","status":"final","code":{"text":"x"}}`,
	`{"resourceType":"Observation","Status":"final"}`,
	`{"resourceType":"Observation","status":"final","status":"amended"}`,
	`{"resourceType":"Observation","code":{"coding":[]}}`,
	`{"resourceType":"Observation","code":{"coding":[{"code":"1"},{"code":"2"}]}}`,
	`{"resourceType":"Observation","code":null}`,
	`{"resourceType":"Observation","status":null}`,
	`{"resourceType":"Observation","status":1}`,
	`{"resourceType":"Observation","valueQuantity":{"value":1.50}}`,
	`{"resourceType":"Observation","valueQuantity":{"value":"1.5"}}`,
	`{"resourceType":"Observation","valueQuantity":{"value":01}}`,
	`{"resourceType":"Observation","valueInteger":7}`,
	`{"resourceType":"Observation","valueInteger":7.0}`,
	`{"resourceType":"Observation","valueInteger":-0}`,
	`{"resourceType":"Observation","valueInteger":99999999999999999999}`,
	`{"resourceType":"Observation","valueBoolean":true}`,
	`{"resourceType":"Observation","valueBoolean":tru}`,
	`{"resourceType":"Observation","valueString":"a\"b\\c\/d\n\u00e9\u2028"}`,
	`{"resourceType":"Observation","valueString":"\ud83d\ude00"}`,
	`{"resourceType":"Observation","valueString":"\ud83d"}`,
	"{\"resourceType\":\"Observation\",\"valueString\":\"\xff\"}",
	"{\"resourceType\":\"Observation\",\"valueString\":\"a\tb\"}",
	`{"resourceType":"Observation","status":"final"} `,
	`{"resourceType":"Observation","status":"final"} x`,
	`{"resourceType":"Observation","status":"final"}{}`,
	`{"resourceType":"Observation","other":{"a":[1,2,{"b":null}],"c":"\u0041"},"status":"x"}`,
	`{"resourceType":"Observation","other":{"a":[1,2,{"b":nul}]}}`,
	`{"resourceType":"Observation","other":"\x"}`,
	`{"resourceType":"Observation","stätus":"x"}`,
	`{"resourceType":"Observation","\u0073tatus":"x"}`,
	`{"resourceType":"Observation","other":1e5,"other2":-1.5E-3}`,
	`{"resourceType":"Observation","other":1.}`,
	`{"resourceType":"Observation","other":.5}`,
	`[]`,
	`null`,
	``,
	` { "resourceType" : "Observation" , "status" : "final" } `,
	`{"resourceType":"Observation",}`,
	`{"resourceType":"Observation" "status":"final"}`,
	`{"entry":[{"fullUrl":"u","resource":{"a": [1, 2]}},{"resource":null}]}`,
	`{"entry":[{"fullUrl":"u","resource":{"a":[1,2]}}]}`,
	`{"resourceType":"Encounter","hospitalization":{"dischargeDisposition":{"text":"home"}}}`,
	`{"resourceType":"Patient","name":[{"given":["A","B"],"prefix":[]}],"telecom":[{"rank":2}]}`,
	`{"resourceType":"Patient","telecom":[{"rank":1e0}]}`,
	`{"resourceType":"Patient","extension":[{"url":"u","extension":[{"url":"v","valueCoding":{"code":"c"}}]}]}`,
}

func TestUnmarshalAsJSONOnCases(t *testing.T) {
	for _, c := range decodeCases {
		for name, mk := range newOf {
			sameAsJSON(t, name+" "+c, []byte(c), mk)
		}
	}
	// The fast path reads the plain ones itself.
	for _, c := range []string{decodeCases[0], decodeCases[4], decodeCases[17], decodeCases[25], decodeCases[36]} {
		if !sameAsJSON(t, c, []byte(c), newOf["Observation"]) {
			t.Errorf("the fast path gave up on %s", c)
		}
	}
	for _, c := range []string{decodeCases[1], decodeCases[2], decodeCases[5], decodeCases[18], decodeCases[20]} {
		if sameAsJSON(t, c, []byte(c), newOf["Observation"]) {
			t.Errorf("the fast path read %s, which encoding/json reads its own way", c)
		}
	}
}

// Any input decodes as encoding/json decodes it.
func FuzzUnmarshalAsJSON(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	for _, f0 := range fixtureFiles(f)[:2] {
		ReadFile(f0, func(e Entry) error {
			if e.Type == "Observation" || e.Type == "Patient" || e.Type == "Encounter" {
				f.Add(AppendCompact(nil, e.Raw))
			}
			return nil
		})
	}
	names := []string{"Observation", "Patient", "Encounter", "Bundle", "DocumentReference"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, n := range names {
			sameAsJSON(t, n+" "+strings.ToValidUTF8(string(data), "?"), data, newOf[n])
		}
	})
}
