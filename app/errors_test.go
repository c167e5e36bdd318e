package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

func decode(t *testing.T, v any) wireError {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("FormatError returned %T, want a JSON string", v)
	}
	var w wireError
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		t.Fatalf("not JSON: %q: %v", s, err)
	}
	return w
}

func TestFormatErrorDomain(t *testing.T) {
	err := fmt.Errorf("register patient: %w", chart.FieldError("birthDate", "Date of birth 2999-01-01 is in the future."))
	w := decode(t, FormatError(err))
	if w.Code != chart.EINVALID || w.Field != "birthDate" || w.Message != "Date of birth 2999-01-01 is in the future." {
		t.Fatalf("got %+v", w)
	}
}

func TestFormatErrorHidesInternalDetail(t *testing.T) {
	silenceLog(t)
	w := decode(t, FormatError(errors.New("sqlite: disk I/O error at /home/x/chart.db")))
	if w.Code != chart.EINTERNAL || w.Message == "" || w.Message == "sqlite: disk I/O error at /home/x/chart.db" {
		t.Fatalf("internal detail leaked or code wrong: %+v", w)
	}
}

func TestRecoverToTurnsPanicIntoError(t *testing.T) {
	f := func() (err error) {
		defer recoverTo(log.New(io.Discard, "", 0), &err)
		var m map[string]int
		m["boom"]++ // nil map write panics
		return nil
	}
	if err := f(); err == nil || chart.ErrorCode(err) != chart.EINTERNAL {
		t.Fatalf("got %v", err)
	}
}

// silenceLog discards the package logger's output until t ends, then
// restores the writer it had (read before it is replaced).
func silenceLog(t *testing.T) {
	prev := log.Writer()
	log.SetOutput(io.Discard)
	t.Cleanup(func() { log.SetOutput(prev) })
}

// Issue #16.7: a test that silences the logger must give it back, or every
// later test's log output is lost.
func TestSilencedLoggerIsRestored(t *testing.T) {
	var buf bytes.Buffer
	prev := log.Writer()
	log.SetOutput(&buf)
	defer log.SetOutput(prev)
	t.Run("a test that silences the log", TestFormatErrorHidesInternalDetail)
	log.Print("after the silent test")
	if !strings.Contains(buf.String(), "after the silent test") {
		t.Fatalf("the logger still discards after the test that silenced it (writer %T)", log.Writer())
	}
}

// Every field problem crosses to the frontend in the one JSON string, the
// first also as field and message for callers that show one.
func TestFormatErrorCarriesEveryFieldProblem(t *testing.T) {
	p := chart.Patient{GivenName: "", FamilyName: "", BirthDate: "31/04/1980", Phone: "call me"}
	err := fmt.Errorf("register patient: %w", p.ValidateFor(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), chart.DateOrderDMY))
	w := decode(t, FormatError(err))
	var got []string
	for _, f := range w.Fields {
		got = append(got, f.Field+": "+f.Message)
	}
	want := []string{"familyName: Family name is required.", "givenName: Given name is required.",
		"birthDate: Date of birth: April 1980 has no day 31.",
		"phone: Phone should be a phone number: digits, spaces, +, -, brackets (5 to 17 digits)."}
	if w.Code != chart.EINVALID || w.Field != "familyName" || w.Message != "Family name is required." || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %+v", w)
	}
	// One problem stays the plain shape.
	w = decode(t, FormatError(chart.FieldError("phone", "Bad phone.")))
	if w.Fields != nil || w.Field != "phone" {
		t.Fatalf("single problem: %+v", w)
	}
}
