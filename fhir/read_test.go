package fhir

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fixtureDirs are the Synthea and US Core fixtures: the shared set when
// present (OUTPOST_FHIR_FIXTURES, else /work/shared/fixtures/fhir), plus
// the licensed subset in testdata that every clone has.
func fixtureFiles(t testing.TB) []string {
	var files []string
	roots := []string{"../testdata/fhir"}
	if !testing.Short() {
		roots = append(roots, sharedFixtures())
	}
	for _, root := range roots {
		if root == "" {
			continue
		}
		for _, pat := range []string{"synthea/*/*.json.gz", "uscore-inferno/*.json.gz"} {
			m, _ := filepath.Glob(filepath.Join(root, pat))
			files = append(files, m...)
		}
	}
	if len(files) == 0 {
		t.Fatal("no FHIR fixtures found")
	}
	return files
}

func sharedFixtures() string {
	if d := os.Getenv("OUTPOST_FHIR_FIXTURES"); d != "" {
		return d
	}
	if _, err := os.Stat("/work/shared/fixtures/fhir"); err == nil {
		return "/work/shared/fixtures/fhir"
	}
	return ""
}

// Every Synthea and US Core resource passes the checks: nothing of the
// data a practice migrates is refused by the format rules.
func TestFixturesPassChecks(t *testing.T) {
	for _, f := range fixtureFiles(t) {
		n := 0
		info, err := ReadFile(f, func(e Entry) error {
			n++
			if c := Check(e.Resource); c.Failed() {
				t.Errorf("%s: %s", e.At, c.Errors())
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if n == 0 || n != info.Entries || !strings.HasPrefix(info.Format, "bundle:") {
			t.Errorf("%s: %d entries read, info %+v", f, n, info)
		}
	}
}

// NDJSON: a resource a line, blank lines allowed, gzip told by its
// magic bytes (not the name); a bad line names its line and stops the file.
func TestNDJSON(t *testing.T) {
	dir := t.TempDir()
	lines := `{"resourceType":"Patient","id":"p1"}` + "\n\n" +
		`{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"}}` + "\n"
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(lines))
	w.Close()
	path := filepath.Join(dir, "a.ndjson") // gzip without .gz in the name
	os.WriteFile(path, gz.Bytes(), 0o600)
	var got []Entry
	info, err := ReadFile(path, func(e Entry) error { got = append(got, e); return nil })
	if err != nil || info.Format != "ndjson" || len(got) != 2 {
		t.Fatalf("%v %+v %d", err, info, len(got))
	}
	if got[1].At.Line != 3 || got[1].About != "Patient/p1" || got[1].ID != "o1" || got[1].At.Entry != -1 {
		t.Errorf("second resource: %+v", got[1])
	}
	bad := filepath.Join(dir, "b.ndjson")
	os.WriteFile(bad, []byte(lines+`{"resourceType":"Patient",}`+"\n"), 0o600)
	_, err = ReadFile(bad, func(Entry) error { return nil })
	p, ok := err.(*Problem)
	if !ok || p.At.Line != 4 || p.Rule != "json-syntax" {
		t.Fatalf("bad line: %v", err)
	}
}

// A transaction's PUT Patient/85 gives the id when the resource has none;
// entries without a resource (a DELETE) are passed over.
func TestBundleRequestIDs(t *testing.T) {
	b := `{"resourceType":"Bundle","type":"transaction","entry":[
	 {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"},"request":{"method":"PUT","url":"Patient/85"}},
	 {"request":{"method":"DELETE","url":"Patient/9"}},
	 {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Practitioner","id":"x"},
	  "request":{"method":"POST","url":"Practitioner","ifNoneExist":"identifier=s|v"}}]}`
	var got []Entry
	info, err := Read(strings.NewReader(b), "t.json", false, func(e Entry) error { got = append(got, e); return nil })
	if err != nil || info.Format != "bundle:transaction" || len(got) != 2 {
		t.Fatalf("%v %+v %d", err, info, len(got))
	}
	if got[0].ID != "85" || got[1].Request.IfNoneExist != "identifier=s|v" || got[1].At.Entry != 2 {
		t.Errorf("%+v / %+v", got[0], got[1])
	}
}

// resourceType after entry (legal JSON, rare): the entries still come out.
func TestBundleTypeAfterEntries(t *testing.T) {
	b := `{"type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"a"}}],"resourceType":"Bundle"}`
	n := 0
	info, err := Read(strings.NewReader(b), "t.json", false, func(e Entry) error { n++; return nil })
	if err != nil || n != 1 || info.Format != "bundle:collection" {
		t.Fatalf("%v %d %+v", err, n, info)
	}
}

// A Bundle far larger than the read buffer, with a value larger than the
// buffer: every entry comes out whole, and an error near the end names its
// line (counted across the buffers dropped on the way).
func TestBigBundleAcrossBuffers(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\n\"resourceType\": \"Bundle\",\n\"type\": \"collection\",\n\"entry\": [\n")
	big := strings.Repeat("QUJD", 100_000) // 400 kB of base64
	const n = 3000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		data := ""
		if i%1000 == 7 {
			data = `,"content":[{"attachment":{"contentType":"text/plain","data":"` + big + `"}}]`
		}
		b.WriteString(`{"fullUrl":"urn:uuid:` + strings.Repeat("a", 8) + `-` + itoa(i) + `","resource":{"resourceType":"DocumentReference","status":"current","id":"d` + itoa(i) + `"` + data + "}}")
	}
	b.WriteString("\n]\n}\n")
	good := b.String()
	count, sizes := 0, 0
	info, err := Read(strings.NewReader(good), "big.json", false, func(e Entry) error {
		if e.ID != "d"+itoa(count) {
			t.Fatalf("entry %d is %s", count, e.ID)
		}
		count++
		sizes += len(e.Raw)
		return nil
	})
	if err != nil || count != n || info.Entries != n || sizes < 3*400_000 {
		t.Fatalf("%v: %d entries, %d bytes", err, count, sizes)
	}
	bad := strings.Replace(good, `"id":"d2990"`, `"id":"d2990",,`, 1)
	_, err = Read(strings.NewReader(bad), "big.json", false, func(Entry) error { return nil })
	p, ok := err.(*Problem)
	if !ok || p.At.Line != 5+2990 || p.At.Entry != 2990 || !strings.Contains(p.Message, "extra comma") {
		t.Fatalf("error %v, want line %d, entry 2990, an extra comma", err, 5+2990)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// RereadFile reads what ReadFile read, and a file broken in between still
// fails instead of being misread.
func TestReread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.json")
	good := `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/a"}}}]}`
	os.WriteFile(path, []byte(good), 0o600)
	var first, again []Entry
	ReadFile(path, func(e Entry) error { first = append(first, e); return nil })
	keep := func(e Entry) error { e.Raw = bytes.Clone(e.Raw); again = append(again, e); return nil }
	if _, err := RereadFile(path, keep); err != nil || len(again) != 2 ||
		again[1].About != "Patient/a" || string(again[1].Raw) != string(first[1].Raw) {
		t.Fatalf("%v %+v", err, again)
	}
	os.WriteFile(path, []byte(good[:len(good)-30]), 0o600)
	if _, err := RereadFile(path, func(Entry) error { return nil }); err == nil {
		t.Fatal("a file cut short after the first pass was read without error")
	}
}

// ScanFile and RereadFile hand out each entry in the reader's buffer: while
// fn runs it holds the bytes ReadFile copies out, across buffer refills.
func TestBorrowedEntriesReadAsCopies(t *testing.T) {
	files := fixtureFiles(t)
	if len(files) > 12 {
		files = files[:12]
	}
	big := filepath.Join(t.TempDir(), "big.json")
	var b strings.Builder
	b.WriteString(`{"resourceType":"Bundle","type":"collection","entry":[`)
	for i := range 400 {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"resource":{"resourceType":"Basic","id":"b` + itoa(i) + `","text":"` + strings.Repeat("x", i*37) + `"}}`)
	}
	b.WriteString("]}")
	os.WriteFile(big, []byte(b.String()), 0o600)
	for _, path := range append(files, big) {
		var want [][]byte
		if _, err := ReadFile(path, func(e Entry) error { want = append(want, e.Raw); return nil }); err != nil {
			t.Fatal(err)
		}
		for name, read := range map[string]func(string, func(Entry) error) (FileInfo, error){"ScanFile": ScanFile, "RereadFile": RereadFile} {
			i := 0
			_, err := read(path, func(e Entry) error {
				if i >= len(want) || !bytes.Equal(e.Raw, want[i]) {
					t.Fatalf("%s %s: entry %d differs from ReadFile's", name, path, i)
				}
				i++
				return nil
			})
			if err != nil || i != len(want) {
				t.Fatalf("%s %s: %v, %d of %d entries", name, path, err, i, len(want))
			}
		}
	}
}

// Escaped quotes and backslashes inside strings do not end them early.
func TestEscapesInStrings(t *testing.T) {
	res := `{"resourceType":"Patient","id":"e","name":[{"text":"a \"quoted\" name \\","family":"\\\\\"x\\\\"}]}`
	b := `{"resourceType":"Bundle","type":"collection","entry":[{"resource":` + res + `},{"resource":` + res + `}]}`
	n := 0
	_, err := Read(strings.NewReader(b), "e.json", false, func(e Entry) error {
		n++
		if string(e.Raw) != res {
			t.Fatalf("read %s", e.Raw)
		}
		return nil
	})
	if err != nil || n != 2 {
		t.Fatalf("%v %d", err, n)
	}
}
