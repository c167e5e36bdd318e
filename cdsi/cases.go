package cdsi

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Case is one CDC test case in the JSON Lines form of
// ../shared/fixtures/cdsi (workbook columns in snake_case).
type Case struct {
	ID           string `json:"cdc_test_id"`
	Source       string `json:"source"`
	Name         string `json:"test_case_name"`
	DOB          string `json:"dob"`
	Gender       string `json:"gender"`
	Assessment   string `json:"assessment_date"`
	VaccineGroup string `json:"vaccine_group"`
	Observations []struct {
		Code string  `json:"code"`
		Date *string `json:"date"`
	} `json:"observations"`
	Doses []struct {
		Date   string  `json:"date_administered"`
		CVX    string  `json:"cvx"`
		MVX    *string `json:"mvx"`
		Status string  `json:"expected_evaluation_status"`
		Reason *string `json:"expected_evaluation_reason"`
	} `json:"doses"`
	Expected struct {
		Status      string  `json:"series_status"`
		DoseNumber  *string `json:"forecast_dose_number"`
		Earliest    *string `json:"earliest_date"`
		Recommended *string `json:"recommended_date"`
		PastDue     *string `json:"past_due_date"`
	} `json:"expected_forecast"`
}

// Outcome is the verdict on one case: the differences, none when it passed.
type Outcome struct {
	Case  Case
	Diffs []string
}

func (o Outcome) Passed() bool { return len(o.Diffs) == 0 }

// Run evaluates a case on its own assessment date and compares each dose's
// evaluation status and the forecast (status, earliest, recommended and
// past-due dates) with what the CDC expects. Reasons are not compared: the
// two workbooks word them differently; they are shown in the differences.
func Run(c Case) Outcome {
	o := Outcome{Case: c}
	p, doses, assess, err := c.inputs()
	if err != nil {
		o.Diffs = append(o.Diffs, "input: "+err.Error())
		return o
	}
	gf, err := ForecastGroup(p, doses, assess, GroupName(c.VaccineGroup))
	if err != nil {
		o.Diffs = append(o.Diffs, err.Error())
		return o
	}
	byID := map[string]DoseResult{}
	// A case lists doses of other vaccine groups too (an MMR case with its
	// varicella doses); those are judged by their own group's evaluation.
	for _, d := range gf.Doses {
		byID[d.ID] = d
	}
	if len(byID) < len(doses) {
		all, _ := Forecast(p, doses, assess)
		for _, g := range all {
			for _, d := range g.Doses {
				if _, ok := byID[d.ID]; !ok {
					byID[d.ID] = d
				}
			}
		}
	}
	for i, d := range c.Doses {
		got := byID[strconv.Itoa(i+1)]
		if !strings.EqualFold(got.Status, d.Status) {
			o.Diffs = append(o.Diffs, fmt.Sprintf("dose %d (%s, CVX %s): expected %s%s, got %s%s",
				i+1, d.Date, d.CVX, d.Status, paren(str(d.Reason)), orNone(got.Status), paren(got.Reason)))
		}
	}
	want := normStatus(c.Expected.Status)
	if want != normStatus(gf.Status) {
		o.Diffs = append(o.Diffs, fmt.Sprintf("series status: expected %s, got %s", c.Expected.Status, gf.Status))
	}
	for _, f := range []struct{ name, want, got string }{
		{"earliest", str(c.Expected.Earliest), gf.Earliest},
		{"recommended", str(c.Expected.Recommended), gf.Recommended},
		{"past due", str(c.Expected.PastDue), gf.PastDue},
	} {
		if f.want != f.got {
			o.Diffs = append(o.Diffs, fmt.Sprintf("%s date: expected %s, got %s", f.name, orNone(f.want), orNone(f.got)))
		}
	}
	return o
}

func (c Case) inputs() (Patient, []Dose, Date, error) {
	dob, err := ParseDate(c.DOB)
	if err != nil {
		return Patient{}, nil, Date{}, err
	}
	assess, err := ParseDate(c.Assessment)
	if err != nil {
		return Patient{}, nil, Date{}, err
	}
	p := Patient{DOB: dob, Gender: strings.ToUpper(strings.TrimSpace(c.Gender))}
	for _, o := range c.Observations {
		p.Observations = append(p.Observations, o.Code)
		if o.Date == nil || *o.Date == "" {
			continue
		}
		when, err := ParseDate(*o.Date)
		if err != nil {
			return Patient{}, nil, Date{}, fmt.Errorf("observation %s: %w", o.Code, err)
		}
		if p.ObservationDates == nil {
			p.ObservationDates = map[string]Date{}
		}
		p.ObservationDates[o.Code] = when
	}
	var doses []Dose
	for i, d := range c.Doses {
		when, err := ParseDate(d.Date)
		if err != nil {
			return Patient{}, nil, Date{}, fmt.Errorf("dose %d: %w", i+1, err)
		}
		doses = append(doses, Dose{ID: strconv.Itoa(i + 1), Date: when, CVX: d.CVX, MVX: str(d.MVX)})
	}
	return p, doses, assess, nil
}

func normStatus(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func str(p *string) string {
	if p == nil || *p == "-" {
		return ""
	}
	return strings.TrimSpace(*p)
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// ReadCases reads one .jsonl (or .jsonl.gz) file of cases.
func ReadCases(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cdsi cases: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("cdsi cases %s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	var out []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("cdsi cases %s line %d: %w (want one JSON case per line)", path, line, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cdsi cases %s: %w", path, err)
	}
	return out, nil
}

// CaseFiles lists the .jsonl and .jsonl.gz files of a folder, sorted.
func CaseFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cdsi cases: %w", err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".jsonl") || strings.HasSuffix(n, ".jsonl.gz")) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("cdsi cases: no .jsonl files in %s", dir)
	}
	return out, nil
}
