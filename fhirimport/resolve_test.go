package fhirimport

import (
	"testing"

	"outpost/fhir"
)

func TestResolve(t *testing.T) {
	x := NewIndex()
	add := func(typ, id, fullURL, raw string, req *fhir.BundleRequest) {
		x.Add(fhir.Entry{Resource: fhir.Resource{Type: typ, ID: id, FullURL: fullURL, Raw: []byte(raw)}, Request: req})
	}
	add("Practitioner", "p1", "urn:uuid:aaa", `{"resourceType":"Practitioner","id":"p1","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"999"}]}`, nil)
	add("Location", "", "urn:uuid:bbb", `{"resourceType":"Location"}`,
		&fhir.BundleRequest{Method: "POST", URL: "Location", IfNoneExist: "identifier=https://github.com/synthetichealth/synthea|loc-1"})
	add("Observation", "o1", "http://example.org/fhir/Observation/o1", `{"resourceType":"Observation","id":"o1"}`, nil)
	add("Patient", "85", "", `{"resourceType":"Patient","id":"85"}`, nil)
	from := fhir.Resource{Type: "Encounter", FullURL: "http://example.org/fhir/Encounter/e1",
		Raw: []byte(`{"resourceType":"Encounter","contained":[{"resourceType":"Coverage","id":"cov"}]}`)}
	cases := []struct {
		ref, wantType string
		ok            bool
	}{
		{"urn:uuid:aaa", "Practitioner", true},
		{"Practitioner/p1", "Practitioner", true},
		{"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|999", "Practitioner", true},
		{"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi%7C999", "Practitioner", true},
		{"Practitioner?identifier=999", "Practitioner", true},
		{"Location?identifier=https://github.com/synthetichealth/synthea|loc-1", "Location", true},
		{"http://example.org/fhir/Observation/o1", "Observation", true},
		{"http://elsewhere.org/fhir/Patient/85/_history/3", "Patient", true},
		{"Observation/o1", "Observation", true},
		{"#cov", "Coverage", true},
		{"#nope", "", false},
		{"urn:uuid:zzz", "", false},
		{"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|000", "", false},
		{"Device?identifier=1234&what=", "", false},
		{"Device?manufacturer=acme", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := x.Resolve(c.ref, from)
		if ok != c.ok || got.Type != c.wantType {
			t.Errorf("%q: got %q %v, want %q %v", c.ref, got.Type, ok, c.wantType, c.ok)
		}
	}
}

// A patient's own resources come before the shared ones.
func TestChainLocalFirst(t *testing.T) {
	local, shared := NewIndex(), NewIndex()
	local.addNames(fhir.Resource{Type: "Organization", ID: "o", Raw: []byte(`{"name":"local"}`)})
	shared.Add(fhir.Entry{Resource: fhir.Resource{Type: "Organization", ID: "o", Raw: []byte(`{"name":"shared"}`)}})
	shared.Add(fhir.Entry{Resource: fhir.Resource{Type: "Organization", ID: "s", Raw: []byte(`{}`)}})
	c := chain{local, shared}
	if r, _ := c.Resolve("Organization/o", fhir.Resource{}); string(r.Raw) != `{"name":"local"}` {
		t.Fatalf("got %s", r.Raw)
	}
	if _, ok := c.Resolve("Organization/s", fhir.Resource{}); !ok {
		t.Fatal("shared not found")
	}
}
