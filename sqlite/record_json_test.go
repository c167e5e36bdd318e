package sqlite

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
)

// sourceTexts are source-document texts as an import makes them: the
// fixture bundles (quotes, narratives with < > &, non-ASCII names) on
// lines, and strings at the edges of JSON's escaping.
func sourceTexts(t testing.TB) []string {
	files, _ := filepath.Glob("../testdata/fhir/*/*.json.gz")
	more, _ := filepath.Glob("../testdata/fhir/synthea/*/*.json.gz")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no FHIR fixtures in testdata")
	}
	var texts []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		z, err := gzip.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(z)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, strings.ReplaceAll(string(b), "\n", " ")+"\n")
	}
	odd := strings.Repeat("x", bigSourceText) + "<script>&amp;</script> \u2028\u2029 \x00\x01\x1f\x7f \b\f\n\r\t \"\\/ é 😀 \xff\xfe \xed\xa0\x80 \xe2\x80 end"
	for k := range 9 { // the odd bytes at every alignment of the eight-byte steps
		texts = append(texts, strings.Repeat("a", k)+odd)
	}
	return texts
}

// A record's JSON is json.Marshal's, byte for byte: source documents with
// large texts (escaped here) and small ones, and every other kind.
func TestEncodeRecordAsJSONMarshal(t *testing.T) {
	recs := []any{&chart.Problem{Comment: "asthma <mild> & \u2028"}, &chart.SourceDocument{NDJSON: "{}\n"}}
	for k, text := range sourceTexts(t) {
		recs = append(recs, &chart.SourceDocument{Meta: chart.Meta{ID: "r", Origin: &chart.SourceRef{System: "s", Type: "Patient"}},
			ImportID: "imp", File: "f.json", Part: k + 1, Parts: 9, Types: map[string]int{"Patient": 1, "Observation": k}, NDJSON: text})
	}
	for _, rec := range recs {
		want, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeRecord(rec)
		if err != nil || !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%T: encodeRecord differs from json.Marshal at byte %d (err %v): %q against %q", rec, i, err,
				got[max(0, i-20):min(len(got), i+20)], want[max(0, i-20):min(len(want), i+20)])
		}
	}
}

// Random strings over the bytes that matter (every escape, multi-byte
// runes cut anywhere) are escaped as json.Marshal escapes them: the
// fuzzer's work in a plain test run.
func TestAppendJSONStringRandom(t *testing.T) {
	alphabet := []string{"a", "Z", " ", "\"", "\\", "/", "<", ">", "&", "\x00", "\x1f", "\n", "\t", "\x7f", "é", "\u2028", "\u2029", "😀",
		"\xff", "\xe2", "\x80", "\xa8", "\xed\xa0\x80", "\xf0\x9f"}
	rng := rand.New(rand.NewPCG(10, 12))
	for range 50000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		want, _ := json.Marshal(s)
		if got := append(appendJSONString([]byte{'"'}, s), '"'); !bytes.Equal(got, want) {
			t.Fatalf("%q: escaped %q, json.Marshal %q", s, got, want)
		}
	}
}

// Any string is escaped as json.Marshal escapes it.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain words here", `{"a":"<b>&c</b>"}`, "\u2028x\u2029", "\xff\x00\x1f é", "12345678\"12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		got := append(appendJSONString([]byte{'"'}, s), '"')
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: escaped %q, json.Marshal %q", s, got, want)
		}
	})
}

func BenchmarkEncodeSourceDocument(b *testing.B) {
	texts := sourceTexts(b)
	doc := &chart.SourceDocument{Meta: chart.Meta{ID: "r"}, File: "f.json", Part: 1, Parts: 1,
		Types: map[string]int{"Patient": 1}, NDJSON: strings.Join(texts[:len(texts)-9], "")}
	for _, c := range []struct {
		name string
		enc  func(any) ([]byte, error)
	}{{"json.Marshal", json.Marshal}, {"encodeRecord", encodeRecord}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc.NDJSON)))
			for range b.N {
				if _, err := c.enc(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
