package cdsi

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Date is a calendar day. CDSi reasons in whole days only, so a date is kept
// as a time.Time at midnight UTC; the zero Date means "no date".
type Date struct{ t time.Time }

// ParseDate reads an ISO YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// mustDate is for dates written in the supporting data (YYYYMMDD or MM/DD/YYYY).
func dataDate(s string) Date {
	s = strings.TrimSpace(s)
	// Only the layout the text has the shape of can parse: trying the
	// others first (each failure allocates an error) was a fifth of a
	// forecast's time, most data dates being blank.
	if layout := dataDateLayout(s); layout != "" {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t}
		}
	}
	return Date{}
}

// dataDateLayout is the layout of the supporting data's three date forms
// s has the shape of ("" for none): each is of a fixed length.
func dataDateLayout(s string) string {
	switch {
	case len(s) == 8:
		return "20060102"
	case len(s) == 10 && s[2] == '/' && s[5] == '/':
		return "01/02/2006"
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		return "2006-01-02"
	}
	return ""
}

func ymd(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

func (d Date) IsZero() bool       { return d.t.IsZero() }
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool  { return d.t.Equal(o.t) }
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// addMonths adds whole months the CDSi way (logic specification, "Date
// calculations"): when the day does not exist in the target month (31 March
// + 1 month, 29 February + 1 year) the result is the first of the next month,
// not Go's overflow into that month by several days.
func (d Date) addMonths(n int) Date {
	y, m, day := d.t.Date()
	total := int(m) - 1 + n
	y += floorDiv(total, 12)
	m = time.Month(total - floorDiv(total, 12)*12 + 1)
	if day > daysIn(y, m) {
		return ymd(y, m+1, 1)
	}
	return ymd(y, m, day)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// Offset is a CDSi duration such as "6 weeks - 4 days" or "3 months + 4
// weeks": terms applied left to right.
type Offset struct {
	terms []term
	text  string
}

type term struct {
	n    int
	unit byte // y m w d
}

// ParseOffset reads the supporting data's duration syntax. Empty text is
// the zero offset with ok=false (the field is absent).
func ParseOffset(s string) (Offset, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Offset{}, false, nil
	}
	o := Offset{text: s}
	sign := 1
	fields := strings.Fields(signSpacer.Replace(s))
	for i := 0; i < len(fields); i++ {
		switch fields[i] {
		case "+":
			sign = 1
			continue
		case "-":
			sign = -1
			continue
		}
		n, err := strconv.Atoi(fields[i])
		if err != nil || i+1 >= len(fields) {
			return Offset{}, false, fmt.Errorf("duration %q: want terms like \"6 weeks - 4 days\"", s)
		}
		i++
		u := strings.ToLower(fields[i])
		var unit byte
		switch {
		case strings.HasPrefix(u, "year"):
			unit = 'y'
		case strings.HasPrefix(u, "month"):
			unit = 'm'
		case strings.HasPrefix(u, "week"):
			unit = 'w'
		case strings.HasPrefix(u, "day"):
			unit = 'd'
		default:
			return Offset{}, false, fmt.Errorf("duration %q: unknown unit %q", s, fields[i])
		}
		o.terms = append(o.terms, term{sign * n, unit})
		sign = 1
	}
	return o, true, nil
}

// From applies the offset to a date.
func (o Offset) From(d Date) Date {
	if d.IsZero() {
		return d
	}
	for _, t := range o.terms {
		switch t.unit {
		case 'y':
			d = d.addMonths(12 * t.n)
		case 'm':
			d = d.addMonths(t.n)
		case 'w':
			d = d.AddDays(7 * t.n)
		case 'd':
			d = d.AddDays(t.n)
		}
	}
	return d
}

func (o Offset) String() string { return o.text }

var signSpacer = strings.NewReplacer("+", " + ", "-", " - ")

// offsets caches the supporting data's durations: the same few hundred
// strings are read for every dose of every case.
var offsets sync.Map

// off parses an offset from trusted embedded data; a malformed value is a
// data bug caught by TestSupportingDataOffsetsParse, so here it reads as absent.
func off(s string) (Offset, bool) {
	if v, ok := offsets.Load(s); ok {
		o := v.(Offset)
		return o, o.text != ""
	}
	o, ok, err := ParseOffset(s)
	if err != nil || !ok {
		o = Offset{}
	}
	offsets.Store(s, o)
	return o, o.text != ""
}

// at returns base+offset when the offset is present, else the zero date.
func at(base Date, s string) Date {
	o, ok := off(s)
	if !ok || base.IsZero() {
		return Date{}
	}
	return o.From(base)
}

func maxDate(ds ...Date) Date {
	var m Date
	for _, d := range ds {
		if !d.IsZero() && (m.IsZero() || d.After(m)) {
			m = d
		}
	}
	return m
}

func minDate(ds ...Date) Date {
	var m Date
	for _, d := range ds {
		if !d.IsZero() && (m.IsZero() || d.Before(m)) {
			m = d
		}
	}
	return m
}
