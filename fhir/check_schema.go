package fhir

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// node is what the checks know of an element's shape: whether FHIR
// requires an array there, and the shapes of its members. It is derived
// from the R4 structs Outpost maps (r4_resources.go), so a resource type
// or element Outpost reads is checked the way it will be decoded.
type node struct {
	array  bool
	fields map[string]*node
	// elem is the shape of each element of an array.
	elem *node
}

// element is the shape of one element when n is an array, else n.
func (n *node) element() *node {
	if n != nil && n.array {
		return n.elem
	}
	return n
}

var mapped = map[string]any{
	"Patient": Patient{}, "Encounter": Encounter{}, "Condition": Condition{},
	"MedicationRequest": MedicationRequest{}, "MedicationStatement": MedicationStatement{},
	"Medication": Medication{}, "AllergyIntolerance": AllergyIntolerance{}, "Observation": Observation{},
	"DiagnosticReport": DiagnosticReport{}, "Immunization": Immunization{},
	"DocumentReference": DocumentReference{}, "Procedure": Procedure{}, "Practitioner": Practitioner{},
	"Organization": Organization{}, "Composition": Composition{},
}

var (
	schemasOnce sync.Once
	schemas     map[string]*node
)

// schemaFor is the shape of a mapped resource type, nil for others.
func schemaFor(typ string) *node {
	schemasOnce.Do(func() {
		schemas = map[string]*node{}
		for name, v := range mapped {
			schemas[name] = shapeOf(reflect.TypeOf(v), 0)
		}
	})
	return schemas[typ]
}

var rawType = reflect.TypeOf(json.RawMessage{})

func shapeOf(t reflect.Type, depth int) *node {
	n := &node{}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice && t != rawType {
		n.array = true
		t = t.Elem()
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	n.elem = &node{}
	if t.Kind() != reflect.Struct || depth > 8 {
		return n
	}
	n.fields = map[string]*node{}
	addFields(n, t, depth)
	n.elem.fields = n.fields
	return n
}

func addFields(n *node, t reflect.Type, depth int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			addFields(n, f.Type, depth)
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		n.fields[name] = shapeOf(f.Type, depth+1)
	}
}
