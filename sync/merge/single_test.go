package merge

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The merge of one parentless version (single) is what the DAG's merge
// gives for it, field for field, over versions with every kind of field:
// set, null, empty, spaced JSON, bookkeeping, a signature, a retraction,
// $resolves names; and an invalid one fails alike.
func TestSingleVersionMergesAsTheDAGDoes(t *testing.T) {
	values := []string{`"x"`, `null`, ``, ` { "a" : [1, 2] } `, `0`, `""`, `false`, `"2026-12-06T00:00:00Z"`}
	fields := []string{"title", "comment", "signature", "enteredInError", "version", "updatedAt", "updatedBy", "sections"}
	rng := rand.New(rand.NewPCG(12, 2))
	for i := range 2000 {
		v := mv(fmt.Sprintf("c%04d", i), int64(1000+i), "")
		v.Fields = map[string]json.RawMessage{}
		for _, f := range fields {
			if rng.IntN(3) > 0 {
				v.Fields[f] = json.RawMessage(values[rng.IntN(len(values))])
			}
		}
		if rng.IntN(4) == 0 {
			v.Resolves = []string{fields[rng.IntN(len(fields))]}
		}
		got, gotErr := single(v)
		want, wantErr := recordDAG([]Version{v})
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("version %d %v: single err %v, DAG err %v", i, v.Fields, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("version %d %v:\nsingle %+v\nDAG    %+v", i, v.Fields, got, want)
		}
	}
	bad := mv("bad", 1, "")
	bad.Fields = map[string]json.RawMessage{"title": json.RawMessage(`{not json`)}
	if _, err := Record([]Version{bad}); err == nil {
		t.Fatal("a version with a field that is not JSON merged")
	}
	if _, err := Record([]Version{{}}); err == nil {
		t.Fatal("a version without a change id merged")
	}
}

func BenchmarkMergeRecordOneVersion(b *testing.B) {
	// a patient-sized record: 16 short fields
	v := mv("v1", 1000, "")
	for f := range 16 {
		v.Fields[fmt.Sprintf("field%02d", f)] = json.RawMessage(fmt.Sprintf("%q", fmt.Sprintf("value of field %d", f)))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Record([]Version{v}); err != nil {
			b.Fatal(err)
		}
	}
}
