package fhirimport

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

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
//
// Each part is written once, into a strings.Builder of its exact size:
// the fixtures' documents are 255 MB, and a bytes.Buffer cleared that
// much on growing and copied it again into the string (about 4% of an
// import's CPU; TestSourceDocumentsAllocateTheirTextOnce).
func sourceDocuments(g PatientGroup, ids IDs) []chart.SourceDocument {
	all := append([]fhir.Resource{g.Patient}, g.Resources...)
	var docs []chart.SourceDocument
	for start := 0; start < len(all); {
		end, size := start+1, len(all[start].Raw)+1
		for end < len(all) && size+len(all[end].Raw)+1 <= maxSourcePart {
			size += len(all[end].Raw) + 1
			end++
		}
		var text strings.Builder
		text.Grow(size)
		types := map[string]int{}
		for _, res := range all[start:end] {
			writeOneLine(&text, res.Raw)
			text.WriteByte('\n')
			types[res.Type]++
		}
		docs = append(docs, chart.SourceDocument{File: g.Patient.At.File, Types: types, NDJSON: text.String()})
		start = end
	}
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
// space, and every other byte stays as read. The bytes between line
// breaks are written a run at a time.
func writeOneLine(text *strings.Builder, raw json.RawMessage) {
	breaks := "\n"
	if bytes.IndexByte(raw, '\r') >= 0 { // rare: only CRLF files
		breaks = "\r\n"
	}
	for {
		i := bytes.IndexByte(raw, '\n')
		if len(breaks) > 1 {
			i = bytes.IndexAny(raw, breaks)
		}
		if i < 0 {
			text.Write(raw)
			return
		}
		text.Write(raw[:i])
		text.WriteByte(' ')
		raw = raw[i+1:]
	}
}
