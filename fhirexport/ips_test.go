package fhirexport

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"outpost/chart"
)

var ipsNow = time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC)

// rid makes a record id from a short name: ids are UUIDs, as in the chart.
func rid(name string) chart.RecordID {
	return chart.RecordID(uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)).String())
}

func ipsReferral(p chart.PatientID) chart.Referral {
	doc := chart.User{ID: chart.UserID(rid("user")), FullName: "Dr. Ana Ruiz", Role: chart.RoleClinician, NPI: "1234567893", LicenceNumber: "MN-1"}
	practice := chart.Practice{ID: chart.PracticeID(rid("practice")), Name: "Riverside Family Practice", Phone: "+1 555 201 0000", Address: "12 Mill Lane\nLakeview"}
	return chart.Referral{ID: rid("referral"), PatientID: p, RecipientName: "Dr. Kwame Mensah", RecipientOrganization: "Lakeview Cardiology",
		Reason: "Chest tightness on exertion <6 weeks> & worse", Question: "Stress test?", Referrer: chart.NewReferrer(doc, practice), At: ipsNow}
}

func ipsRecords() chart.PatientRecords {
	pid := chart.PatientID(rid("patient"))
	m := func(name string) chart.Meta { return chart.Meta{ID: rid(name), PatientID: pid, Version: 1} }
	v := 72.0
	return chart.PatientRecords{
		Patient: chart.Patient{ID: pid, MRN: "10000001", GivenName: "Zoë", FamilyName: "Ångström", BirthDate: "1948-03-14"},
		Problems: []chart.Problem{
			{Meta: m("pr-1"), Condition: chart.Coded{System: chart.SystemICD10CM, Code: "I10", Display: "Essential hypertension"}, Status: chart.ProblemActive,
				Comment: `<script>alert("x")</script>`},
			{Meta: m("pr-2"), Condition: chart.Coded{Display: "Old fracture"}, Status: chart.ProblemResolved},
		},
		Allergies:   []chart.Allergy{{Meta: m("a-1"), Substance: chart.Coded{Display: "Penicillin"}, Reaction: "hives"}},
		Medications: []chart.Medication{{Meta: m("m-1"), Drug: chart.Coded{System: chart.SystemRxNorm, Code: "314076", Display: "Lisinopril 10 mg"}, Status: chart.MedActive}},
		Immunizations: []chart.Immunization{{Meta: m("i-1"), Vaccine: chart.Coded{System: chart.SystemCVX, Code: "140", Display: "Influenza"},
			Date: "2026-10-01", Source: "given"}},
		Results: []chart.Result{{Meta: m("r-1"), Test: chart.Coded{System: chart.SystemLOINC, Code: "4548-4", Display: "HbA1c"}, Value: "6.8", Unit: "%", CollectedAt: "2026-11-18"},
			{Meta: m("r-old"), Test: chart.Coded{Display: "Ferritin"}, Value: "12", CollectedAt: "2024-01-01"}},
		Vitals: []chart.VitalsRecord{{Meta: m("v-1"), TakenAt: "2026-11-20T14:35", Signs: chart.VitalSigns{HeartRate: &v}}},
	}
}

// parsedIPS is the document as a reader sees it.
type parsedIPS struct {
	ResourceType string `json:"resourceType"`
	Type         string `json:"type"`
	Timestamp    string `json:"timestamp"`
	Identifier   *struct{ System, Value string }
	Entry        []struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
	} `json:"entry"`
}

type parsedComposition struct {
	ResourceType string
	Type         struct {
		Coding []struct{ System, Code string }
	}
	Subject     struct{ Reference string }
	Author      []struct{ Reference string }
	Custodian   struct{ Reference string }
	Date, Title string
	Section     []struct {
		Code struct {
			Coding []struct{ System, Code string }
		}
		Text        struct{ Status, Div string }
		Entry       []struct{ Reference string }
		EmptyReason any
	}
}

// checkIPS checks the document's structure and returns its Composition
// and its resources by fullUrl.
func checkIPS(t *testing.T, data []byte) (parsedComposition, map[string]map[string]any) {
	t.Helper()
	var b parsedIPS
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if b.ResourceType != "Bundle" || b.Type != "document" || b.Timestamp != "2026-12-05T09:30:00Z" || b.Identifier == nil || b.Identifier.Value == "" {
		t.Fatalf("bundle header: %+v", b)
	}
	byURL := map[string]map[string]any{}
	for i, e := range b.Entry {
		var r map[string]any
		if err := json.Unmarshal(e.Resource, &r); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if _, dup := byURL[e.FullURL]; dup || !strings.HasPrefix(e.FullURL, "urn:uuid:") {
			t.Fatalf("entry %d fullUrl %q is repeated or not a urn:uuid", i, e.FullURL)
		}
		if id, _ := r["id"].(string); "urn:uuid:"+id != e.FullURL {
			t.Errorf("entry %d: id %q does not match fullUrl %s", i, id, e.FullURL)
		}
		byURL[e.FullURL] = r
	}
	var comp parsedComposition
	if len(b.Entry) == 0 || json.Unmarshal(b.Entry[0].Resource, &comp) != nil || comp.ResourceType != "Composition" {
		t.Fatalf("the first entry is not a Composition")
	}
	if c := comp.Type.Coding; len(c) != 1 || c[0].System != "http://loinc.org" || c[0].Code != "60591-5" {
		t.Errorf("composition type %+v", c)
	}
	for what, ref := range map[string]string{"Patient": comp.Subject.Reference, "Practitioner": comp.Author[0].Reference, "Organization": comp.Custodian.Reference} {
		if r := byURL[ref]; r == nil || r["resourceType"] != what {
			t.Errorf("%s reference %q does not resolve to a %s in the bundle", what, ref, what)
		}
	}
	// Every reference anywhere resolves inside the document.
	for _, e := range b.Entry {
		for _, ref := range ipsReferences(e.Resource) {
			if byURL[ref] == nil {
				t.Errorf("%s refers to %s, which is not in the bundle", e.FullURL, ref)
			}
		}
	}
	for _, s := range comp.Section {
		checkXHTML(t, s.Code.Coding[0].Code, s.Text.Div)
		if len(s.Entry) == 0 && s.EmptyReason == nil && isRequiredSection(s.Code.Coding[0].Code) {
			t.Errorf("required section %s has neither entries nor an empty reason", s.Code.Coding[0].Code)
		}
	}
	return comp, byURL
}

func isRequiredSection(code string) bool {
	return code == "11450-4" || code == "48765-2" || code == "10160-0"
}

// checkXHTML parses a narrative as XML: one div root in the XHTML
// namespace, well formed throughout.
func checkXHTML(t *testing.T, section, div string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(div))
	depth := 0
	for i := 0; ; i++ {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("section %s narrative is not well-formed XHTML: %v\n%s", section, err, div)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if i == 0 && (el.Name.Local != "div" || el.Name.Space != "http://www.w3.org/1999/xhtml") {
				t.Fatalf("section %s narrative root is %v, want an XHTML div", section, el.Name)
			}
			if el.Name.Local == "script" {
				t.Fatalf("section %s narrative has a script element", section)
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Fatalf("section %s narrative is unbalanced", section)
	}
}

// sectionEntries lists each section's entries by LOINC code, as
// "ResourceType:code-or-text".
func sectionEntries(comp parsedComposition, byURL map[string]map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, s := range comp.Section {
		code := s.Code.Coding[0].Code
		out[code] = []string{}
		for _, e := range s.Entry {
			r := byURL[e.Reference]
			out[code] = append(out[code], r["resourceType"].(string)+":"+conceptOf(r))
		}
	}
	return out
}

func conceptOf(r map[string]any) string {
	for _, k := range []string{"code", "medicationCodeableConcept", "vaccineCode"} {
		if c, ok := r[k].(map[string]any); ok {
			if cs, ok := c["coding"].([]any); ok && len(cs) > 0 {
				return cs[0].(map[string]any)["code"].(string)
			}
			return c["text"].(string)
		}
	}
	return ""
}

func TestIPSDocumentOfAFullChart(t *testing.T) {
	recs := ipsRecords()
	data, err := IPS(recs, ipsReferral(recs.Patient.ID), Options{})
	if err != nil {
		t.Fatal(err)
	}
	comp, byURL := checkIPS(t, data)
	got := sectionEntries(comp, byURL)
	want := map[string]string{
		"11450-4": "Condition:I10", "48765-2": "AllergyIntolerance:Penicillin", "10160-0": "MedicationRequest:314076",
		"11369-6": "Immunization:140", "30954-2": "Observation:4548-4", "8716-3": "Observation:85353-1", "42349-1": "",
	}
	for code, entries := range want {
		if strings.Join(got[code], " ") != entries {
			t.Errorf("section %s entries %v, want %q", code, got[code], entries)
		}
	}
	if len(got) != len(want) {
		t.Errorf("sections %v, want %d", got, len(want))
	}
	var divs []string
	for _, s := range comp.Section {
		divs = append(divs, s.Text.Div)
	}
	for _, w := range []string{"&lt;script&gt;", "Chest tightness on exertion &lt;6 weeks&gt; &amp; worse", "Question: Stress test?",
		"Dr. Ana Ruiz, Riverside Family Practice, Phone +1 555 201 0000", "HbA1c (4548-4), 6.8 %, 2026-11-18", "heart rate 72"} {
		if !strings.Contains(strings.Join(divs, "\n"), w) {
			t.Errorf("narratives lack %q:\n%s", w, strings.Join(divs, "\n"))
		}
	}
	if comp.Title != "Patient summary: referral to Dr. Kwame Mensah, Lakeview Cardiology" || comp.Date != "2026-12-05T09:30:00Z" {
		t.Errorf("title %q date %q", comp.Title, comp.Date)
	}
	text := string(data)
	for _, u := range []string{"Old fracture", "Ferritin"} {
		if strings.Contains(text, u) {
			t.Errorf("document holds %q, which the summary leaves out", u)
		}
	}
	again, _ := IPS(recs, ipsReferral(recs.Patient.ID), Options{})
	if string(again) != text {
		t.Error("the same referral written twice differs")
	}
}

// An empty chart still says something in each required section, and only
// a recorded "no known allergies" says none are known.
func TestIPSEmptySectionsSayWhatIsKnown(t *testing.T) {
	damaged := chart.Allergy{Meta: chart.Meta{ID: rid("a-damaged"), Damaged: "could not be opened"}}
	for _, tc := range []struct {
		name      string
		nka       bool
		allergies []chart.Allergy
		want      string
	}{
		{"nothing recorded", false, nil, "no-allergy-info"},
		{"no known allergies", true, nil, "no-known-allergies"},
		{"damaged with a no-known statement", true, []chart.Allergy{damaged}, "no-allergy-info"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := chart.PatientRecords{Patient: ipsRecords().Patient, NoKnownAllergies: tc.nka, Allergies: tc.allergies}
			data, err := IPS(recs, ipsReferral(recs.Patient.ID), Options{})
			if err != nil {
				t.Fatal(err)
			}
			comp, byURL := checkIPS(t, data)
			got := sectionEntries(comp, byURL)
			if a := strings.Join(got["48765-2"], " "); a != "AllergyIntolerance:"+tc.want {
				t.Errorf("allergies %q, want %s", a, tc.want)
			}
			if p := strings.Join(got["11450-4"], " "); p != "Condition:no-problem-info" {
				t.Errorf("problems %q", p)
			}
			if m := strings.Join(got["10160-0"], " "); m != "MedicationStatement:no-medication-info" {
				t.Errorf("medications %q", m)
			}
			for _, code := range []string{"11369-6", "30954-2", "8716-3", "18776-5"} {
				if _, ok := got[code]; ok {
					t.Errorf("section %s present with nothing to show", code)
				}
			}
			if tc.allergies != nil && !strings.Contains(string(data), "1 allergy record(s) could not be opened") {
				t.Error("the narrative does not say an allergy could not be opened")
			}
		})
	}
}

func TestIPSNeedsTheReferralAndThePatient(t *testing.T) {
	recs := ipsRecords()
	ref := ipsReferral(recs.Patient.ID)
	ref.ID = ""
	if _, err := IPS(recs, ref, Options{}); err == nil {
		t.Error("a referral without an id was written")
	}
}
