package fhir

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// behaviour is what reading and checking one edge case does.
type behaviour string

const (
	failsFile     behaviour = "fails the file"
	failsResource behaviour = "fails the resource"
	warns         behaviour = "warns"
	accepted      behaviour = "accepted"
)

// edgeExpect is each edge case's behaviour and the rule it names. Every
// case of MANIFEST.csv must be here: a new case fails the test until its
// behaviour is decided.
var edgeExpect = map[string]struct {
	b    behaviour
	rule string
}{
	"json-syntax__bad-json-close-1.json":                   {failsFile, "json-syntax"},
	"json-syntax__bad-json-close-2.json":                   {failsFile, "json-syntax"},
	"json-syntax__json-comma-bad-1.json":                   {failsFile, "json-syntax"},
	"json-syntax__json-comments-1.json":                    {failsFile, "json-syntax"},
	"json-syntax__json-no-quotes-1.json":                   {failsFile, "json-syntax"},
	"json-syntax__mcode-pat-bad.json":                      {failsFile, "json-syntax"},
	"fhir-json-structure__patient-duplicate.json":          {failsResource, "json-structure"},
	"fhir-json-structure__empty-array.json":                {warns, "json-structure"},
	"fhir-json-structure__list-contained-bad.json":         {warns, "bundle-reference"},
	"fhir-json-structure__list-unknown-prop.json":          {accepted, ""},
	"primitive-value__observation-with-trailing-dot.json":  {failsFile, "json-syntax"},
	"primitive-value__ai4.json":                            {failsResource, "primitive-value"},
	"primitive-value__hakan-se-2.json":                     {warns, "primitive-value"},
	"primitive-value__attachment-with-invalid-binary.json": {failsResource, "primitive-value"},
	"resource-id__resource-invalid-id-1.json":              {failsResource, "resource-id"},
	"resource-id__resource-invalid-id-2.json":              {warns, "resource-id"},
	"resource-id__patient-id-bad-1.json":                   {warns, "resource-id"},
	"resource-id__patient-id-bad-3.json":                   {warns, "resource-id"},
	"narrative-security__pat-security-bad-xhtml.json":      {warns, "narrative-security"},
	"narrative-security__list-xhtml-syntax.json":           {warns, "narrative-security"},
	"narrative-security__xml-bad-entities.json":            {warns, "narrative-security"},
	"bundle-reference__bundle-duplicate-id.json":           {warns, "bundle-reference"},
	"bundle-reference__parameters-reference-bad.json":      {accepted, ""},
	"clinical-rule__encounter-period.json":                 {accepted, ""},
	"clinical-rule__allergy.json":                          {accepted, ""},
	"clinical-rule__synthea.json":                          {warns, "json-structure"},
	"valid-edge__json-good.json":                           {accepted, ""},
	"valid-edge__unicode-problem.json":                     {warns, "primitive-value"},
	"valid-edge__pat-security-good1.json":                  {accepted, ""},
	"valid-edge__pat-security-good3.json":                  {accepted, ""},
	"valid-edge__bundle-conditional-reference-good.json":   {accepted, ""},
	"valid-edge__patient-example-ra4.json":                 {accepted, ""},
}

// syntaxLine is the line of each syntax error, as an editor shows it (the
// HL7 validator names the same lines).
var syntaxLine = map[string]int{
	"json-syntax__bad-json-close-1.json":                  15,
	"json-syntax__bad-json-close-2.json":                  15,
	"json-syntax__json-comma-bad-1.json":                  7,
	"json-syntax__json-comments-1.json":                   1,
	"json-syntax__json-no-quotes-1.json":                  2,
	"json-syntax__mcode-pat-bad.json":                     4,
	"primitive-value__observation-with-trailing-dot.json": 22,
}

const edgeDir = "../testdata/fhir/edge-cases"

func TestEdgeCases(t *testing.T) {
	f, err := os.Open(filepath.Join(edgeDir, "MANIFEST.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) < 2 {
		t.Fatalf("manifest: %v", err)
	}
	for _, row := range rows[1:] {
		name := filepath.Base(row[0])
		want, ok := edgeExpect[name]
		if !ok {
			t.Errorf("%s (%s): no behaviour decided for this case", name, row[2])
			continue
		}
		t.Run(name, func(t *testing.T) {
			got, problems, checked := readAndCheck(t, filepath.Join(edgeDir, row[0]))
			if got != want.b {
				t.Fatalf("%s: got %s, want %s; problems: %v", row[9], got, want.b, problems)
			}
			if want.rule != "" && !hasRule(problems, want.rule) {
				t.Errorf("no problem with rule %s among %v", want.rule, problems)
			}
			for _, p := range problems {
				if p.At.File == "" || !strings.Contains(p.Error(), filepath.Base(row[0])) {
					t.Errorf("problem does not name its file: %v", p)
				}
			}
			if got == failsFile && problems[0].At.Line != syntaxLine[name] {
				t.Errorf("a syntax error must name its line (%d): %v", syntaxLine[name], problems[0])
			}
			for _, c := range checked {
				if !json.Valid(c.Raw) {
					t.Errorf("checked JSON is not valid: %s", c.Raw)
				}
			}
		})
	}
}

// readAndCheck reads a file and checks each resource, and says what that
// did overall.
func readAndCheck(t *testing.T, path string) (behaviour, []Problem, []Checked) {
	t.Helper()
	var checked []Checked
	var problems []Problem
	info, err := ReadFile(path, func(e Entry) error {
		c := Check(e.Resource)
		checked = append(checked, c)
		problems = append(problems, c.Problems...)
		return nil
	})
	if err != nil {
		p, ok := err.(*Problem)
		if !ok {
			t.Fatalf("read: %v (want a *Problem)", err)
		}
		return failsFile, []Problem{*p}, nil
	}
	problems = append(problems, info.Warnings...)
	b := accepted
	for _, p := range problems {
		switch p.Severity {
		case SeverityError:
			return failsResource, problems, checked
		case SeverityWarning:
			b = warns
		}
	}
	return b, problems, checked
}

func hasRule(ps []Problem, rule string) bool {
	for _, p := range ps {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

// An unsafe narrative never comes through: the text is gone, the rest stays.
func TestNarrativeScriptDropped(t *testing.T) {
	_, _, checked := readAndCheck(t, filepath.Join(edgeDir, "cases/narrative-security__pat-security-bad-xhtml.json"))
	raw := string(checked[0].Raw)
	if strings.Contains(raw, "script") || strings.Contains(raw, `"div"`) {
		t.Fatalf("narrative kept: %s", raw)
	}
	var p Patient
	if err := json.Unmarshal(checked[0].Raw, &p); err != nil || len(p.Name) != 1 || p.Name[0].Text != "Standard" {
		t.Fatalf("the structured data was not kept: %v %+v", err, p)
	}
}

// Synthea's reasonCode written as an object is read as the array FHIR
// requires, so the encounter decodes.
func TestObjectWhereArrayRequiredIsWrapped(t *testing.T) {
	path := filepath.Join(edgeDir, "cases/clinical-rule__synthea.json")
	raw, _ := os.ReadFile(path)
	var e Encounter
	if json.Unmarshal(raw, &e) == nil {
		t.Fatal("the case should not decode as it stands")
	}
	_, _, checked := readAndCheck(t, path)
	if err := json.Unmarshal(checked[0].Raw, &e); err != nil || len(e.ReasonCode) != 1 {
		t.Fatalf("repaired encounter: %v, %d reason codes", err, len(e.ReasonCode))
	}
}

// A script in the narrative of a nested resource or a document section is
// dropped too; the rest of the JSON stays as it was.
func TestNestedNarrativeScriptDropped(t *testing.T) {
	bad := `"text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"x\" onerror=\"alert(1)\"/></div>"}`
	raw := `{"resourceType":"Composition","id":"c","section":[{"title":"Problems",` + bad + `,"entry":[{"reference":"Condition/1"}]}],` +
		`"contained":[{"resourceType":"Condition","id":"x",` + bad + `}]}`
	c := Check(Resource{Type: "Composition", Raw: []byte(raw), At: Location{File: "d.json", Entry: 0}})
	want := `{"resourceType":"Composition","id":"c","section":[{"title":"Problems","entry":[{"reference":"Condition/1"}]}],` +
		`"contained":[{"resourceType":"Condition","id":"x"}]}`
	if string(c.Raw) != want || c.Failed() || len(c.Problems) != 2 {
		t.Fatalf("got %s\n%v", c.Raw, c.Problems)
	}
}

// A name twice in one object fails, at any depth; the same names in
// sibling or nested objects do not (each object's names are its own).
func TestCheckDuplicateNamesPerObject(t *testing.T) {
	cases := []struct {
		json string
		dups []string
	}{
		{`{"resourceType":"Observation","id":"o","status":"final","code":{"coding":[{"system":"s","code":"a"},{"system":"s","code":"b"}],"text":"x"},"valueQuantity":{"value":1,"code":"kg"}}`, nil},
		{`{"resourceType":"Observation","id":"o","code":{"text":"x","coding":[{"code":"a"}]},"status":"final","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"},"valueQuantity":{"value":1}}`, nil},
		{`{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x","coding":[{"code":"a","code":"b"}]},"status":"final"}`, []string{`"code"`, `"status"`}},
		{`{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x","text":"y"},"component":[{"code":{"text":"z"}},{"code":{"text":"z"}}]}`, []string{`"text"`}},
	}
	for _, c := range cases {
		var got []string
		for _, p := range Check(Resource{Type: "Observation", Raw: []byte(c.json)}).Problems {
			if strings.Contains(p.Message, "appears twice") {
				got = append(got, strings.Fields(p.Message)[2])
			}
		}
		if strings.Join(got, " ") != strings.Join(c.dups, " ") {
			t.Errorf("%s: names twice %q, want %q", c.json, got, c.dups)
		}
	}
}
