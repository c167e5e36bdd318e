// Package fhirimport brings FHIR R4 files into the chart: it finds the
// files, reads them (package fhir), gathers each patient's resources,
// resolves references across the files of one import, maps each resource
// to the chart, and hands each patient whole to the store, counting every
// resource read as imported, merged, skipped (with a reason) or failed
// (with an error). It never touches SQL or keys: the store is an
// interface.
package fhirimport
