package growth

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The eight CDC 2000 LMS files, byte-identical to CDC's (SOURCE.md): CRLF
// line ends in most, the older lenageinf.csv with LF and extra columns,
// bmiagerev.csv repeating its header where the girls' rows start.
//
//go:embed cdc2000/*.csv
var cdcFiles embed.FS

// Sex is as CDC codes it: 1 male, 2 female. The references exist for no
// other value.
type Sex int

const (
	Male   Sex = 1
	Female Sex = 2
)

func (s Sex) String() string {
	switch s {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return fmt.Sprintf("sex %d", int(s))
}

// table is one sex's rows of one CDC file: the axis (age in months, or
// length/stature in cm) ascending, and the LMS at each.
type table struct {
	axis []float64
	lms  []LMS
}

// tables holds every file, parsed once, keyed by file name then sex.
var tables = sync.OnceValues(func() (map[string]map[Sex]*table, error) {
	out := map[string]map[Sex]*table{}
	for _, c := range charts {
		t, err := readFile(c.File, c.axisColumn())
		if err != nil {
			return nil, err
		}
		out[c.File] = t
	}
	return out, nil
})

// readFile parses one CDC file by its column names (so the extra columns of
// lenageinf.csv do not matter), skipping any repeated header row.
func readFile(name, axisColumn string) (map[Sex]*table, error) {
	f, err := cdcFiles.Open("cdc2000/" + name)
	if err != nil {
		return nil, fmt.Errorf("growth reference %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f) // reads CRLF and LF alike
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("growth reference %s: header: %w", name, err)
	}
	col, err := columns(header, "Sex", axisColumn, "L", "M", "S")
	if err != nil {
		return nil, fmt.Errorf("growth reference %s: %w", name, err)
	}
	out := map[Sex]*table{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("growth reference %s line %d: %w", name, line, err)
		}
		if strings.TrimSpace(rec[0]) == "Sex" {
			continue // the girls' rows start with the header again
		}
		sex, axis, p, err := parseRow(rec, col)
		if err != nil {
			return nil, fmt.Errorf("growth reference %s line %d: %w", name, line, err)
		}
		t := out[sex]
		if t == nil {
			t = &table{}
			out[sex] = t
		}
		t.axis = append(t.axis, axis)
		t.lms = append(t.lms, p)
	}
	return out, checkTables(name, out)
}

func columns(header []string, names ...string) ([]int, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = -1
		for j, h := range header {
			if strings.TrimSpace(h) == n {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("no %s column", n)
		}
	}
	return idx, nil
}

func parseRow(rec []string, col []int) (Sex, float64, LMS, error) {
	var v [5]float64
	for i, c := range col {
		if c >= len(rec) {
			return 0, 0, LMS{}, fmt.Errorf("the row has only %d fields", len(rec))
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
		if err != nil {
			return 0, 0, LMS{}, err
		}
		v[i] = x
	}
	sex := Sex(v[0])
	if sex != Male && sex != Female {
		return 0, 0, LMS{}, fmt.Errorf("sex %v is neither 1 nor 2", v[0])
	}
	if v[3] <= 0 || v[4] <= 0 {
		return 0, 0, LMS{}, fmt.Errorf("M and S must be positive")
	}
	return sex, v[1], LMS{L: v[2], M: v[3], S: v[4]}, nil
}

// checkTables wants both sexes and an axis that strictly increases, so
// that interpolation is well defined everywhere between the ends.
func checkTables(name string, ts map[Sex]*table) error {
	for _, s := range []Sex{Male, Female} {
		t := ts[s]
		if t == nil || len(t.axis) < 2 {
			return fmt.Errorf("growth reference %s: too few rows for %s", name, s)
		}
		if !sort.Float64sAreSorted(t.axis) {
			return fmt.Errorf("growth reference %s: %s rows out of order", name, s)
		}
		for i := 1; i < len(t.axis); i++ {
			if t.axis[i] == t.axis[i-1] {
				return fmt.Errorf("growth reference %s: %s row %v repeated", name, s, t.axis[i])
			}
		}
	}
	return nil
}

// at returns the LMS at axis value x, interpolated linearly between the
// rows around it; ok is false outside the table.
func (t *table) at(x float64) (LMS, bool) {
	n := len(t.axis)
	if !(x >= t.axis[0] && x <= t.axis[n-1]) {
		return LMS{}, false
	}
	i := sort.SearchFloat64s(t.axis, x) // first row ≥ x
	if t.axis[i] == x {
		return t.lms[i], true
	}
	a, b := t.axis[i-1], t.axis[i]
	return interpolate(t.lms[i-1], t.lms[i], (x-a)/(b-a)), true
}

func (t *table) first() float64 { return t.axis[0] }
func (t *table) last() float64  { return t.axis[len(t.axis)-1] }
