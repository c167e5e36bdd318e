package fhir

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Entry is one resource as the reader hands it out: the resource, and for
// a Bundle entry its request (the method and url of a transaction or batch
// entry: "PUT Patient/85" fixes the id; "POST" with ifNoneExist names the
// identifier a conditional reference will use).
type Entry struct {
	Resource
	Request *BundleRequest
	// About is the reference of the resource's subject or patient, as
	// written ("urn:uuid:…", "Patient/85"), empty when it has none.
	About string
}

// FileInfo says what a file held.
type FileInfo struct {
	// Format is "bundle:<type>" (bundle:transaction, bundle:collection,
	// …), "ndjson", or "resource" for a file holding one resource.
	Format  string
	Entries int
	// Bytes is how many bytes of JSON were read (after decompression).
	Bytes int64
	// Warnings are problems of the file's structure that do not stop it
	// (a relative or repeated fullUrl).
	Warnings []Problem
}

// IsNDJSON says whether a file name is Bulk Data NDJSON (gzip or not).
func IsNDJSON(path string) bool {
	p := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	return strings.HasSuffix(p, ".ndjson")
}

// ReadFile streams the resources of one file to fn, one at a time: a
// Bundle of any type (entries in order), Bulk Data NDJSON (a resource a
// line), or a file holding one resource; gzip or not (told by its first
// bytes). A file that is not valid JSON returns a *Problem with rule
// "json-syntax" naming the line; fn may already have been called for
// entries before the error, so callers that must write nothing of a broken
// file read it through once before acting on it. An error from fn stops
// the reading and is returned as is.
func ReadFile(path string, fn func(Entry) error) (FileInfo, error) {
	return readPath(path, readMode{}, fn)
}

// ScanFile is ReadFile for a caller that keeps few of the entries (an
// import's first pass): each Entry's Raw is the reader's buffer, valid
// only until fn returns, so a caller that keeps one keeps a copy. Reading
// a Bundle then copies no entry it is not asked to.
func ScanFile(path string, fn func(Entry) error) (FileInfo, error) {
	return readPath(path, readMode{borrowed: true}, fn)
}

// RereadFile reads again a file that ReadFile has read through without
// error (an import's second pass), skipping the check that the JSON is
// valid: about a quarter of the reading. The structure is still followed
// value by value, so a file changed in between fails with an error (or a
// resource that does not decode) rather than being misread. As with
// ScanFile, each Entry's Raw is valid only until fn returns.
func RereadFile(path string, fn func(Entry) error) (FileInfo, error) {
	return readPath(path, readMode{trusted: true, borrowed: true}, fn)
}

func readPath(path string, mode readMode, fn func(Entry) error) (FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileInfo{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	return read(f, path, IsNDJSON(path), mode, fn)
}

// Read is ReadFile over an open stream; name is used in locations.
func Read(r io.Reader, name string, ndjson bool, fn func(Entry) error) (FileInfo, error) {
	return read(r, name, ndjson, readMode{}, fn)
}

func read(r io.Reader, name string, ndjson bool, mode readMode, fn func(Entry) error) (FileInfo, error) {
	body, closeBody, err := decompressed(r)
	if err != nil {
		return FileInfo{}, &Problem{At: Location{File: name, Entry: -1}, Severity: SeverityError,
			Rule: "file-format", Message: "cannot decompress: " + err.Error()}
	}
	defer closeBody()
	counted := &countingReader{r: body}
	var info FileInfo
	if ndjson {
		info, err = readNDJSON(counted, name, mode.trusted, fn)
	} else {
		info, err = readJSON(counted, name, mode, fn)
	}
	info.Bytes = counted.n
	return info, err
}

// decompressed strips gzip (told by its magic bytes) and a UTF-8 byte
// order mark, which some Windows tools write and JSON forbids.
func decompressed(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var body io.Reader = br
	closeBody := func() {}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		closeBody = func() { gz.Close() }
		body = bufio.NewReaderSize(gz, 64<<10)
	}
	bb := body.(*bufio.Reader)
	if bom, _ := bb.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		bb.Discard(3)
	}
	return bb, closeBody, nil
}

// readNDJSON reads one resource per line; blank lines are allowed.
func readNDJSON(r io.Reader, name string, trusted bool, fn func(Entry) error) (FileInfo, error) {
	info := FileInfo{Format: "ndjson"}
	br := bufio.NewReaderSize(r, 256<<10)
	for line := 1; ; line++ {
		text, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return info, fmt.Errorf("read %s: %w", name, err)
		}
		if trimmed := bytes.TrimSpace(text); len(trimmed) > 0 {
			at := Location{File: name, Line: line, Entry: -1}
			if p := syntaxProblem(trimmed, at, trusted); p != nil {
				return info, p
			}
			e, perr := entryOf(json.RawMessage(trimmed), "", nil, at)
			if perr != nil {
				return info, perr
			}
			info.Entries++
			if err := fn(e); err != nil {
				return info, err
			}
		}
		if err == io.EOF {
			return info, nil
		}
	}
}

// syntaxProblem is nil for valid JSON, else the decoder's complaint in
// words, with the line inside raw added to at's line.
func syntaxProblem(raw []byte, at Location, trusted bool) *Problem {
	if trusted || isValidJSON(raw) {
		return nil
	}
	var v json.RawMessage
	err := json.Unmarshal(raw, &v)
	p, offset := jsonProblem(err, at, raw)
	if offset > 0 {
		p.At.Line += bytes.Count(raw[:min(int(offset), len(raw))], []byte{'\n'})
	}
	return p
}

// entryOf makes an Entry of a resource's JSON, taking its type, id and
// subject from the JSON.
func entryOf(raw json.RawMessage, fullURL string, req *BundleRequest, at Location) (Entry, *Problem) {
	s := scanner{data: raw}
	h, err := s.head()
	if err != nil {
		return Entry{}, &Problem{At: at, Severity: SeverityError, Rule: "json-structure",
			Message: "a resource must be a JSON object"}
	}
	return entryWith(raw, h, fullURL, req, at), nil
}

// entryWith makes an Entry of a resource whose head is read; for a PUT
// entry without an id, the id comes from the request url.
func entryWith(raw json.RawMessage, h head, fullURL string, req *BundleRequest, at Location) Entry {
	if h.id == "" && req != nil && strings.EqualFold(req.Method, "PUT") {
		if t, i, ok := strings.Cut(req.URL, "/"); ok && t == h.typ && !strings.ContainsAny(i, "/?") {
			h.id = i
		}
	}
	return Entry{Resource: Resource{Type: h.typ, ID: h.id, FullURL: fullURL, Raw: raw, At: at},
		Request: req, About: h.about}
}

// countingReader counts the bytes read (after decompression).
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
