package fhirimport

import (
	"bytes"
	"encoding/json"
	"strconv"

	"outpost/chart"
	"outpost/fhir"
)

// maxSourcePart is the most NDJSON one SourceDocument holds: a patient with
// more is kept in several parts, each a record of reasonable size.
const maxSourcePart = 4 << 20

// sourceDocuments keeps every resource of the group exactly as read (its
// JSON on one line; whitespace between tokens is the only thing dropped),
// the Patient first, in parts of at most maxSourcePart bytes (a single
// larger resource has a part of its own).
func sourceDocuments(g PatientGroup, ids IDs) []chart.SourceDocument {
	all := append([]fhir.Resource{g.Patient}, g.Resources...)
	var docs []chart.SourceDocument
	var buf bytes.Buffer
	buf.Grow(min(rawSize(all)+len(all), maxSourcePart))
	types := map[string]int{}
	flush := func() {
		if buf.Len() == 0 {
			return
		}
		docs = append(docs, chart.SourceDocument{File: g.Patient.At.File, Types: types, NDJSON: buf.String()})
		buf.Reset()
		types = map[string]int{}
	}
	for _, res := range all {
		if buf.Len() > 0 && buf.Len()+len(res.Raw)+1 > maxSourcePart {
			flush()
		}
		writeOneLine(&buf, res.Raw)
		buf.WriteByte('\n')
		types[res.Type]++
	}
	flush()
	patient := keyOf(g.Patient)
	for k := range docs {
		d := &docs[k]
		d.Part, d.Parts = k+1, len(docs)
		d.ID = ids(SourceKey("SourceDocument", patient+"#"+strconv.Itoa(d.Part)))
		d.Origin = &chart.SourceRef{System: g.Source, Type: g.Patient.Type, ID: sourceID(g.Patient), External: g.Lab}
	}
	return docs
}

// writeOneLine writes a resource's JSON on one line. JSON never holds a
// raw line break inside a string (it must be escaped), so the line breaks
// of a pretty-printed file are whitespace between tokens: each becomes a
// space, and every other byte stays as read.
func writeOneLine(buf *bytes.Buffer, raw json.RawMessage) {
	start := buf.Len()
	buf.Write(raw)
	line := buf.Bytes()[start:]
	for _, br := range []byte{'\n', '\r'} {
		for i := bytes.IndexByte(line, br); i >= 0; {
			line[i] = ' '
			j := bytes.IndexByte(line[i+1:], br)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
}

func rawSize(all []fhir.Resource) int {
	n := 0
	for _, res := range all {
		n += len(res.Raw)
	}
	return n
}
