package apply

import (
	"errors"
	"fmt"

	"outpost/chart"
)

// Why a change was held back. The values are stored (the workstation's
// quarantine.reason column): never rename one.
const (
	ReasonMalformed   = "malformed"
	ReasonClock       = "clock"
	ReasonUnknownKind = "unknown_kind"
	ReasonUnverified  = "unverified"
	ReasonUnopened    = "unopened"
	ReasonMerge       = "merge"
	// ReasonContent: it opens, but what it says breaks this workstation's
	// rules for text from elsewhere (a reversed name).
	ReasonContent = "content"
	// ReasonKey: tagged under a practice key this workstation does not
	// hold yet; retried by itself when a pull brings the key.
	ReasonKey = "key"
)

// Held is why one change cannot be taken in, as the administrator reads
// it ("… could not be opened: …").
type Held struct {
	Reason string
	Detail string
}

func (h *Held) Error() string { return h.Reason + ": " + h.Detail }

// Hold is a Held for reason, its detail formatted.
func Hold(reason, format string, args ...any) *Held {
	return &Held{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// MergeFailed marks err as a failure of the merge itself (merge.Record or
// the decoding of its result), which holds the record's changes back, as
// opposed to the store's, which stops the apply.
func MergeFailed(err error) error { return &mergeFailure{err} }

type mergeFailure struct{ err error }

func (e *mergeFailure) Error() string { return e.err.Error() }
func (e *mergeFailure) Unwrap() error { return e.err }

// AsHeld reports whether err is a record's own fault (it does not open,
// decode or merge), which holds its changes back, rather than the store's
// (a disk or SQL error), which must stop the apply.
func AsHeld(err error) (*Held, bool) {
	var h *Held
	if errors.As(err, &h) {
		return h, true
	}
	var ce *chart.Error
	if errors.As(err, &ce) && ce.Code == chart.EINTEGRITY {
		return Hold(ReasonUnopened, "its content does not open with the practice key or does not fit its record"), true
	}
	var mf *mergeFailure
	if errors.As(err, &mf) {
		return Hold(ReasonMerge, "its record could not be merged with it (%v)", mf.err), true
	}
	return nil, false
}
