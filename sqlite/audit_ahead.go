package sqlite

import (
	"errors"

	"outpost/chart"
)

// auditAhead is a read's audit entry written while the read finishes: the
// entry's commit waits on an fsync (0.6–5 ms on the machines measured,
// issue #14) that need not wait for the last of the read's CPU work (the
// chart summary's timeline sort, its open visit) once what the entry says
// is known. The read still shows nothing until the entry is committed,
// and fails when the entry fails (finish).
type auditAhead struct {
	done chan struct{}
	err  error
}

// start writes the entry (write) on its own goroutine. At most once. A
// panic there fails the read like any failed entry: on a goroutine of its
// own nothing else would recover it, and it would end the app.
func (a *auditAhead) start(write func() error) {
	a.done = make(chan struct{})
	go func() {
		defer close(a.done)
		defer func() {
			if p := recover(); p != nil {
				a.err = chart.Errorf(chart.EINTERNAL, "The chart's audit entry could not be written (%v); nothing was shown.", p)
			}
		}()
		a.err = write()
	}()
}

// finish returns the read's outcome once its audit is done. Not started
// (the read failed before it knew what to audit), the read is audited now
// by serial, as it would have been without the entry ahead. Started, the
// entry's failure fails the read; a read that then failed its integrity
// check is audited again, by serial, saying so (what the entry ahead could
// not know).
func (a *auditAhead) finish(readErr error, serial func(readErr error) error) error {
	if a.done == nil {
		return serial(readErr)
	}
	<-a.done
	if a.err != nil {
		return errors.Join(a.err, readErr)
	}
	if readErr != nil && chart.ErrorCode(readErr) == chart.EINTEGRITY {
		return serial(readErr)
	}
	return readErr
}
