package chart

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// The built-in note templates ship as data, so that changing a prompt is an
// edit of templates.json rather than of code.
//
//go:embed templates.json
var builtInTemplatesJSON []byte

// BuiltInTemplateIDPrefix starts the id of every built-in template; a
// practice's own templates have record ids instead.
const BuiltInTemplateIDPrefix = "builtin-"

var loadBuiltInTemplates = sync.OnceValues(func() ([]Template, error) {
	var ts []Template
	if err := json.Unmarshal(builtInTemplatesJSON, &ts); err != nil {
		return nil, fmt.Errorf("parse built-in templates: %w", err)
	}
	for i := range ts {
		ts[i].BuiltIn = true
		if err := ts[i].Validate(); err != nil {
			return nil, fmt.Errorf("built-in template %s: %w", ts[i].ID, err)
		}
	}
	return ts, nil
})

// BuiltInTemplates returns a fresh copy of the templates that ship with
// Outpost. templates.json is checked by a test, so the error is not expected.
func BuiltInTemplates() ([]Template, error) {
	ts, err := loadBuiltInTemplates()
	if err != nil {
		return nil, err
	}
	out := make([]Template, len(ts))
	for i, t := range ts {
		out[i] = t
		out[i].Sections = append([]TemplateSection(nil), t.Sections...)
	}
	return out, nil
}
