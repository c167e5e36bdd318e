package sqlite

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"outpost/chart"
)

// TestWriteSealDictionary wrote seal/records-v1.dict, the preset deflate
// dictionary every sealed record is compressed with (seal/compress.go). It
// holds the JSON skeleton of each kind of sealed plaintext: field names,
// empty values and the shape of a timestamp, never a value from a chart, so
// it favours no practice's data and leaks none. The dictionary is frozen
// (blobs sealed with it name it by their marker byte); seal pins its hash.
// Rerunning this after the record types change writes a different file,
// which needs a new marker in seal, not a replacement:
//
//	OUTPOST_WRITE_SEAL_DICT=/tmp/records-v2.dict go test -run TestWriteSealDictionary ./sqlite
func TestWriteSealDictionary(t *testing.T) {
	out := os.Getenv("OUTPOST_WRITE_SEAL_DICT")
	if out == "" {
		t.Skip("set OUTPOST_WRITE_SEAL_DICT=path to write the dictionary")
	}
	// Least frequent first: deflate reaches later dictionary text with
	// shorter distances, and patients and audit entries are most records.
	samples := []any{
		chart.Practice{}, userProfile{}, chart.Template{}, conflictAck{}, chart.ChartFlags{},
		chart.Immunization{}, chart.Allergy{}, chart.Problem{}, chart.Medication{},
		chart.Encounter{}, noteHeader{}, chart.Note{}, chart.Result{}, chart.VitalsRecord{},
		chart.Patient{}, chart.AuditEntry{},
	}
	var dict bytes.Buffer
	for _, s := range samples {
		v := reflect.New(reflect.TypeOf(s)).Elem()
		fillSkeleton(v, 0)
		b, err := json.Marshal(v.Interface())
		if err != nil {
			t.Fatal(err)
		}
		dict.Write(b)
	}
	if err := os.WriteFile(out, dict.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d bytes to %s", dict.Len(), out)
}

// skeletonTime has the shape every stored timestamp has (RFC 3339 with
// nanoseconds, UTC).
var skeletonTime = time.Date(2026, 1, 1, 0, 0, 0, 1, time.UTC)

// fillSkeleton gives every pointer a zero value and every slice one zero
// element, so that the JSON of v names every nested field once.
func fillSkeleton(v reflect.Value, depth int) {
	if depth > 4 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillSkeleton(v.Elem(), depth+1)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillSkeleton(v.Index(0), depth+1)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(skeletonTime))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillSkeleton(v.Field(i), depth+1)
			}
		}
	}
}
