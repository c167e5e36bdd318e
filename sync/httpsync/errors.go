package httpsync

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"outpost/chart"
	hlc "outpost/sync"
)

// Error is a failed exchange with the practice server: a message for the
// person at the keyboard plus what the sync loop needs to decide whether to
// try again later.
type Error struct {
	Code      string // a chart error code (unauthorized, invalid, internal)
	Message   string
	Status    int    // HTTP status; 0 if no reply arrived
	Reason    string // the server's unauthorized reason, if any
	Temporary bool   // retrying later may succeed unchanged
	cause     error
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }
func (e *Error) Unwrap() error { return e.cause }

// ChartError is e for the UI.
func (e *Error) ChartError() *chart.Error { return &chart.Error{Code: e.Code, Message: e.Message} }

const safeLater = " Your changes are safe on this workstation and will be sent later."

func transportError(err error) error {
	if errors.Is(err, errFingerprint) {
		return &Error{Code: chart.EUNAUTHORIZED, cause: err,
			Message: "The practice server's certificate does not match the one this workstation was enrolled with. Nothing was sent. Ask your administrator before continuing."}
	}
	return &Error{Code: chart.EINTERNAL, Temporary: true, cause: err,
		Message: "The practice server could not be reached." + safeLater}
}

// maxErrorBody bounds how much of an error reply is read.
const maxErrorBody = 64 << 10

func replyError(resp *http.Response) error {
	var r io.Reader = io.LimitReader(resp.Body, maxErrorBody)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if zr, err := gzip.NewReader(r); err == nil {
			r = io.LimitReader(zr, maxErrorBody)
		}
	}
	raw, _ := io.ReadAll(r)
	var body hlc.ErrorResponse
	dec := json.NewDecoder(bytes.NewReader(raw))
	if dec.Decode(&body) != nil || body.Validate() != nil {
		body.Error = hlc.ErrorBody{Code: hlc.CodeInternal}
	}
	e := describe(body.Error)
	e.Status, e.Reason = resp.StatusCode, body.Error.Reason
	if resp.StatusCode >= 500 {
		e.Temporary = true
	}
	e.cause = errors.New(body.Error.Code + ": " + body.Error.Message)
	return e
}

// describe turns a server refusal into what to do about it.
func describe(b hlc.ErrorBody) *Error {
	if b.Reason == hlc.ReasonNoPractice {
		return &Error{Code: chart.EINVALID, Message: "No workstation of this practice has connected to the practice server yet: connect the practice's first workstation, then join."}
	}
	switch b.Code {
	case hlc.CodeUnauthorized:
		return describeUnauthorized(b.Reason)
	case hlc.CodeIncompatible:
		return &Error{Code: chart.EINVALID, Message: "This workstation and the practice server run incompatible versions of Outpost. Update Outpost." + safeLater}
	case hlc.CodeTooLarge:
		return &Error{Code: chart.EINVALID, Message: "The practice server refused a batch of changes as too large." + safeLater}
	case hlc.CodeInvalid:
		return &Error{Code: chart.EINVALID, Message: "The practice server refused the data sent: " + b.Message}
	}
	return &Error{Code: chart.EINTERNAL, Temporary: true, Message: "The practice server had a problem." + safeLater}
}

func describeUnauthorized(reason string) *Error {
	msg := map[string]string{
		hlc.ReasonRevoked:       "The practice server refused this workstation: it has been revoked. Ask your administrator to enrol it again.",
		hlc.ReasonUnknownDevice: "The practice server refused this workstation: it is not enrolled. Ask your administrator for an enrolment code.",
		hlc.ReasonBadSignature:  "The practice server refused this workstation's signature. Ask your administrator to enrol it again.",
		hlc.ReasonClockSkew:     "The practice server refused this workstation: its clock is more than 5 minutes off. Correct the date and time, then sync again.",
		hlc.ReasonBadCode:       "The enrolment code is unknown, already used or expired. Ask your administrator for a new one.",
		hlc.ReasonWrongPractice: "The practice server refused this workstation: this server belongs to another practice. Check the server and enrolment code with your administrator.",
	}[reason]
	if reason == hlc.ReasonReplay {
		return &Error{Code: chart.EUNAUTHORIZED, Temporary: true, Message: "The practice server refused a repeated request; sync will try again."}
	}
	if msg == "" {
		msg = "The practice server refused this workstation. Ask your administrator."
	}
	return &Error{Code: chart.EUNAUTHORIZED, Message: msg}
}
