package app

import (
	"context"

	"outpost/chart"
)

// Admin is bound to the frontend: users, practice settings, the audit log.
// The store enforces the administrator role; nothing here relies on the UI
// hiding buttons.
type Admin struct{ a *App }

// Users lists every user of the practice.
func (ad *Admin) Users() ([]chart.User, error) {
	return list(get(ad.a, chart.UserService.Users))
}

// AddUser adds a member of staff.
func (ad *Admin) AddUser(u chart.NewUser) (chart.User, error) {
	return with(ad.a, u, chart.UserService.AddUser)
}

// SetUserActive deactivates or reactivates a user.
func (ad *Admin) SetUserActive(id string, active bool) (chart.User, error) {
	return onUser(ad.a, id, func(s chart.UserService, ctx context.Context, uid chart.UserID) (chart.User, error) {
		return s.SetUserActive(ctx, uid, active)
	})
}

// SetUserRole changes another user's role (from their next sign-in).
func (ad *Admin) SetUserRole(id string, role chart.Role) (chart.User, error) {
	return onUser(ad.a, id, func(s chart.UserService, ctx context.Context, uid chart.UserID) (chart.User, error) {
		return s.SetUserRole(ctx, uid, role)
	})
}

// SetUserCredentials sets a user's licence number and NPI (an
// administrator for anyone, every user for themselves).
func (ad *Admin) SetUserCredentials(id string, c chart.Credentials) (chart.User, error) {
	return onUser(ad.a, id, func(s chart.UserService, ctx context.Context, uid chart.UserID) (chart.User, error) {
		return s.SetUserCredentials(ctx, uid, c)
	})
}

// OwnProfile is the signed-in user with their credentials as stored now.
func (ad *Admin) OwnProfile() (chart.User, error) {
	return get(ad.a, chart.UserService.OwnProfile)
}

// SetPracticeContact sets the practice's address and phone.
func (ad *Admin) SetPracticeContact(c chart.PracticeContact) (chart.Practice, error) {
	return with(ad.a, c, chart.UserService.SetPracticeContact)
}

// ResetPassphrase sets a new passphrase for another user.
func (ad *Admin) ResetPassphrase(id, newPassphrase string) error {
	return errOnly(onUser(ad.a, id, func(s chart.UserService, ctx context.Context, uid chart.UserID) (done, error) {
		return noResult(s.ResetPassphrase(ctx, uid, newPassphrase))
	}))
}

// SetIdleLockMinutes changes how long a session may sit idle; the idle
// timer restarts with the new limit.
func (ad *Admin) SetIdleLockMinutes(minutes int) (chart.Practice, error) {
	return with(ad.a, minutes, ad.setIdleLockMinutes)
}

func (ad *Admin) setIdleLockMinutes(s chart.UserService, ctx context.Context, minutes int) (chart.Practice, error) {
	res, err := s.SetIdleLockMinutes(ctx, minutes)
	if err == nil {
		ad.a.withLock(ad.a.resetIdleLocked)
	}
	return res, err
}

// SetSyncWarnDays sets after how many days without a sync workstations warn.
func (ad *Admin) SetSyncWarnDays(days int) (chart.Practice, error) {
	return with(ad.a, days, chart.UserService.SetSyncWarnDays)
}

// SetRegistryTargets sets the chronic-care registries' targets: the HbA1c
// interval and target, the blood-pressure target.
func (ad *Admin) SetRegistryTargets(r chart.RegistryTargets) (chart.Practice, error) {
	return with(ad.a, r, chart.UserService.SetRegistryTargets)
}

// Audit lists audit entries matching f, newest first.
func (ad *Admin) Audit(f chart.AuditFilter) ([]chart.AuditEntry, error) {
	return list(with(ad.a, f, chart.AuditService.Audit))
}

// VerifyAudit verifies the audit log: this workstation's chains, the
// copies of the other workstations' logs received by sync, and, when the
// practice server answers, its anchor for this workstation's log. The
// server is asked before the session is (no lock is held while waiting);
// offline, the local checks still run and the result says so.
func (ad *Admin) VerifyAudit() (chart.AuditVerification, error) {
	return call(ad.a, ad.verifyAudit)
}

func (ad *Admin) verifyAudit(ctx context.Context, s chart.Session) (chart.AuditVerification, error) {
	av, ok := s.(chart.AuditAnchorVerifier)
	if !ok {
		return s.VerifyAudit(ctx)
	}
	return av.VerifyAuditAnchored(ctx, ad.a.auditAnchor(ctx))
}

func userID(s string) (chart.UserID, error) {
	if !chart.ValidID(s) {
		return "", chart.Errorf(chart.EINVALID, "That user link is not valid. Reload the user list.")
	}
	return chart.UserID(s), nil
}
