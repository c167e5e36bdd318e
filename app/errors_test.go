package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"testing"

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
	log.SetOutput(io.Discard)
	defer log.SetOutput(log.Writer())
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
