package merge

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"outpost/chart"
)

// CheckChoice refuses a resolution choice this build does not know.
func CheckChoice(choice string) error {
	switch choice {
	case chart.ResolveKeepShown, chart.ResolveTakeOther, chart.ResolveMerged, chart.ResolveAddendum:
		return nil
	}
	return chart.FieldError("choice", "Choose how to resolve the conflict: keep the value shown, take another value, "+
		"or enter a merged value.")
}

// Choose is the value resolution r puts in conflict c's field, or a
// chart field error saying what is wrong with r.
func Choose(r chart.Resolution, c Conflict) (json.RawMessage, error) {
	switch r.Choice {
	case chart.ResolveKeepShown:
		return c.Winner.Value, nil
	case chart.ResolveTakeOther:
		if r.OtherIndex < 0 || r.OtherIndex >= len(c.Others) {
			return nil, chart.FieldError("otherIndex", "Choose one of the other values listed.")
		}
		return c.Others[r.OtherIndex].Value, nil
	case chart.ResolveMerged:
		return mergedValue(r.Value, c, r.ConfirmEmpty)
	}
	return nil, chart.FieldError("choice", "Only a conflict with a signed note can be kept as an addendum.")
}

// mergedValue checks a reviewer's value: valid JSON of the kind the field
// holds (the shown value's, or when the field is shown empty, one of the
// others'), and not empty unless the reviewer confirmed that the field is
// to be cleared (an empty merge once erased an allergy's reaction).
func mergedValue(v json.RawMessage, c Conflict, confirmEmpty bool) (json.RawMessage, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || !json.Valid(v) {
		return nil, chart.FieldError("value", "The merged value could not be read. Enter it again.")
	}
	want := []string{JSONType(c.Winner.Value)}
	if want[0] == "null" {
		for _, o := range c.Others {
			want = append(want, JSONType(o.Value))
		}
	}
	if !slices.Contains(want, JSONType(v)) {
		return nil, chart.FieldError("value", "The merged value is not the kind of value this field holds. "+
			"Start from one of the values shown and edit it.")
	}
	if !confirmEmpty && emptyJSON(v) {
		return nil, chart.FieldError("confirmEmpty", "The merged value is empty: saving it would clear this field "+
			"on every workstation. Enter a value, or confirm that the field should be cleared.")
	}
	return v, nil
}

// emptyJSON reports whether raw says nothing: null, blank text, or a list
// or object of nothing but those.
func emptyJSON(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	return emptyValue(v)
}

func emptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		for _, e := range x {
			if !emptyValue(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !emptyValue(e) {
				return false
			}
		}
		return true
	}
	return false // numbers and booleans say something
}

// JSONType names the JSON type of raw ("null" for empty).
func JSONType(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "null"
	}
	switch t[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
