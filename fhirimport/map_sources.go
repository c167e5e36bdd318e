package fhirimport

import (
	"strconv"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// maxSourcePart is the most NDJSON one SourceDocument holds: a patient with
// more is kept in several parts, each a record of reasonable size.
const maxSourcePart = 4 << 20

// sourceDocuments keeps every resource of the group as read, on one line
// without its indentation (fhir.WriteOneLine: the same JSON values, member
// order, numbers and strings, byte for byte), the Patient first, in parts
// of at most maxSourcePart bytes (a single larger resource has a part of
// its own). Indentation is about 30% of pretty-printed FHIR, and each byte
// of it was escaped and deflated again when the part is sealed.
//
// Each part is written once, into a strings.Builder of the size read:
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
		text.Grow(size) // at most: the indentation does not stay
		types := map[string]int{}
		for _, res := range all[start:end] {
			fhir.WriteOneLine(&text, res.Raw)
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
