package sqlite

import (
	"errors"
	"syscall"

	"modernc.org/sqlite"

	"outpost/chart"
)

// SQLite's primary result codes for a disk that cannot take a write.
const (
	sqliteIOErr = 10 // SQLITE_IOERR and its extended codes
	sqliteFull  = 13 // SQLITE_FULL
)

// errDiskFull and errDiskIO are what a clinician reads when this
// workstation's own disk refuses a write: the transaction rolled back, so
// nothing was saved, and the form keeps what was typed.
var (
	errDiskFull = chart.Errorf(chart.EINTERNAL, "The disk of this workstation is full: nothing was saved. "+
		"Free some space (empty the Trash, delete large downloads or move them to a USB drive), then save again; "+
		"what you typed is still on the screen.")
	errDiskIO = chart.Errorf(chart.EINTERNAL, "This workstation could not write to its disk: nothing was saved. "+
		"Save again; if it keeps failing, the disk may be failing: ask for help and back up the chart now.")
)

// diskError turns a write that failed for want of disk space, or on a disk
// error, into a message that says what to do, keeping the cause for the
// log. Any other error is returned as it is.
func diskError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	code := 0
	if errors.As(err, &se) {
		code = se.Code() & 0xff
	}
	switch {
	case code == sqliteFull || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT):
		return errors.Join(errDiskFull, err)
	case code == sqliteIOErr || errors.Is(err, syscall.EIO):
		return errors.Join(errDiskIO, err)
	}
	return err
}
