// Command decodegen writes fhir's decoders for its R4 types (decode_r4_*.go)
// from the type declarations in r4_types.go and r4_resources.go, so a field
// added to a type is decoded the way its JSON tag says without anyone
// writing it twice. Run it with `go generate ./fhir`; TestDecodersGenerated
// fails when the files are stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

func main() {
	dir := flag.String("dir", ".", "the fhir package's folder")
	flag.Parse()
	files, err := Generate(*dir)
	if err != nil {
		log.Fatal(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*dir, name), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// sources are the files whose struct types get decoders.
var sources = []string{"r4_types.go", "r4_resources.go"}

// maxLines bounds a generated file (the project keeps files small).
const maxLines = 500

// structType is one declared (or anonymous, named here by its place)
// struct type and its JSON fields, embedded structs' fields promoted.
type structType struct {
	name   string // Go name of the decoder's suffix
	goType string // the type as Go code spells it
	fields []field
}

type field struct {
	json string   // the member name
	path string   // the Go selector from v
	typ  ast.Expr // the field's type
}

type generator struct {
	fset   *token.FileSet
	decls  map[string]*ast.StructType
	order  []string // declared types, in source order
	anon   []structType
	slices map[string]bool // element types decoded as slices
}

// Generate returns the decoder files' contents by name.
func Generate(dir string) (map[string][]byte, error) {
	g := &generator{fset: token.NewFileSet(), decls: map[string]*ast.StructType{}, slices: map[string]bool{}}
	for _, in := range sources {
		f, err := parser.ParseFile(g.fset, filepath.Join(dir, in), nil, 0)
		if err != nil {
			return nil, fmt.Errorf("decodegen: %w", err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				if st, ok := ts.Type.(*ast.StructType); ok {
					g.decls[ts.Name.Name] = st
					g.order = append(g.order, ts.Name.Name)
				}
			}
		}
	}
	var blocks []string
	for _, name := range g.order {
		st, err := g.structOf(name, name, g.decls[name])
		if err != nil {
			return nil, err
		}
		b, err := g.writeStruct(st)
		if err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}
	for len(g.anon) > 0 {
		st := g.anon[0]
		g.anon = g.anon[1:]
		b, err := g.writeStruct(st)
		if err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}
	blocks = append(blocks, g.slicesAndSwitch()...)
	out := map[string][]byte{}
	var body bytes.Buffer
	flush := func() error {
		src, err := file(body.Bytes())
		if err != nil {
			return err
		}
		out[fmt.Sprintf("decode_r4_%d.go", len(out)+1)] = src
		body.Reset()
		return nil
	}
	for _, b := range blocks {
		if body.Len() > 0 && bytes.Count(body.Bytes(), []byte("\n"))+strings.Count(b, "\n") > maxLines-10 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		body.WriteString(b)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// structOf lists a struct's JSON fields as encoding/json sees them: tag
// names, untagged exported fields by their name, embedded structs' fields
// promoted unless a shallower field has the name.
func (g *generator) structOf(name, goType string, st *ast.StructType) (structType, error) {
	out := structType{name: name, goType: goType}
	var walk func(st *ast.StructType, prefix string, depth int) error
	byName := map[string]int{}
	depthOf := map[string]int{}
	walk = func(st *ast.StructType, prefix string, depth int) error {
		for _, f := range st.Fields.List {
			tag := ""
			if f.Tag != nil {
				tag = reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
			}
			jsonName, opts, _ := strings.Cut(tag, ",")
			if jsonName == "-" && opts == "" {
				continue
			}
			if strings.Contains(opts, "string") {
				return fmt.Errorf("decodegen: %s: the ,string option is not supported", name)
			}
			if len(f.Names) == 0 { // embedded
				id, ok := f.Type.(*ast.Ident)
				if !ok || g.decls[id.Name] == nil || tag != "" {
					return fmt.Errorf("decodegen: %s: only untagged embedded struct types of the package are supported", name)
				}
				if err := walk(g.decls[id.Name], prefix+id.Name+".", depth+1); err != nil {
					return err
				}
				continue
			}
			for _, n := range f.Names {
				if !n.IsExported() {
					continue
				}
				jn := jsonName
				if jn == "" {
					jn = n.Name
				}
				if d, ok := depthOf[jn]; ok {
					if d == depth {
						return fmt.Errorf("decodegen: %s: two fields named %q at one depth", name, jn)
					}
					if d < depth {
						continue
					}
					out.fields[byName[jn]] = field{json: jn, path: prefix + n.Name, typ: f.Type}
					depthOf[jn] = depth
					continue
				}
				byName[jn], depthOf[jn] = len(out.fields), depth
				out.fields = append(out.fields, field{json: jn, path: prefix + n.Name, typ: f.Type})
			}
		}
		return nil
	}
	if err := walk(st, "", 0); err != nil {
		return out, err
	}
	return out, nil
}

// writeStruct is the decoder of one struct type.
func (g *generator) writeStruct(st structType) (string, error) {
	w := &bytes.Buffer{}
	folded := make([]string, len(st.fields))
	for k, f := range st.fields {
		folded[k] = fmt.Sprintf("%q", strings.ToLower(f.json))
	}
	fmt.Fprintf(w, "\nvar folded%s = []string{%s}\n\n", st.name, strings.Join(folded, ", "))
	fmt.Fprintf(w, "func (d *decoder) decode%s(v *%s) {\n", st.name, st.goType)
	fmt.Fprintf(w, "\td.object(folded%s, func(name []byte) bool {\n\t\tswitch string(name) {\n", st.name)
	for _, f := range st.fields {
		call, err := g.call(st.name, f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(w, "\t\tcase %q:\n\t\t\t%s\n", f.json, call)
	}
	fmt.Fprintf(w, "\t\tdefault:\n\t\t\treturn false\n\t\t}\n\t\treturn true\n\t})\n}\n")
	return w.String(), nil
}

// call is the statement decoding field f of a value v.
func (g *generator) call(owner string, f field) (string, error) {
	p := "&v." + f.path
	switch t := f.typ.(type) {
	case *ast.Ident:
		switch t.Name {
		case "string":
			return "d.str(" + p + ")", nil
		case "bool":
			return "d.boolean(" + p + ")", nil
		case "int":
			return "d.integer(" + p + ")", nil
		case "int64":
			return "d.long(" + p + ")", nil
		}
		if g.decls[t.Name] != nil {
			return "d.decode" + t.Name + "(" + p + ")", nil
		}
	case *ast.SelectorExpr:
		switch g.expr(t) {
		case "json.Number":
			return "d.number(" + p + ")", nil
		case "json.RawMessage":
			return "d.raw(" + p + ")", nil
		}
	case *ast.StarExpr:
		switch x := t.X.(type) {
		case *ast.Ident:
			switch x.Name {
			case "string":
				return "d.strPtr(" + p + ")", nil
			case "bool":
				return "d.boolPtr(" + p + ")", nil
			case "int":
				return "d.intPtr(" + p + ")", nil
			}
			if g.decls[x.Name] != nil {
				return fmt.Sprintf("v.%s = new(%s)\n\t\t\td.decode%s(v.%s)", f.path, x.Name, x.Name, f.path), nil
			}
		case *ast.StructType:
			name := owner + strings.ReplaceAll(f.path, ".", "")
			goType := g.expr(x)
			st, err := g.structOf(name, goType, x)
			if err != nil {
				return "", err
			}
			g.anon = append(g.anon, st)
			return fmt.Sprintf("v.%s = new(%s)\n\t\t\td.decode%s(v.%s)", f.path, goType, name, f.path), nil
		}
	case *ast.ArrayType:
		if t.Len == nil {
			if x, ok := t.Elt.(*ast.Ident); ok {
				if x.Name == "string" {
					return "d.strings(" + p + ")", nil
				}
				if g.decls[x.Name] != nil {
					g.slices[x.Name] = true
					return "d.slice" + x.Name + "(" + p + ")", nil
				}
			}
		}
	}
	return "", fmt.Errorf("decodegen: %s.%s: type %s is not supported", owner, f.path, g.expr(f.typ))
}

func (g *generator) expr(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, g.fset, e)
	return b.String()
}

// file wraps body as a Go file.
func file(body []byte) ([]byte, error) {
	var w bytes.Buffer
	w.WriteString("// Code generated by fhir/internal/decodegen from the R4 types; DO NOT EDIT.\n\npackage fhir\n")
	if bytes.Contains(body, []byte("json.")) {
		w.WriteString("\nimport \"encoding/json\"\n")
	}
	w.Write(body)
	src, err := format.Source(w.Bytes())
	if err != nil {
		return nil, fmt.Errorf("decodegen: %w", err)
	}
	return src, nil
}

// slicesAndSwitch are the decoders of the slices the fields hold, and the
// type switches Unmarshal dispatches on.
func (g *generator) slicesAndSwitch() []string {
	var elems []string
	for e := range g.slices {
		elems = append(elems, e)
	}
	sort.Strings(elems)
	var blocks []string
	for _, e := range elems {
		blocks = append(blocks, fmt.Sprintf("\nfunc (d *decoder) slice%s(p *[]%s) {\n\tlist := []%s{}\n", e, e, e)+
			fmt.Sprintf("\tif d.array(func() {\n\t\tlist = append(list, %s{})\n\t\td.decode%s(&list[len(list)-1])\n\t}) {\n\t\t*p = list\n\t}\n}\n", e, e))
	}
	var w strings.Builder
	w.WriteString("\n// decodeKnown decodes into v when it points to a type with a decoder.\nfunc decodeKnown(d *decoder, v any) bool {\n\tswitch v := v.(type) {\n")
	for _, t := range g.order {
		fmt.Fprintf(&w, "\tcase *%s:\n\t\td.decode%s(v)\n", t, t)
	}
	w.WriteString("\tdefault:\n\t\treturn false\n\t}\n\treturn d.ok\n}\n")
	w.WriteString("\n// resetKnown sets *v back to its zero value after the fast path gave up.\nfunc resetKnown(v any) {\n\tswitch v := v.(type) {\n")
	for _, t := range g.order {
		fmt.Fprintf(&w, "\tcase *%s:\n\t\t*v = %s{}\n", t, t)
	}
	w.WriteString("\t}\n}\n")
	return append(blocks, w.String())
}
