package fhir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// valueBefore is stream.value as it was before validEnd: every value read
// the long way (its end found, then its bytes checked). It is the
// reference the one walk must agree with.
func (s *stream) valueBefore() ([]byte, error) {
	s.release()
	if s.next() == 0 {
		return nil, s.unexpectedEnd()
	}
	return s.valueTwoWalks(s.pos)
}

// chunkReader hands out at most n bytes a read, so a value ends in the
// stream's buffer or runs past it at every place.
type chunkReader struct {
	b []byte
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[k:]
	return k, nil
}

// streamValues reads values off in as the reader does between members
// and elements (a value, then a comma or not), describing each value or
// error and where the stream stands after it.
func streamValues(in []byte, chunk int, read func(*stream) ([]byte, error)) string {
	s := newStream(&chunkReader{b: in, n: chunk})
	var out strings.Builder
	for range 50 {
		v, err := read(s)
		var se *streamError
		switch {
		case errors.As(err, &se):
			fmt.Fprintf(&out, "error %q at %d, line %d; ", se.msg, se.at, s.lineAt(se.at))
		case err != nil:
			fmt.Fprintf(&out, "error %v; ", err)
		default:
			fmt.Fprintf(&out, "value %q; ", v)
		}
		fmt.Fprintf(&out, "at %d\n", s.offset())
		if err != nil {
			return out.String()
		}
		if s.next() == ',' {
			s.pos++
		}
	}
	return out.String()
}

// The stream's one walk (validEnd, the long way only when it says no)
// reads the same values, and refuses the same ones with the same message
// at the same offset and line, as the two walks it replaced: for valid
// and broken JSON, whole or handed over in pieces of every size that puts
// a value's end inside the buffer or past it.
func TestStreamValueOneWalkAsTwo(t *testing.T) {
	inputs := append([]string{}, validSeeds...)
	inputs = append(inputs,
		`{"a":1} , [2,3],"x" ,true,{"b":"c"`, "\n\n{\"a\":\n\"b\x01\"}", `{"a":"\"}"}, {"b":"\\"}`,
		`"abc" "def"`, `{"a":1}}`, `[1,2]]`, `{"a":[}`, "{\"a\":\"\u00e9\xff\"}", `123abc,{}`,
		strings.Repeat("[", maxDepth+1)+strings.Repeat("]", maxDepth+1)+`,{}`)
	for _, f := range edgeCaseFiles() {
		inputs = append(inputs, string(readMaybeGzip(t, f)))
	}
	for _, f := range fixtureFiles(t)[:min(len(fixtureFiles(t)), 3)] {
		doc := readMaybeGzip(t, f)
		// The Bundle's entries, and the Bundle cut short at ten places.
		if i := bytes.Index(doc, []byte(`"entry"`)); i >= 0 {
			if j := bytes.IndexByte(doc[i:], '['); j >= 0 {
				inputs = append(inputs, string(doc[i+j+1:]))
			}
		}
		for k := 1; k <= 10; k++ {
			inputs = append(inputs, string(doc[:len(doc)*k/11]))
		}
	}
	for _, in := range inputs {
		for _, chunk := range []int{1, 7, 100, 4096, streamChunk, 1 << 30} {
			if len(in) > 1<<20 && chunk < 4096 {
				continue
			}
			want := streamValues([]byte(in), chunk, (*stream).valueBefore)
			if got := streamValues([]byte(in), chunk, (*stream).value); got != want {
				t.Fatalf("%.80q in pieces of %d:\none walk:\n%.2000s\ntwo walks:\n%.2000s", in, chunk, got, want)
			}
		}
	}
}

func FuzzStreamValueOneWalkAsTwo(f *testing.F) {
	for _, s := range validSeeds {
		f.Add([]byte(s), uint16(3))
	}
	f.Fuzz(func(t *testing.T, in []byte, chunk uint16) {
		n := int(chunk%200) + 1
		want := streamValues(in, n, (*stream).valueBefore)
		if got := streamValues(in, n, (*stream).value); got != want {
			t.Fatalf("%q in pieces of %d:\none walk:\n%s\ntwo walks:\n%s", in, n, got, want)
		}
	})
}

var entrySeeds = []string{
	`{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","id":"p1"},"request":{"method":"PUT","url":"Patient/p1"}}`,
	` { "resource" : { "id" : "o" , "subject" : { "display" : "x", "reference" : "Patient/1" } , "resourceType" : "Observation" } , "fullUrl" : "a" } `,
	`{"resource":{"resourceType":"Observation","patient":{"reference":"urn:uuid:9"},"subject":{"reference":"Patient/2"},"contained":[{"resourceType":"Patient","id":"c"}]}}`,
	`{"\u0072esource":{"resourceType":"Patient","\u0069d":"e"},"fullUrl":"x\"y","request":{"Method":"GET","url":"Patient"}}`,
	`{"resource":{"resourceType":"Patient","id":"a","id":"b"},"resource":{"resourceType":"Condition"},"fullUrl":1}`,
	`{"resource":null,"request":{"method":"DELETE","url":"Patient/1"}}`, `{"resource":[1]}`, `{"resource":"x"}`, `{}`, `[{"resource":{}}]`,
	`{"search":{"mode":"match"},"resource":{"resourceType":"Patient","meta":{"tag":[{"code":"x"}]},"beneficiary":{"reference":"Patient/3"}}}`,
	`{"request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=x"},"resource":{"resourceType":"Patient","text":{"div":"<div>{\"}</div>"}}}`,
}

// bundleEntryText describes what bundleEntry picks out of raw.
func bundleEntryText(raw []byte, idx *objIndex) string {
	e, h, err := bundleEntry(raw, idx)
	req := "none"
	if e.Request != nil {
		req = fmt.Sprintf("%+v", *e.Request)
	}
	return fmt.Sprintf("fullUrl %q, resource %q, request %s, head %+v, error %v", e.FullURL, e.Resource, req, h, err)
}

// entryIndexedAsWalked checks that the entry the stream read off in (when
// validEnd took it and so indexed it) is picked apart the same with the
// index as by walking it.
func entryIndexedAsWalked(t *testing.T, in []byte) (indexed int) {
	t.Helper()
	s := newStream(bytes.NewReader(in))
	for {
		raw, err := s.value()
		if err != nil {
			return indexed
		}
		if len(s.index.objects) > 0 {
			indexed++
			if got, want := bundleEntryText(raw, &s.index), bundleEntryText(raw, nil); got != want {
				t.Fatalf("%.200q:\nindexed: %.500s\nwalked:  %.500s", raw, got, want)
			}
		}
		if s.next() != ',' {
			return indexed
		}
		s.pos++
	}
}

// An entry the validator has indexed is picked apart as the scanner's walk
// picks it: the same fullUrl, resource bytes, request, type, id, subject
// and error, for every entry of the fixtures and edge cases and for
// entries with escaped, repeated, reordered and odd members.
func TestBundleEntryIndexedAsWalked(t *testing.T) {
	n := 0
	for _, in := range entrySeeds {
		n += entryIndexedAsWalked(t, []byte(in))
	}
	files := append(fixtureFiles(t), edgeCaseFiles()...)
	for _, f := range files {
		doc := readMaybeGzip(t, f)
		if i := bytes.Index(doc, []byte(`"entry"`)); i >= 0 {
			if j := bytes.IndexByte(doc[i:], '['); j >= 0 {
				n += entryIndexedAsWalked(t, doc[i+j+1:])
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d entries were indexed", n)
	}
}

// Every Bundle entry smaller than readAhead is read in one walk (validEnd
// took it: the index is its record), though the input comes 32 KiB a read
// as from gzip, so entries run past what one read brought; the larger ones
// are read the long way, and the reading stays that of a stream: the
// buffer holds a few read-aheads, not the file.
func TestStreamWalksEntriesOnce(t *testing.T) {
	walkedOnce, long, maxBuf, total := 0, 0, 0, 0
	for _, f := range fixtureFiles(t)[:min(len(fixtureFiles(t)), 10)] {
		doc := readMaybeGzip(t, f)
		total += len(doc)
		i := bytes.Index(doc, []byte(`"entry"`))
		s := newStream(&chunkReader{b: doc[i+bytes.IndexByte(doc[i:], '[')+1:], n: 32 << 10})
		for {
			raw, err := s.value()
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case len(s.index.objects) > 0:
				walkedOnce++
			case len(raw) < readAhead:
				t.Fatalf("%s: an entry of %d bytes was read the long way", f, len(raw))
			default:
				long++
			}
			maxBuf = max(maxBuf, cap(s.buf))
			if s.next() != ',' {
				break
			}
			s.pos++
		}
	}
	t.Logf("%d entries in one walk, %d the long way; buffer at most %d bytes of %d", walkedOnce, long, maxBuf, total)
	if walkedOnce < 1000 || maxBuf > 8*readAhead {
		t.Fatalf("%d entries in one walk; buffer up to %d bytes", walkedOnce, maxBuf)
	}
}

func FuzzBundleEntryIndexedAsWalked(f *testing.F) {
	for _, s := range append(entrySeeds, validSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		entryIndexedAsWalked(t, in)
	})
}

// BenchmarkScanBundles: the first pass's reading of 20 Synthea Bundles
// held in memory (no gzip, but handed over 32 KiB a read as gzip's reader
// does): each entry split out, checked to be JSON and
// its head read, as ScanFile does; and the second pass's (no JSON check).
func BenchmarkScanBundles(b *testing.B) {
	var docs [][]byte
	n := 0
	for _, f := range fixtureFiles(b)[:20] {
		doc := readMaybeGzip(b, f)
		docs = append(docs, doc)
		n += len(doc)
	}
	for _, c := range []struct {
		name string
		mode readMode
	}{{"scan", readMode{borrowed: true}}, {"reread", readMode{borrowed: true, trusted: true}}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				for _, doc := range docs {
					// gzip's reader hands out at most 32 KiB a read
					r := &chunkReader{b: doc, n: 32 << 10}
					if _, err := read(r, "bench", false, c.mode, func(Entry) error { return nil }); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
