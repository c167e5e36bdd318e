// Package fhir reads and writes FHIR R4 JSON: Bundles of every type and
// Bulk Data NDJSON, gzip or not, one file or a folder of them. It knows the
// format (structure, primitive values, ids, narrative safety, references)
// and the R4 shapes of the resources Outpost maps, but nothing of the chart
// store: mapping into and out of the chart lives in fhirimport and
// fhirexport, which build on the types here. Unmarshal decodes those
// shapes as encoding/json does, faster: its decoders (decode_r4_*.go) are
// generated from the types by internal/decodegen (`go generate ./fhir`
// after changing a type; a test fails until then).
package fhir
