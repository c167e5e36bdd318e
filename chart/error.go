package chart

import (
	"errors"
	"fmt"
)

// Error codes: a small closed set the UI can switch on. Messages are written
// for the person at the keyboard, not for a developer.
const (
	EINVALID      = "invalid"      // bad input; nothing was written
	ENOTFOUND     = "not_found"    // no such record
	ECONFLICT     = "conflict"     // the record changed underneath, or a uniqueness rule
	EUNAUTHORIZED = "unauthorized" // wrong credentials, inactive user, throttled sign-in
	EFORBIDDEN    = "forbidden"    // the signed-in role may not do this
	ELOCKED       = "locked"       // no one is signed in (or the session locked)
	EINTEGRITY    = "integrity"    // a sealed record failed authentication (tampered/corrupt)
	EINTERNAL     = "internal"     // a bug or an environmental failure
)

// Error is a domain error: a code from the closed set, a human message, and
// optionally the form field the message belongs next to.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Fields lists every field problem when validation found several, so a
	// form can show them all at once. The first is also Field and Message,
	// for callers that show one.
	Fields []FieldProblem `json:"fields,omitempty"`
}

// FieldProblem is one field's message in an error that names several.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error attached to a form field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e) && e != nil: // a typed nil *Error is a caller bug, not a panic
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the human message of the first *Error in err's chain.
// Any other error is internal: its text may hold details that mean nothing
// to a clinician, so a generic message is returned instead.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e) && e != nil: // a typed nil *Error is a caller bug, not a panic
		return e.Message
	default:
		return "Something went wrong inside Outpost. Nothing was changed by this action; if it keeps happening, tell your practice administrator."
	}
}

// ErrorFields returns every field problem of the first *Error in err's
// chain: its Fields, or its one Field and Message; nil for other errors.
func ErrorFields(err error) []FieldProblem {
	var e *Error
	switch {
	case !errors.As(err, &e) || e == nil:
		return nil
	case len(e.Fields) > 0:
		return e.Fields
	}
	return []FieldProblem{{Field: e.Field, Message: e.Message}}
}

// ErrorField returns the form field of the first *Error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) && e != nil {
		return e.Field
	}
	return ""
}
