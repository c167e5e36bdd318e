package sqlite

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"outpost/chart"
)

// wantIndexed is what the index gets of pt: the fields decodeIndexed reads,
// as a full decode gives them.
func wantIndexed(t testing.TB, pt []byte) (chart.Patient, bool) {
	t.Helper()
	var full chart.Patient
	if err := json.Unmarshal(pt, &full); err != nil {
		return chart.Patient{}, false
	}
	return indexedPart(&full), true
}

func checkIndexed(t *testing.T, name string, pt []byte) {
	t.Helper()
	want, ok := wantIndexed(t, pt)
	got, err := decodeIndexed(pt)
	if !ok {
		if err == nil {
			t.Errorf("%s: decodeIndexed accepted what encoding/json refuses: %s", name, pt)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: decodeIndexed: %v\n%s", name, err, pt)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: decodeIndexed gave\n%+v\nencoding/json gives\n%+v\nfor %s", name, got, want, pt)
	}
}

func TestDecodeIndexedAgreesWithEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		p := randomPatient(r, i)
		p.ID, p.Version, p.UpdatedBy = chart.NewPatientID(), int64(i+1), "u1"
		p.CreatedAt = time.Date(2020, 1, 2, 3, 4, 5, i, time.UTC)
		p.UpdatedAt = p.CreatedAt.Add(time.Duration(i) * time.Minute).In(time.FixedZone("x", -7*3600))
		if i%7 == 0 {
			p.Identifiers = []chart.Identifier{{System: "urn:hospital", Value: "H-" + p.MRN, Type: "MR"}}
		}
		pt, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		checkIndexed(t, "random patient", pt)
	}
	// What json.Marshal writes for awkward text, and shapes it never writes
	// but encoding/json reads: each must come out as a full decode gives it.
	awkward := chart.Patient{ID: "p1", GivenName: "Zoë \"Zo\" <b>&</b>", FamilyName: "O'Brien\\Ní\tChonaill",
		PreferredName: "\u2028\u2029 😀", MRN: "MRN-1", Phone: "+1 (555) 0100", Sex: chart.SexOther,
		Address: chart.Address{Line1: "}{][,\":"}, EmergencyContact: chart.EmergencyContact{Name: "{\"id\":\"p2\"}"},
		Identifiers: []chart.Identifier{{System: "a]b", Value: "}"}}, UpdatedAt: time.Date(2026, 12, 5, 7, 0, 0, 1, time.UTC)}
	pt, err := json.Marshal(awkward)
	if err != nil {
		t.Fatal(err)
	}
	checkIndexed(t, "escapes and brackets in strings", pt)
	for name, text := range map[string]string{
		"indented":                     indent(t, pt),
		"invalid UTF-8":                "{\"id\":\"p1\",\"givenName\":\"a\xffb\"}",
		"invalid UTF-8 in a key":       "{\"id\":\"p1\",\"giv\xffen\":\"a\"}",
		"escaped key":                  `{"id":"p1","given\u004eame":"Ann"}`,
		"key in another case":          `{"id":"p1","GIVENNAME":"Ann"}`,
		"key in another case, later":   `{"id":"p1","givenName":"Ann","GivenName":"Bea"}`,
		"key folding by long s":        "{\"id\":\"p1\",\"sex\":\"female\",\"\u017fex\":\"male\"}",
		"repeated key":                 `{"id":"p1","familyName":"A","familyName":"B"}`,
		"null string":                  `{"id":"p1","familyName":null}`,
		"null identifiers":             `{"id":"p1","identifiers":null}`,
		"number where a string is":     `{"id":"p1","familyName":12}`,
		"nested unknown":               `{"zz":{"a":[1,{"b":"}"}],"c":null},"id":"p1","mrn":"M-1"}`,
		"empty object":                 `{}`,
		"trailing garbage":             `{"id":"p1"} x`,
		"unterminated":                 `{"id":"p1"`,
		"bad time":                     `{"id":"p1","updatedAt":"yesterday"}`,
		"resolves key":                 `{"id":"p1","familyName":"A","_resolves":["familyName"]}`,
		"control character in a value": "{\"id\":\"p1\",\"familyName\":\"a\x01b\"}",
	} {
		checkIndexed(t, name, []byte(text))
	}
}

func indent(t *testing.T, pt []byte) string {
	var out []byte
	out, err := json.MarshalIndent(json.RawMessage(pt), " ", "\t")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func FuzzDecodeIndexed(f *testing.F) {
	f.Add([]byte(`{"id":"p1","givenName":"Ann","identifiers":[{"system":"s","value":"v"}],"updatedAt":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"id":"p1","GIVENNAME":"A\u00e9","x":[1,{"y":"]"}]}`))
	f.Fuzz(func(t *testing.T, pt []byte) {
		want, ok := wantIndexed(t, pt)
		got, err := decodeIndexed(pt)
		if ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Fatalf("decodeIndexed(%q) = %+v, %v; encoding/json gives %+v", pt, got, err, want)
		}
	})
}

func BenchmarkDecodePatient(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	p := randomPatient(r, 1)
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = chart.NewPatientID(), 1, time.Now(), time.Now()
	pt, err := json.Marshal(p)
	if err != nil {
		b.Fatal(err)
	}
	for name, decode := range map[string]func([]byte) (chart.Patient, error){"full": decodePatient, "indexed": decodeIndexed} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := decode(pt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDecodeIndexedKeepsTheSummary: whatever field a patient record gains,
// the index built from decodeIndexed must show the patient as a full
// decode would (the summary, its status flags and merge pointer, the
// identifiers, the order of updates). Every exported field is filled, so a
// field Summary starts to read and the scanner skips fails here.
func TestDecodeIndexedKeepsTheSummary(t *testing.T) {
	var full chart.Patient
	fillEvery(reflect.ValueOf(&full).Elem(), 0)
	pt, err := json.Marshal(&full)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeIndexed(pt)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := got.Summary(), full.Summary(); !reflect.DeepEqual(g, w) {
		t.Errorf("summary from decodeIndexed\n%+v\nfrom a full decode\n%+v", g, w)
	}
	if !reflect.DeepEqual(got.Identifiers, full.Identifiers) || !got.UpdatedAt.Equal(full.UpdatedAt) {
		t.Errorf("identifiers or updatedAt differ: %+v %v", got.Identifiers, got.UpdatedAt)
	}
}

// fillEvery sets every exported field reachable from v to a value that is
// not its zero: strings, numbers, bools, times, pointers and one-element
// slices.
func fillEvery(v reflect.Value, depth int) {
	if depth > 4 {
		return
	}
	if v.Type() == reflect.TypeOf(time.Time{}) {
		v.Set(reflect.ValueOf(time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillEvery(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillEvery(v.Index(0), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillEvery(v.Field(i), depth+1)
			}
		}
	}
}
