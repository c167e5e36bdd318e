package chart

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// DateOrder is how a practice writes all-numeric dates: 03/12/1980 is
// 3 December in day-first countries and March 12 in the United States.
type DateOrder string

const (
	DateOrderDMY DateOrder = "dmy" // day/month/year
	DateOrderMDY DateOrder = "mdy" // month/day/year
)

// Valid reports whether o is a known order; "" means "not chosen".
func (o DateOrder) Valid() bool { return o == "" || o == DateOrderDMY || o == DateOrderMDY }

// Pattern is how the order is written for people: "day/month/year".
func (o DateOrder) Pattern() string {
	if o == DateOrderMDY {
		return "month/day/year"
	}
	return "day/month/year"
}

var monthNames = func() map[string]time.Month {
	m := map[string]time.Month{"sept": time.September}
	for mo := time.January; mo <= time.December; mo++ {
		name := strings.ToLower(mo.String())
		m[name], m[name[:3]] = mo, mo
	}
	return m
}()

// ParseDate reads a date as people type it and returns it as YYYY-MM-DD:
//
//   - year first, always year-month-day: 1980-03-12, 1980-3-12, 1980/3/12;
//   - a month by name, in any order: 12 Mar 1980, 12 March 1980,
//     March 12, 1980, 12-Mar-1980, 12th March 1980;
//   - all numbers with the year last: 03/12/1980, 3.12.1980, 3-12-1980,
//     read in order (the practice's setting). With no order chosen, only a
//     reading that cannot be the other way round (25/12/1980) is accepted.
//
// A two-digit year is refused (1920 or 2020?), and so is a day that does
// not exist (31 April) or a first number that cannot be a month or day in
// the practice's order, with a message that says what to type.
func ParseDate(field, label, s string, order DateOrder) (string, error) {
	s = strings.TrimSpace(s)
	tokens := dateTokens(s)
	if len(tokens) != 3 {
		return "", dateFormatError(field, label, order)
	}
	y, m, d, err := assignDateParts(field, label, s, tokens, order)
	if err != nil {
		return "", err
	}
	return checkedDate(field, label, y, m, d)
}

// dateTokens splits "March 12, 1980" into [march 12 1980], dropping
// ordinal suffixes (12th) and separators (space / . , -).
func dateTokens(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("/.,-", r)
	})
	for i, f := range fields {
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			if n := strings.TrimSuffix(f, suf); n != f && n != "" && isDigits(n) {
				fields[i] = n
			}
		}
	}
	return fields
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// assignDateParts decides which token is the year, the month and the day.
func assignDateParts(field, label, typed string, t []string, order DateOrder) (y, m, d int, err error) {
	named := -1
	for i, tok := range t {
		if !isDigits(tok) {
			mo, ok := monthNames[strings.TrimSuffix(tok, ".")]
			if !ok || named >= 0 {
				return 0, 0, 0, dateFormatError(field, label, order)
			}
			named, m = i, int(mo)
		}
	}
	if named >= 0 {
		var nums []string
		for i, tok := range t {
			if i != named {
				nums = append(nums, tok)
			}
		}
		switch { // 12 Mar 1980, Mar 12 1980, 1980 Mar 12
		case len(nums[1]) == 4 && len(nums[0]) <= 2:
			return atoi(nums[1]), m, atoi(nums[0]), nil
		case len(nums[0]) == 4 && len(nums[1]) <= 2:
			return atoi(nums[0]), m, atoi(nums[1]), nil
		}
		return 0, 0, 0, yearError(field, label, typed, order)
	}
	a, b, c := t[0], t[1], t[2]
	switch {
	case len(a) == 4 && len(b) <= 2 && len(c) <= 2:
		return atoi(a), atoi(b), atoi(c), nil
	case len(a) <= 2 && len(b) <= 2 && len(c) == 4:
		return numericDayMonth(field, label, typed, atoi(a), atoi(b), atoi(c), order)
	case len(a) <= 2 && len(b) <= 2 && len(c) <= 2:
		return 0, 0, 0, yearError(field, label, typed, order)
	}
	return 0, 0, 0, dateFormatError(field, label, order)
}

// numericDayMonth reads a/b/year in the practice's order.
func numericDayMonth(field, label, typed string, a, b, y int, order DateOrder) (int, int, int, error) {
	dayFirst := [3]int{y, b, a}
	monthFirst := [3]int{y, a, b}
	switch order {
	case DateOrderDMY:
		if b > 12 && a <= 12 {
			return 0, 0, 0, otherOrderError(field, label, typed, order, monthFirst)
		}
		return y, b, a, nil
	case DateOrderMDY:
		if a > 12 && b <= 12 {
			return 0, 0, 0, otherOrderError(field, label, typed, order, dayFirst)
		}
		return y, a, b, nil
	}
	switch { // no order chosen: only an unambiguous reading
	case a == b || (a > 12 && b <= 12):
		return y, b, a, nil
	case b > 12 && a <= 12:
		return y, a, b, nil
	}
	return 0, 0, 0, FieldError(field, "%s %s could be read day first or month first. Type the month as a word (12 Mar 1980) or the year first (1980-03-12).", label, typed)
}

func checkedDate(field, label string, y, m, d int) (string, error) {
	if m < 1 || m > 12 {
		return "", FieldError(field, "%s has no month %d; months run from 1 to 12.", label, m)
	}
	if d < 1 || d > 31 || time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return "", FieldError(field, "%s: %s %d has no day %d.", label, time.Month(m), y, d)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

func dateFormatError(field, label string, order DateOrder) error {
	return FieldError(field, "%s is not a date Outpost can read. Type it as 12 Mar 1980, %s, or 1980-03-12.",
		label, exampleDate(order))
}

func yearError(field, label, typed string, order DateOrder) error {
	return FieldError(field, "%s %s needs the year in four digits (1980, not 80), e.g. %s.", label, typed, exampleDate(order))
}

func otherOrderError(field, label, typed string, order DateOrder, other [3]int) error {
	return FieldError(field, "%s %s is not a date when read %s, this practice's order. If you meant %s, type %s.",
		label, typed, order.Pattern(), LongDate(other[0], other[1], other[2]), ShortDate(other[0], other[1], other[2]))
}

// exampleDate is 12 March 1980 written in order.
func exampleDate(order DateOrder) string {
	if order == DateOrderMDY {
		return "03/12/1980 (month/day/year)"
	}
	return "12/03/1980 (day/month/year)"
}

// LongDate is "12 March 1980": the form says what it understood this way,
// since a month by name cannot be misread.
func LongDate(y, m, d int) string {
	if m < 1 || m > 12 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	return strconv.Itoa(d) + " " + time.Month(m).String() + " " + strconv.Itoa(y)
}

// ShortDate is "12 Mar 1980".
func ShortDate(y, m, d int) string {
	if m < 1 || m > 12 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	return strconv.Itoa(d) + " " + time.Month(m).String()[:3] + " " + strconv.Itoa(y)
}
