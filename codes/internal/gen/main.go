// Command gen builds the compact code-list files that package codes embeds
// from the fixture files in /work/shared/fixtures/codes (see their
// SOURCE.md). Output is byte-for-byte reproducible, so the committed data
// files can be checked against their source:
//
//	go run ./codes/internal/gen [-fixtures DIR] [-out codes/data]
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// Output file names, shared with package codes by convention.
const (
	ICD10File  = "icd10cm-2022.tsv.gz"
	CVXFile    = "cvx.tsv"
	RxNormFile = "rxnorm.tsv.gz"
	LOINCFile  = "loinc.tsv"
)

func main() {
	fixtures := flag.String("fixtures", "/work/shared/fixtures/codes", "directory holding icd10cm/, cvx/, rxnorm/ and loinc/")
	out := flag.String("out", "codes/data", "directory to write the data files into")
	flag.Parse()
	files, err := Generate(*fixtures)
	if err != nil {
		log.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// oneFile converts a single fixture file.
func oneFile(src string, conv func(io.Reader, io.Writer) error) func(dir string, out io.Writer) error {
	return func(dir string, out io.Writer) error {
		in, err := openFixture(filepath.Join(dir, src))
		if err != nil {
			return err
		}
		defer in.Close()
		return conv(in, out)
	}
}

// Generate returns the data files, by name, built from the fixtures in dir.
func Generate(dir string) (map[string][]byte, error) {
	steps := []struct {
		name string
		conv func(dir string, out io.Writer) error
		gzip bool
	}{
		{ICD10File, oneFile("icd10cm/icd10cm-order-2022.csv.gz", convertICD10), true},
		{CVXFile, oneFile("cvx/cvx.csv", convertCVX), false},
		{RxNormFile, func(d string, out io.Writer) error { return convertRxNorm(filepath.Join(d, "rxnorm"), out) }, true},
		{LOINCFile, oneFile("loinc/loinc-synthea-observed.csv", convertLOINC), false},
	}
	files := map[string][]byte{}
	for _, s := range steps {
		data, err := convertTo(dir, s.conv, s.gzip)
		if err != nil {
			return nil, fmt.Errorf("generate %s: %w", s.name, err)
		}
		files[s.name] = data
	}
	return files, nil
}

// openFixture opens a fixture file, decompressing a .gz one.
func openFixture(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, f}, nil
}

// readFixtureCSV reads one CSV fixture through open (see readCSV).
func readFixtureCSV(open func(string) (io.ReadCloser, error), name string, want []string, row func(get func(string) string) error) error {
	in, err := open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := readCSV(in, want, row); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func convertTo(dir string, conv func(string, io.Writer) error, compress bool) ([]byte, error) {
	var buf bytes.Buffer
	if !compress {
		err := conv(dir, &buf)
		return buf.Bytes(), err
	}
	// A zero gzip header (no name, no time) keeps the output reproducible.
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := conv(dir, zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readCSV reads a CSV with a header row and calls row with a column getter.
func readCSV(in io.Reader, want []string, row func(get func(string) string) error) error {
	r := csv.NewReader(in)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return fmt.Errorf("column %q missing", w)
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := row(func(name string) string { return rec[col[name]] }); err != nil {
			return err
		}
	}
}

// clean makes a value safe for one TSV field.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func writeRow(w io.Writer, fields ...string) error {
	for i, f := range fields {
		fields[i] = clean(f)
	}
	_, err := io.WriteString(w, strings.Join(fields, "\t")+"\n")
	return err
}

// convertICD10 writes code (no dot), billable (1/0) and the long
// description, in the CDC tabular order so headers precede their codes.
func convertICD10(in io.Reader, out io.Writer) error {
	n := 0
	err := readCSV(in, []string{"code", "code_dotted", "billable", "long_description"}, func(get func(string) string) error {
		n++
		b := get("billable")
		if b != "0" && b != "1" {
			return fmt.Errorf("code %s: billable %q", get("code"), b)
		}
		// Package codes puts the dot after the third character; check that
		// this is the fixture's spelling too.
		if c := get("code"); len(c) > 3 && get("code_dotted") != c[:3]+"."+c[3:] || len(c) <= 3 && get("code_dotted") != c {
			return fmt.Errorf("code %s: dotted form %q differs", get("code"), get("code_dotted"))
		}
		return writeRow(out, get("code"), b, get("long_description"))
	})
	if err == nil && n < 90000 {
		err = fmt.Errorf("only %d ICD-10-CM rows; is the file complete?", n)
	}
	return err
}

// convertCVX writes code, status, display, full name. The display falls
// back to the full name where the short description is missing.
func convertCVX(in io.Reader, out io.Writer) error {
	return readCSV(in, []string{"cvx_code", "short_description", "full_vaccine_name", "status"}, func(get func(string) string) error {
		display := clean(get("short_description"))
		if display == "" {
			display = get("full_vaccine_name")
		}
		return writeRow(out, get("cvx_code"), get("status"), display, get("full_vaccine_name"))
	})
}
