package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	gosync "sync"
)

// unmarshalStrict is json.Unmarshal that also refuses object keys v's types
// do not name (what json.Decoder.DisallowUnknownFields does). Unmarshal
// works on data in place, where a Decoder would copy the message into a
// buffer grown by doubling: for a 40 MiB push that is the difference
// between holding 40 MiB and 96.
func unmarshalStrict(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	s := keyScanner{data: data}
	s.space()
	return s.value(reflect.TypeOf(v))
}

// keyScanner walks JSON that json.Unmarshal has accepted, so it checks
// object keys only, not syntax.
type keyScanner struct {
	data []byte
	i    int
}

func (s *keyScanner) space() {
	for s.i < len(s.data) && strings.IndexByte(" \t\r\n", s.data[s.i]) >= 0 {
		s.i++
	}
}

// value skips one value, checking the keys of objects decoded into
// structs of type t (nil: anything goes, e.g. json.RawMessage or []byte).
func (s *keyScanner) value(t reflect.Type) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch s.data[s.i] {
	case '{':
		return s.object(t)
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		return s.array(elem)
	case '"':
		s.str()
	default:
		for s.i < len(s.data) && strings.IndexByte(",]} \t\r\n", s.data[s.i]) < 0 {
			s.i++
		}
	}
	return nil
}

func (s *keyScanner) object(t reflect.Type) error {
	fields := map[string]reflect.Type(nil)
	if t != nil && t.Kind() == reflect.Struct {
		fields = jsonFields(t)
	}
	s.i++ // {
	for {
		s.space()
		if s.data[s.i] == '}' {
			s.i++
			return nil
		}
		start := s.i
		s.str()
		var key string
		if err := json.Unmarshal(s.data[start:s.i], &key); err != nil {
			return err
		}
		var ft reflect.Type
		if fields != nil {
			var ok bool
			if ft, ok = lookupField(fields, key); !ok {
				return fmt.Errorf("json: unknown field %q", key)
			}
		}
		s.space()
		s.i++ // :
		s.space()
		if err := s.value(ft); err != nil {
			return err
		}
		s.space()
		if s.data[s.i] == ',' {
			s.i++
		}
	}
}

func (s *keyScanner) array(elem reflect.Type) error {
	s.i++ // [
	for {
		s.space()
		if s.data[s.i] == ']' {
			s.i++
			return nil
		}
		if err := s.value(elem); err != nil {
			return err
		}
		s.space()
		if s.data[s.i] == ',' {
			s.i++
		}
	}
}

// str skips a string, escapes included.
func (s *keyScanner) str() {
	s.i++ // opening quote
	for s.data[s.i] != '"' {
		if s.data[s.i] == '\\' {
			s.i++
		}
		s.i++
	}
	s.i++
}

// lookupField matches key as encoding/json does: exactly, else ignoring
// case.
func lookupField(fields map[string]reflect.Type, key string) (reflect.Type, bool) {
	if t, ok := fields[key]; ok {
		return t, true
	}
	for name, t := range fields {
		if strings.EqualFold(name, key) {
			return t, true
		}
	}
	return nil, false
}

var fieldCache gosync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields are the JSON names of t's fields and their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		ft := f.Type
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Uint8 {
			ft = nil // base64 string
		}
		m[name] = ft
	}
	fieldCache.Store(t, m)
	return m
}
