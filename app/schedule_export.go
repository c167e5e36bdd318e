package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"outpost/chart"
)

// exportCallList writes day's call list as call-list-DAY.csv (or -2, -3…
// when taken) into folder, audited as an export for each patient on it.
// Like a referral's files, the name carries no patient's name.
func exportCallList(ctx context.Context, s chart.Session, day, folder string) (string, error) {
	ss, err := scheduleOf(s)
	if err != nil {
		return "", err
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", chart.FieldError("day", "The day must be a real date, written YYYY-MM-DD.")
	}
	folder, err = exportFolder(folder)
	if err != nil {
		return "", err
	}
	calls, err := ss.CallList(ctx, day)
	if err != nil {
		return "", err
	}
	data, err := callListCSV(calls)
	if err != nil {
		return "", err
	}
	path, err := freeName(filepath.Join(folder, "call-list-"+day), ".csv")
	if err != nil {
		return "", err
	}
	if err := auditEach(ctx, ss, calls, "call list of "+day+" (CSV)"); err != nil {
		return "", err
	}
	if err := writeWhole(path, data); err != nil {
		return "", saveError(err)
	}
	return path, nil
}

// callListCSV is one row per booking, the columns a phone round needs. A
// phone number is written as typed: its validation allows only digits,
// spaces, ()./- and a leading +, which no spreadsheet runs as a formula.
func callListCSV(calls []chart.CallListEntry) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	rows := [][]string{{"date", "time", "patient", "phone", "mrn", "with", "type", "minutes"}}
	for _, c := range calls {
		a := c.Appointment
		date, clock, _ := strings.Cut(a.Start, "T")
		rows = append(rows, []string{date, clock, csvSafe(a.PatientName), c.Phone, csvSafe(c.MRN),
			csvSafe(a.ClinicianName), string(a.Type), strconv.Itoa(a.Minutes)})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// freeName is stem+ext, or stem-2+ext… when a file of that name exists.
func freeName(stem, ext string) (string, error) {
	for n := 1; n < 100; n++ {
		path := stem + ext
		if n > 1 {
			path = stem + "-" + strconv.Itoa(n) + ext
		}
		if !exists(path) {
			return path, nil
		}
	}
	return "", chart.FieldError("folder", "That folder already holds 99 call lists of this day; choose another.")
}
