package codes

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The curated tables are written by hand in curated/ (one row per entry,
// each citing its source) and embedded as they are; tests check every row
// against the code lists.
//
//go:embed curated/*.csv
var curatedFiles embed.FS

// curatedRow is one row of a curated table, by column name.
type curatedRow map[string]string

// readCurated parses curated/name: a header row naming at least want,
// lines starting with # are comments, every wanted field is required.
func readCurated(name string, want ...string) ([]curatedRow, error) {
	f, err := curatedFiles.Open("curated/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	for _, w := range want {
		if !contains(header, w) {
			return nil, fmt.Errorf("%s: no %q column", name, w)
		}
	}
	var rows []curatedRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		row := curatedRow{}
		for i, h := range header {
			row[h] = strings.TrimSpace(rec[i])
		}
		for _, w := range want {
			if row[w] == "" {
				line, _ := r.FieldPos(0)
				return nil, fmt.Errorf("%s line %d: %s is empty", name, line, w)
			}
		}
		rows = append(rows, row)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
