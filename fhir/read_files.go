package fhir

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// inputSuffixes are the file names a folder is searched for.
var inputSuffixes = []string{".json", ".ndjson", ".json.gz", ".ndjson.gz"}

// IsInputName says whether a file name looks like FHIR JSON or NDJSON.
func IsInputName(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range inputSuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	return false
}

// BulkManifestName is the file a Bulk Data export (Outpost's among them)
// writes beside its NDJSON files to list them; a folder's walk leaves it
// out.
const BulkManifestName = "manifest.json"

// FindFiles lists the files to read: each path that is a file is taken as
// given; each folder is searched (with its subfolders) for .json, .ndjson,
// .json.gz and .ndjson.gz files, in name order, hidden ones and a Bulk
// Data manifest left out.
func FindFiles(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, err)
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			hidden := strings.HasPrefix(d.Name(), ".") && path != p
			switch {
			case d.IsDir() && hidden:
				return filepath.SkipDir
			case !d.IsDir() && d.Name() == BulkManifestName:
				// A Bulk Data export's manifest lists the files beside
				// it; it is not a resource.
			case !d.IsDir() && !hidden && IsInputName(d.Name()):
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("cannot search %s: %w", p, err)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}
