package transport

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
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
	// Busy: the server was at its limit of requests in progress (or had
	// just restarted) and asked to be called again, after RetryAfter if
	// set. Not a fault of anyone's: nobody needs to act.
	Busy       bool
	RetryAfter time.Duration
	cause      error
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
	var body wire.ErrorResponse
	dec := json.NewDecoder(bytes.NewReader(raw))
	if dec.Decode(&body) != nil || body.Validate() != nil {
		body.Error = wire.ErrorBody{Code: wire.CodeInternal}
	}
	e := describe(body.Error)
	e.Status, e.Reason = resp.StatusCode, body.Error.Reason
	if resp.StatusCode >= 500 && body.Error.Reason != wire.ReasonQuota {
		e.Temporary = true
	}
	if e.Busy {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
	}
	e.cause = errors.New(body.Error.Code + ": " + body.Error.Message)
	return e
}

// describe turns a server refusal into what to do about it.
func describe(b wire.ErrorBody) *Error {
	switch b.Reason {
	case wire.ReasonNoPractice:
		return &Error{Code: chart.EINVALID, Message: "No workstation of this practice has connected to the practice server yet: connect the practice's first workstation, then join."}
	case wire.ReasonQuota:
		// The server's message has the figures and the administrator's
		// remedy; it is shown as sent.
		return &Error{Code: chart.EINVALID, Message: "The practice server is full for this workstation and stored nothing of this batch. " +
			b.Message + safeLater}
	}
	switch b.Code {
	case wire.CodeBusy:
		return &Error{Code: chart.EINTERNAL, Temporary: true, Busy: true, Message: "The practice server is busy; sync will try again shortly." + safeLater}
	case wire.CodeUnauthorized:
		return describeUnauthorized(b.Reason)
	case wire.CodeIncompatible:
		return &Error{Code: chart.EINVALID, Message: "This workstation and the practice server run incompatible versions of Outpost. Update Outpost." + safeLater}
	case wire.CodeTooLarge:
		return &Error{Code: chart.EINVALID, Message: "The practice server refused a batch of changes as too large." + safeLater}
	case wire.CodeInvalid:
		return &Error{Code: chart.EINVALID, Message: "The practice server refused the data sent: " + b.Message}
	}
	return &Error{Code: chart.EINTERNAL, Temporary: true, Message: "The practice server had a problem." + safeLater}
}

func describeUnauthorized(reason string) *Error {
	msg := map[string]string{
		wire.ReasonRevoked:       "The practice server refused this workstation: it has been revoked. Ask your administrator to enrol it again.",
		wire.ReasonUnknownDevice: "The practice server refused this workstation: it is not enrolled. Ask your administrator for an enrolment code.",
		wire.ReasonBadSignature:  "The practice server refused this workstation's signature. Ask your administrator to enrol it again.",
		wire.ReasonClockSkew:     "The practice server refused this workstation: its clock is more than 5 minutes off. Correct the date and time, then sync again.",
		wire.ReasonBadCode:       "The enrolment code is unknown, already used or expired. Ask your administrator for a new one.",
		wire.ReasonWrongPractice: "The practice server refused this workstation: this server belongs to another practice. Check the server and enrolment code with your administrator.",
		wire.ReasonKeyInUse:      "The practice server refused this enrolment: the workstation's key is already known to it (enrolled under another name, or revoked). Ask your administrator for a new enrolment code and enrol again.",
	}[reason]
	switch reason {
	case wire.ReasonReplay:
		return &Error{Code: chart.EUNAUTHORIZED, Temporary: true, Message: "The practice server refused a repeated request; sync will try again."}
	case wire.ReasonRestarted:
		// Routine: the retry is signed anew and accepted.
		return &Error{Code: chart.EUNAUTHORIZED, Temporary: true, Busy: true, Message: "The practice server restarted while this request was on its way; sync will try again."}
	}
	if msg == "" {
		msg = "The practice server refused this workstation. Ask your administrator."
	}
	return &Error{Code: chart.EUNAUTHORIZED, Message: msg}
}

// retryAfter reads a Retry-After header in seconds (the server never sends
// a date); 0 when absent or unreadable.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 3600 {
		return 0
	}
	return time.Duration(n) * time.Second
}
