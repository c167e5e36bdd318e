package app

import (
	"context"
	"sync"

	"outpost/chart"
)

// Restoring a backup is a dialogue: OpenRestore checks the file and shows
// what it holds; UnlockRestore (or UnlockRestoreWithRecoveryKey) proves an
// administrator of that practice is here; Restore puts it in place, which
// signs everyone out; CancelRestore drops it. On a workstation that holds
// a practice, only its signed-in administrator may start one.

// restoring is the restore under way, if any.
type restoring struct {
	mu sync.Mutex
	r  chart.Restore
}

// OpenRestore checks the backup file at path and returns what it holds.
// A damaged file is refused with a message naming it.
func (b *Backups) OpenRestore(path string) (chart.RestorePreview, error) {
	return ready(b.a, func(ctx context.Context) (chart.RestorePreview, error) { return b.openRestore(ctx, path) })
}

func (b *Backups) openRestore(ctx context.Context, path string) (res chart.RestorePreview, err error) {
	if err := b.mayRestore(ctx); err != nil {
		return res, err
	}
	st, err := b.store()
	if err != nil {
		return res, err
	}
	b.restoring.mu.Lock()
	defer b.restoring.mu.Unlock()
	b.dropRestoreLocked()
	r, err := st.OpenRestore(ctx, path, nil)
	if err != nil {
		return res, err
	}
	b.restoring.r = r
	return r.Preview(), nil
}

// UnlockRestore unlocks the backup with an administrator's passphrase.
func (b *Backups) UnlockRestore(username, passphrase string) (chart.RestorePreview, error) {
	return withRestore(b, func(ctx context.Context, r chart.Restore) (chart.RestorePreview, error) {
		return r.Unlock(ctx, username, passphrase)
	})
}

// UnlockRestoreWithRecoveryKey unlocks the backup with the practice
// recovery key, setting a new passphrase for an administrator.
func (b *Backups) UnlockRestoreWithRecoveryKey(recoveryKey, username, newPassphrase string) (chart.RestorePreview, error) {
	return withRestore(b, func(ctx context.Context, r chart.Restore) (chart.RestorePreview, error) {
		return r.UnlockWithRecoveryKey(ctx, recoveryKey, username, newPassphrase)
	})
}

// Restore replaces this workstation's chart with the unlocked backup. A
// chart already here is replaced only with replace set (the frontend asks)
// and kept aside. Whoever is signed in is signed out first.
func (b *Backups) Restore(replace bool) (chart.RestoreResult, error) {
	return withRestore(b, func(ctx context.Context, r chart.Restore) (chart.RestoreResult, error) {
		if p := r.Preview(); p.Replaces != "" && !replace {
			return r.Commit(ctx, false) // says why it asks
		}
		if err := b.a.lock(ctx); err != nil {
			b.a.opts.Logger.Printf("restore: lock: %v", err)
		}
		res, err := r.Commit(ctx, replace)
		if err == nil {
			b.restoring.r = nil
			b.a.background("backup status", func() { b.emit(true) })
			if b.a.runner != nil {
				b.a.runner.Trigger() // the restored identity, if any
			}
		}
		return res, err
	})
}

// CancelRestore drops the restore under way; the chart was not touched.
func (b *Backups) CancelRestore() error {
	return errOnly(ready(b.a, func(context.Context) (done, error) {
		b.restoring.mu.Lock()
		defer b.restoring.mu.Unlock()
		b.dropRestoreLocked()
		return done{}, nil
	}))
}

// withRestore runs fn on the restore under way, holding it.
func withRestore[T any](b *Backups, fn func(ctx context.Context, r chart.Restore) (T, error)) (T, error) {
	return ready(b.a, func(ctx context.Context) (res T, err error) {
		if err := b.mayRestore(ctx); err != nil {
			return res, err
		}
		b.restoring.mu.Lock()
		defer b.restoring.mu.Unlock()
		if b.restoring.r == nil {
			return res, errNoRestore()
		}
		return fn(ctx, b.restoring.r)
	})
}

func (b *Backups) dropRestoreLocked() {
	if b.restoring.r != nil {
		if err := b.restoring.r.Cancel(); err != nil {
			b.a.opts.Logger.Printf("cancel restore: %v", err)
		}
		b.restoring.r = nil
	}
}

// mayRestore: a workstation without a practice restores from its first-run
// screen; one with a practice only for its signed-in administrator.
func (b *Backups) mayRestore(ctx context.Context) error {
	st, err := b.a.ws.Status(ctx)
	if err != nil {
		return err
	}
	if !st.HasPractice {
		return nil
	}
	s := b.a.signedInSession()
	if s == nil {
		return chart.Errorf(chart.ELOCKED, "This workstation holds a practice: an administrator signs in and restores from Admin → Backups.")
	}
	return chart.Require(s.User().Role, chart.ActManagePractice)
}

func errNoRestore() error {
	return chart.Errorf(chart.EINVALID, "Choose the backup to restore first.")
}
