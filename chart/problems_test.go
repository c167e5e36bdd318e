package chart

import (
	"errors"
	"fmt"
	"testing"
)

func TestProblemsCollectsFieldErrors(t *testing.T) {
	var p Problems
	if p.Err() != nil {
		t.Fatal("no problems, yet an error")
	}
	p.Add(nil)
	p.Add(FieldError("b", "B is wrong."))
	p.Add(fmt.Errorf("wrapped: %w", FieldError("a", "A is wrong.")))
	p.Add(FieldError("b", "B is wrong again.")) // the first per field is kept
	p.Add(FieldError("", "The form as a whole."))
	p.Add(FieldError("", "The form as a whole."))
	err := p.Err()
	got := fmt.Sprint(ErrorFields(err))
	if got != "[{b B is wrong.} {a A is wrong.} { The form as a whole.}]" || ErrorField(err) != "b" || ErrorMessage(err) != "B is wrong." {
		t.Fatalf("Err = %v, fields %s", err, got)
	}
	if !p.Has("a") || p.Has("c") {
		t.Error("Has")
	}
	// A single problem is a plain field error.
	var one Problems
	one.Add(FieldError("x", "X."))
	if e := one.Err(); len(ErrorFields(e)) != 1 || e.(*Error).Fields != nil {
		t.Errorf("one problem: %#v", e)
	}
	// Anything but bad input wins, as returning early did.
	internal := errors.New("disk on fire")
	p.Add(internal)
	p.Add(Errorf(EFORBIDDEN, "Not yours."))
	if p.Err() != internal {
		t.Errorf("Err = %v, want the internal error", p.Err())
	}
}
