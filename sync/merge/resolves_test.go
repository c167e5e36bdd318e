package merge

import (
	"encoding/json"
	"slices"
	"testing"
)

// The fields a version resolves travel inside its sealed plaintext and come
// back out unchanged, sorted and without repeats; a version that resolves
// nothing is left as it was.
func TestResolvesRoundTrip(t *testing.T) {
	pt := []byte(`{"name":"Ada","dose":"5 mg"}`)
	out, err := WithResolves(slices.Clone(pt), []string{"name", "dose", "name"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := PlaintextResolves(out)
	if err != nil || !slices.Equal(got, []string{"dose", "name"}) {
		t.Fatalf("PlaintextResolves = %v, %v; want [dose name]", got, err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(out, &fields); err != nil {
		t.Fatal(err)
	}
	split, err := SplitResolves(fields)
	if err != nil || !slices.Equal(split, []string{"dose", "name"}) {
		t.Fatalf("SplitResolves = %v, %v", split, err)
	}
	if _, still := fields[ResolvesKey]; still || len(fields) != 2 {
		t.Fatalf("fields after the split: %v, want the record's two fields only", fields)
	}
	back, err := ResolvesField(fields, split)
	if err != nil || string(back[ResolvesKey]) != `["dose","name"]` {
		t.Fatalf("ResolvesField = %s, %v", back[ResolvesKey], err)
	}
	same, err := WithResolves(pt, nil)
	if err != nil || string(same) != string(pt) {
		t.Fatalf("nothing resolved: %s, %v; want the plaintext unchanged", same, err)
	}
	if got, err := PlaintextResolves(pt); err != nil || got != nil {
		t.Fatalf("no list: %v, %v; want none", got, err)
	}
}

// A list that is not a list of names is an error, never an empty list.
func TestResolvesMalformed(t *testing.T) {
	if _, err := PlaintextResolves([]byte(`{"$resolves":"name"}`)); err == nil {
		t.Fatal("a string for the list: no error")
	}
	if _, err := SplitResolves(map[string]json.RawMessage{ResolvesKey: json.RawMessage(`{}`)}); err == nil {
		t.Fatal("an object for the list: no error")
	}
	if _, err := WithResolves([]byte(`not json`), []string{"name"}); err == nil {
		t.Fatal("a plaintext that is not an object: no error")
	}
}
