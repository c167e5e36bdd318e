package fhirimport

import (
	"encoding/json"
	"net/url"
	"strings"

	"outpost/fhir"
)

// Index finds resources by every name a reference may use: the entry's
// fullUrl ("urn:uuid:…" or an absolute URL), "Type/id", and for
// conditional references "Type?identifier=system|value" (from the
// resource's identifiers and a batch entry's ifNoneExist).
type Index struct {
	byKey map[string]fhir.Resource
}

// NewIndex makes an empty index.
func NewIndex() *Index { return &Index{byKey: map[string]fhir.Resource{}} }

// Len is the number of resources' names held.
func (x *Index) Len() int { return len(x.byKey) }

// Add indexes a resource under all its names; the first resource to
// claim a name keeps it.
func (x *Index) Add(e fhir.Entry) {
	r := e.Resource
	x.addNames(r)
	for _, key := range identifierKeys(r) {
		x.put(key, r)
	}
	if e.Request != nil && e.Request.IfNoneExist != "" {
		if key, ok := conditionalKey(r.Type + "?" + e.Request.IfNoneExist); ok {
			x.put(key, r)
		}
	}
}

// addNames indexes a resource by fullUrl and Type/id only: a patient's
// own resources, which conditional references do not name in the files
// we know, and whose identifiers would cost a decoding each.
func (x *Index) addNames(r fhir.Resource) {
	if r.FullURL != "" {
		x.put(r.FullURL, r)
	}
	if r.Type != "" && r.ID != "" {
		x.put(r.Type+"/"+r.ID, r)
	}
}

func (x *Index) put(key string, r fhir.Resource) {
	if _, taken := x.byKey[key]; !taken {
		x.byKey[key] = r
	}
}

// identifierKeys are the conditional-reference names of a resource's
// identifiers: with the system and, for "identifier=value" searches,
// without it.
func identifierKeys(r fhir.Resource) []string {
	var v struct {
		Identifier []fhir.Identifier `json:"identifier"`
	}
	if json.Unmarshal(r.Raw, &v) != nil {
		return nil
	}
	var keys []string
	for _, id := range v.Identifier {
		if id.Value == "" {
			continue
		}
		keys = append(keys, r.Type+"?identifier="+id.System+"|"+id.Value, r.Type+"?identifier="+id.Value)
	}
	return keys
}

// conditionalKey reduces a conditional reference to the index's name for
// it: the identifier parameter only (other parameters cannot be searched
// offline, so a reference with only those stays unresolved).
func conditionalKey(ref string) (string, bool) {
	typ, query, ok := strings.Cut(ref, "?")
	if !ok || typ == "" {
		return "", false
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return "", false
	}
	id := values.Get("identifier")
	if id == "" {
		return "", false
	}
	return typ + "?identifier=" + id, true
}

// Resolve finds the resource ref names, from the resource that holds it.
func (x *Index) Resolve(ref string, from fhir.Resource) (fhir.Resource, bool) {
	switch {
	case ref == "":
		return fhir.Resource{}, false
	case strings.HasPrefix(ref, "#"):
		return contained(from, ref[1:])
	case strings.Contains(ref, "?"):
		key, ok := conditionalKey(ref)
		if !ok {
			return fhir.Resource{}, false
		}
		r, ok := x.byKey[key]
		return r, ok
	}
	if r, ok := x.byKey[ref]; ok {
		return r, true
	}
	if strings.HasPrefix(ref, "urn:") {
		return fhir.Resource{}, false
	}
	if key := typeAndID(ref); key != ref && key != "" {
		if r, ok := x.byKey[key]; ok {
			return r, true
		}
	}
	// A relative reference inside an entry whose fullUrl is absolute is
	// relative to that server's base.
	if base := serverBase(from.FullURL); base != "" && !strings.Contains(ref, "://") {
		r, ok := x.byKey[base+ref]
		return r, ok
	}
	return fhir.Resource{}, false
}

// typeAndID is the "Type/id" at the end of a reference or URL, with any
// "/_history/n" left off.
func typeAndID(ref string) string {
	parts := strings.Split(strings.TrimSuffix(ref, "/"), "/")
	if n := len(parts); n >= 4 && parts[n-2] == "_history" {
		parts = parts[:n-2]
	}
	if n := len(parts); n >= 2 {
		return parts[n-2] + "/" + parts[n-1]
	}
	return ""
}

// serverBase is "http://host/fhir/" for "http://host/fhir/Type/id".
func serverBase(fullURL string) string {
	if !strings.Contains(fullURL, "://") {
		return ""
	}
	tail := typeAndID(fullURL)
	if tail == "" || !strings.HasSuffix(fullURL, tail) {
		return ""
	}
	return strings.TrimSuffix(fullURL, tail)
}

// contained finds a contained resource by its local id.
func contained(from fhir.Resource, id string) (fhir.Resource, bool) {
	if id == "" {
		return fhir.Resource{}, false
	}
	r, ok := fhir.Contained(from.Raw, id)
	r.At = from.At
	return r, ok
}

// chain resolves in one index, then the next: a patient's own resources
// before the resources shared by the whole import.
type chain []*Index

func (c chain) Resolve(ref string, from fhir.Resource) (fhir.Resource, bool) {
	for _, x := range c {
		if r, ok := x.Resolve(ref, from); ok {
			return r, true
		}
	}
	return fhir.Resource{}, false
}
