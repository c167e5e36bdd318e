package chart

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

func TestErrorString(t *testing.T) {
	if got := Errorf(ENOTFOUND, "No patient %s.", "x").Error(); got != "not_found: No patient x." {
		t.Errorf("Error() = %q", got)
	}
	if got := FieldError("birthDate", "Date of birth is required.").Error(); got != "invalid: Date of birth is required. (birthDate)" {
		t.Errorf("Error() = %q", got)
	}
}

func TestErrorJSON(t *testing.T) {
	// The desktop layer sends this shape to the UI.
	b, _ := json.Marshal(FieldError("phone", "Bad %s.", "phone"))
	if string(b) != `{"code":"invalid","message":"Bad phone.","field":"phone"}` {
		t.Errorf("JSON = %s", b)
	}
	b, _ = json.Marshal(Errorf(ELOCKED, "Locked."))
	if string(b) != `{"code":"locked","message":"Locked."}` {
		t.Errorf("JSON without a field = %s", b)
	}
}

func TestErrorAccessors(t *testing.T) {
	field := FieldError("familyName", "Family name is required.")
	forbidden := Errorf(EFORBIDDEN, "Not for your role.")
	internal := errors.New("sqlite: database is locked (patient Ann Smith)")
	var nilDomain *Error
	for _, tc := range []struct {
		name                 string
		err                  error
		code, message, field string
	}{
		{"nil", nil, "", "", ""},
		{"domain error", forbidden, EFORBIDDEN, "Not for your role.", ""},
		{"field error", field, EINVALID, "Family name is required.", "familyName"},
		{"wrapped once", fmt.Errorf("register patient: %w", field), EINVALID, "Family name is required.", "familyName"},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", forbidden)), EFORBIDDEN, "Not for your role.", ""},
		{"joined: the first domain error wins", errors.Join(internal, forbidden, field), EFORBIDDEN, "Not for your role.", ""},
		{"plain error", internal, EINTERNAL, "", ""},
		{"standard library error", fmt.Errorf("open store: %w", fs.ErrNotExist), EINTERNAL, "", ""},
		// A typed nil is a caller's bug, but the error path must not panic.
		{"typed nil *Error", nilDomain, EINTERNAL, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorCode(tc.err); got != tc.code {
				t.Errorf("ErrorCode = %q, want %q", got, tc.code)
			}
			if got := ErrorField(tc.err); got != tc.field {
				t.Errorf("ErrorField = %q, want %q", got, tc.field)
			}
			msg := ErrorMessage(tc.err)
			if tc.code != EINTERNAL {
				if msg != tc.message {
					t.Errorf("ErrorMessage = %q, want %q", msg, tc.message)
				}
				return
			}
			// Internal details (and any health data in them) stay out of
			// what the clinician sees.
			if msg == "" || strings.Contains(msg, "sqlite") || strings.Contains(msg, "Ann Smith") || strings.Contains(msg, "file") {
				t.Errorf("ErrorMessage = %q, want the generic message", msg)
			}
		})
	}
}
