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
	RxNormFile = "rxnorm.tsv"
)

func main() {
	fixtures := flag.String("fixtures", "/work/shared/fixtures/codes", "directory holding icd10cm/, cvx/ and rxnorm/")
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

// Generate returns the data files, by name, built from the fixtures in dir.
func Generate(dir string) (map[string][]byte, error) {
	steps := []struct {
		name, src string
		conv      func(io.Reader, io.Writer) error
		gzip      bool
	}{
		{ICD10File, "icd10cm/icd10cm-order-2022.csv.gz", convertICD10, true},
		{CVXFile, "cvx/cvx.csv", convertCVX, false},
		{RxNormFile, "rxnorm/rxnorm-synthea-observed.csv", convertRxNorm, false},
	}
	files := map[string][]byte{}
	for _, s := range steps {
		data, err := convertFile(filepath.Join(dir, s.src), s.conv, s.gzip)
		if err != nil {
			return nil, fmt.Errorf("generate %s: %w", s.name, err)
		}
		files[s.name] = data
	}
	return files, nil
}

func convertFile(path string, conv func(io.Reader, io.Writer) error, compress bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var in io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		in = zr
	}
	var buf bytes.Buffer
	if !compress {
		err := conv(in, &buf)
		return buf.Bytes(), err
	}
	// A zero gzip header (no name, no time) keeps the output reproducible.
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := conv(in, zw); err != nil {
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

// convertRxNorm writes rxcui, display.
func convertRxNorm(in io.Reader, out io.Writer) error {
	return readCSV(in, []string{"rxcui", "display"}, func(get func(string) string) error {
		return writeRow(out, get("rxcui"), get("display"))
	})
}
