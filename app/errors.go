package app

import (
	"encoding/json"
	"fmt"
	"log"

	"outpost/chart"
)

// wireError is what the frontend decodes from a rejected call.
type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Fields, when validation found several problems, lists them all (the
	// first is also Field and Message) so the form shows them at once.
	Fields []chart.FieldProblem `json:"fields,omitempty"`
}

// FormatError is Wails' ErrorFormatter. Wails ≥2.13 rejects with
// new Error(msg), so the result is a JSON string the frontend parses in one
// place. Internal errors are logged and replaced by a generic message.
func FormatError(err error) any {
	if err == nil {
		return nil
	}
	w := wireError{Code: chart.ErrorCode(err), Message: chart.ErrorMessage(err), Field: chart.ErrorField(err)}
	if fields := chart.ErrorFields(err); len(fields) > 1 {
		w.Fields = fields
	}
	if w.Code == chart.EINTERNAL {
		log.Printf("internal error: %v", err)
	}
	b, jerr := json.Marshal(w)
	if jerr != nil {
		return fmt.Sprintf(`{"code":"internal","message":%q}`, w.Message)
	}
	return string(b)
}

// recoverTo turns a panic in a bound method into an internal error, so a
// bug shows a message instead of killing the window.
func recoverTo(logger *log.Logger, err *error) {
	if r := recover(); r != nil {
		logger.Printf("panic in bound method: %v", r)
		*err = fmt.Errorf("panic: %v", r)
	}
}
