package merge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// ResolvesKey carries Version.Resolves inside a sealed record: the
// fields whose conflict a version settles by keeping the shown value. It
// must travel with the change (the merge on every workstation needs it) and
// it names health-record fields, so it lives in the sealed plaintext, not
// in a clear column. Chart types have no such field and ignore it.
const ResolvesKey = "$resolves"

// WithResolves returns the JSON object pt with ResolvesKey set to fields
// (pt unchanged when fields is empty).
func WithResolves(pt []byte, fields []string) ([]byte, error) {
	if len(fields) == 0 {
		return pt, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(pt, &obj); err != nil {
		return nil, fmt.Errorf("add resolved fields: %w", err)
	}
	list, err := json.Marshal(slices.Compact(slices.Sorted(slices.Values(fields))))
	if err != nil {
		return nil, fmt.Errorf("add resolved fields: %w", err)
	}
	obj[ResolvesKey] = list
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("add resolved fields: %w", err)
	}
	clear(pt)
	return out, nil
}

// SplitResolves removes ResolvesKey from a version's fields and returns
// the fields it names.
func SplitResolves(fields map[string]json.RawMessage) ([]string, error) {
	raw, ok := fields[ResolvesKey]
	if !ok {
		return nil, nil
	}
	delete(fields, ResolvesKey)
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("resolved fields: %w", err)
	}
	return out, nil
}

// PlaintextResolves reads ResolvesKey from a sealed record's plaintext.
func PlaintextResolves(pt []byte) ([]string, error) {
	if !bytes.Contains(pt, []byte(`"`+ResolvesKey+`"`)) {
		return nil, nil // the common case: skip a second parse
	}
	var v struct {
		Resolves []string `json:"$resolves"`
	}
	if err := json.Unmarshal(pt, &v); err != nil {
		return nil, fmt.Errorf("resolved fields: %w", err)
	}
	return v.Resolves, nil
}

// ResolvesField returns fields with the resolved list put back under
// ResolvesKey, for a store that opens a version as fields and splits the list off again
// later (the workstation's per-kind openers).
func ResolvesField(fields map[string]json.RawMessage, resolves []string) (map[string]json.RawMessage, error) {
	if len(resolves) == 0 {
		return fields, nil
	}
	raw, err := json.Marshal(resolves)
	if err != nil {
		return nil, fmt.Errorf("resolved fields: %w", err)
	}
	fields[ResolvesKey] = raw
	return fields, nil
}
