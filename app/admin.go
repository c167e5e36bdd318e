package app

import (
	"outpost/chart"
)

// Admin is bound to the frontend: users, practice settings, the audit log.
// The store enforces the administrator role; nothing here relies on the UI
// hiding buttons.
type Admin struct{ a *App }

// Users lists every user of the practice.
func (ad *Admin) Users() (res []chart.User, err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return nil, err
	}
	res, err = s.Users(ad.a.ctx)
	return nonNil(res), err
}

// AddUser adds a member of staff.
func (ad *Admin) AddUser(u chart.NewUser) (res chart.User, err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return res, err
	}
	return s.AddUser(ad.a.ctx, u)
}

// SetUserActive deactivates or reactivates a user.
func (ad *Admin) SetUserActive(id string, active bool) (res chart.User, err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return res, err
	}
	uid, err := userID(id)
	if err != nil {
		return res, err
	}
	return s.SetUserActive(ad.a.ctx, uid, active)
}

// ResetPassphrase sets a new passphrase for another user.
func (ad *Admin) ResetPassphrase(id, newPassphrase string) (err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return err
	}
	uid, err := userID(id)
	if err != nil {
		return err
	}
	return s.ResetPassphrase(ad.a.ctx, uid, newPassphrase)
}

// SetIdleLockMinutes changes how long a session may sit idle.
func (ad *Admin) SetIdleLockMinutes(minutes int) (res chart.Practice, err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return res, err
	}
	res, err = s.SetIdleLockMinutes(ad.a.ctx, minutes)
	if err == nil {
		ad.a.mu.Lock()
		ad.a.resetIdleLocked()
		ad.a.mu.Unlock()
	}
	return res, err
}

// SetSyncWarnDays sets after how many days without a sync workstations warn.
func (ad *Admin) SetSyncWarnDays(days int) (res chart.Practice, err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return res, err
	}
	return s.SetSyncWarnDays(ad.a.ctx, days)
}

// Audit lists audit entries matching f, newest first.
func (ad *Admin) Audit(f chart.AuditFilter) (res []chart.AuditEntry, err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return nil, err
	}
	res, err = s.Audit(ad.a.ctx, f)
	return nonNil(res), err
}

// VerifyAudit verifies the audit log: this workstation's chains, the
// copies of the other workstations' logs received by sync, and, when the
// practice server answers, its anchor for this workstation's log. The
// server is asked before the session is (no lock is held while waiting);
// offline, the local checks still run and the result says so.
func (ad *Admin) VerifyAudit() (res chart.AuditVerification, err error) {
	defer recoverTo(ad.a.opts.Logger, &err)
	s, err := ad.a.current()
	if err != nil {
		return res, err
	}
	av, ok := s.(chart.AuditAnchorVerifier)
	if !ok {
		return s.VerifyAudit(ad.a.ctx)
	}
	return av.VerifyAuditAnchored(ad.a.ctx, ad.a.auditAnchor(ad.a.ctx))
}

func userID(s string) (chart.UserID, error) {
	if !chart.ValidID(s) {
		return "", chart.Errorf(chart.EINVALID, "That user link is not valid. Reload the user list.")
	}
	return chart.UserID(s), nil
}
