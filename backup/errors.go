package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Kind says what went wrong in words a caller can switch on.
type Kind string

const (
	// Damaged: the file's checksum, trailer or database does not check out.
	Damaged Kind = "damaged"
	// NotBackup: the file is not an Outpost backup at all.
	NotBackup Kind = "not_backup"
	// FolderMissing: the backup folder is not there (a drive not plugged in,
	// or removed mid-backup).
	FolderMissing Kind = "folder_missing"
	// NoSpace: the backup drive is full.
	NoSpace Kind = "no_space"
	// Unwritable: the folder exists but cannot be written.
	Unwritable Kind = "unwritable"
	// Mismatch: the copy opens but does not hold what the source held.
	Mismatch Kind = "mismatch"
)

// Error is a failure the person running the backup can act on: Message
// says what happened and what to do, Err is the cause for the log.
type Error struct {
	Kind    Kind
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + " (" + e.Err.Error() + ")"
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, or "".
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func damaged(path, why string, cause error) error {
	return &Error{Kind: Damaged, Err: cause, Message: fmt.Sprintf(
		"The backup %s is damaged: %s. Do not restore it; use another backup (an older generation or another drive).",
		baseName(path), why)}
}

// WriteProblem explains a failure to write into dir: the folder gone (a
// drive removed), the drive full, or no permission. Anything else is
// returned as it is, wrapped with op.
func WriteProblem(dir, op string, err error) error {
	if err == nil {
		return nil
	}
	var be *Error
	if errors.As(err, &be) {
		return err
	}
	if st, statErr := os.Stat(dir); statErr != nil || !st.IsDir() {
		return &Error{Kind: FolderMissing, Err: err, Message: fmt.Sprintf(
			"The backup folder %s is not there any more: was the drive removed? Plug it in and back up again. "+
				"The chart on this workstation is untouched.", dir)}
	}
	if IsNoSpace(err) {
		return &Error{Kind: NoSpace, Err: err, Message: fmt.Sprintf(
			"The backup drive is full: the backup was not written (%s). Free some space on it or use a larger drive, "+
				"then back up again. The chart on this workstation is untouched.", dir)}
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return &Error{Kind: Unwritable, Err: err, Message: fmt.Sprintf(
			"Outpost may not write to the backup folder %s (read-only drive or no permission). "+
				"Choose another folder or fix its permissions.", dir)}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// noSpaceHints are the ways "out of space" reaches us: the OS error, or
// SQLite's "database or disk is full" from the snapshot's writer.
var noSpaceHints = []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG}

// IsNoSpace reports whether err says a disk is full.
func IsNoSpace(err error) bool {
	for _, h := range noSpaceHints {
		if errors.Is(err, h) {
			return true
		}
	}
	var full interface{ Code() int }
	// SQLITE_FULL is 13; extended codes keep it in the low byte.
	return errors.As(err, &full) && full.Code()&0xff == 13
}

// FolderError checks that dir is there and is a folder, with the message
// a person needs when it is not (the usual cause: the drive is unplugged).
func FolderError(dir string) error {
	if dir == "" {
		return &Error{Kind: FolderMissing, Message: "No backup folder is chosen yet. An administrator chooses one in Admin → Backups."}
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return &Error{Kind: FolderMissing, Err: err, Message: fmt.Sprintf(
			"The backup folder %s is not there: is the backup drive plugged in? Plug it in, then back up again.", dir)}
	}
	return nil
}
