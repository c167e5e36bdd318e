package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"outpost/chart"
)

// userRow is a users row: the public user and what sign-in needs.
type userRow struct {
	chart.User
	// wrapped is the user's secret wrapped for their passphrase (keyScheme
	// 2), or, for an account from before key epochs (keyScheme 1), the
	// practice's first key wrapped for it; box is the secret's public half.
	wrapped     []byte
	keyScheme   int
	box         []byte
	failed      int
	lockedUntil string // "" when not throttled
	// syncName is the username as the practice knows it: Username unless a
	// clash between users made offline renamed this one here only.
	syncName string
}

const userColumns = `id, username, full_name, role, active, wrapped_key, failed_attempts,
	coalesce(locked_until, ''), created_at, updated_at, coalesce(sync_username, username), key_scheme,
	coalesce(box_public, x''), licence_number, npi`

func scanUser(sc interface{ Scan(...any) error }) (userRow, error) {
	var u userRow
	var created, updated string
	err := sc.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &u.Active, &u.wrapped, &u.failed,
		&u.lockedUntil, &created, &updated, &u.syncName, &u.keyScheme, &u.box, &u.LicenceNumber, &u.NPI)
	if err != nil {
		return u, err
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return u, err
	}
	u.UpdatedAt, err = parseTime(updated)
	return u, err
}

// loadUser finds a user by "id" or "username"; ok is false when none matches.
func loadUser(ctx context.Context, q queryer, column, value string) (u userRow, ok bool, err error) {
	u, err = scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+column+` = ?`, value))
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, fmt.Errorf("load user: %w", err)
	}
	return u, true, nil
}

func insertUser(ctx context.Context, t *tx, u chart.User, c credential) error {
	_, err := t.ExecContext(ctx, `INSERT INTO users (id, username, full_name, role, active, wrapped_key, key_scheme,
		box_public, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 2, ?, ?, ?)`,
		u.ID, u.Username, u.FullName, u.Role, u.Active, c.wrapped, c.keys.BoxPublic(), formatTime(u.CreatedAt),
		formatTime(u.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// setCredential stores a user's newly wrapped secret and its public half,
// and clears throttling: a fresh passphrase starts with a clean slate.
func setCredential(ctx context.Context, t *tx, id chart.UserID, wrapped, box []byte) error {
	_, err := t.ExecContext(ctx, `UPDATE users SET wrapped_key = ?, key_scheme = 2, box_public = ?, failed_attempts = 0,
		locked_until = NULL, updated_at = ? WHERE id = ?`, wrapped, box, formatTime(t.now), id)
	if err != nil {
		return fmt.Errorf("store credential: %w", err)
	}
	return nil
}

func userNotFound() error {
	return chart.Errorf(chart.ENOTFOUND, "There is no user with that id on this workstation.")
}

func usernameTaken(name string) error {
	return &chart.Error{Code: chart.ECONFLICT, Field: "username",
		Message: fmt.Sprintf("The username “%s” is already taken; choose another.", name)}
}

// Users lists every staff account, active or not.
func (s *Session) Users(ctx context.Context) ([]chart.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActManageUsers); err != nil {
		return nil, err
	}
	rows, err := s.w.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY full_name, username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []chart.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u.User)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// AddUser creates a staff account whose passphrase unwraps the practice key.
func (s *Session) AddUser(ctx context.Context, nu chart.NewUser) (chart.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActManageUsers); err != nil {
		return chart.User{}, err
	}
	if err := nu.Validate(); err != nil {
		return chart.User{}, err
	}
	// Checked before the slow key wrap too, so a taken name fails at once.
	if err := checkUsernameFree(ctx, s.w.db, nu.Username); err != nil {
		return chart.User{}, wrapInternal("add user", err)
	}
	if err := checkStrength("passphrase", nu.Passphrase, s.practice.Name, nu.Username, nu.FullName); err != nil {
		return chart.User{}, err
	}
	cred, err := newCredential(nu.Passphrase, s.w.workFactor)
	if err != nil {
		return chart.User{}, fmt.Errorf("add user: %w", err)
	}
	u := chart.User{ID: chart.NewUserID(), Username: nu.Username, FullName: nu.FullName, Role: nu.Role, Active: true}
	err = s.w.write(ctx, func(t *tx) error {
		if err := checkUsernameFree(ctx, t, u.Username); err != nil {
			return err
		}
		u.CreatedAt, u.UpdatedAt = t.now, t.now
		if err := insertUser(ctx, t, u, cred); err != nil {
			return err
		}
		if err := s.publishCredential(ctx, t, u.ID, u.Username, cred); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUserAdmin,
			Detail: fmt.Sprintf("added user %s (%s)", u.Username, u.Role.Label())})
	})
	if err != nil {
		return chart.User{}, wrapInternal("add user", err)
	}
	return u, nil
}

func checkUsernameFree(ctx context.Context, q queryer, name string) error {
	_, taken, err := loadUser(ctx, q, "username", name)
	if err != nil {
		return err
	}
	if taken {
		return usernameTaken(name)
	}
	return nil
}

// SetUserActive activates or deactivates an account. Administrators cannot
// deactivate themselves, and the last active administrator stays active.
func (s *Session) SetUserActive(ctx context.Context, id chart.UserID, active bool) (chart.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActManageUsers); err != nil {
		return chart.User{}, err
	}
	if id == s.user.ID && !active {
		return chart.User{}, chart.Errorf(chart.EINVALID, "You cannot deactivate your own account. Ask another administrator to do it.")
	}
	var out chart.User
	err := s.w.write(ctx, func(t *tx) error {
		u, ok, err := loadUser(ctx, t, "id", string(id))
		if err != nil {
			return err
		}
		if !ok {
			return userNotFound()
		}
		if !active && u.Active && u.Role == chart.RoleAdministrator {
			if err := requireAnotherAdmin(ctx, t, id); err != nil {
				return err
			}
		}
		if _, err := t.ExecContext(ctx, `UPDATE users SET active = ?, updated_at = ? WHERE id = ?`,
			active, formatTime(t.now), id); err != nil {
			return fmt.Errorf("set user active: %w", err)
		}
		u.Active, u.UpdatedAt = active, t.now
		out = u.User
		if err := s.pw().syncUser(ctx, t, id); err != nil {
			return err
		}
		verb := "deactivated"
		if active {
			verb = "reactivated"
		}
		if err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUserAdmin, Detail: fmt.Sprintf("%s user %s", verb, u.Username)}); err != nil {
			return err
		}
		if active {
			return nil
		}
		// What they held opens nothing written from now on.
		return s.rotate(ctx, t, fmt.Sprintf("user %s was deactivated", u.Username))
	})
	if err != nil {
		return chart.User{}, wrapInternal("set user active", err)
	}
	return out, nil
}

func requireAnotherAdmin(ctx context.Context, t *tx, except chart.UserID) error {
	var n int
	err := t.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = ? AND active = 1 AND id <> ?`,
		chart.RoleAdministrator, except).Scan(&n)
	if err != nil {
		return fmt.Errorf("count administrators: %w", err)
	}
	if n == 0 {
		return chart.Errorf(chart.ECONFLICT, "Outpost needs at least one active administrator; add or activate another one first.")
	}
	return nil
}

// ResetPassphrase sets another user's passphrase (administrators only).
func (s *Session) ResetPassphrase(ctx context.Context, id chart.UserID, newPassphrase string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActManageUsers); err != nil {
		return err
	}
	if err := chart.ValidatePassphrase("newPassphrase", newPassphrase); err != nil {
		return err
	}
	u, ok, err := loadUser(ctx, s.w.db, "id", string(id))
	if err != nil {
		return fmt.Errorf("reset passphrase: %w", err)
	}
	if !ok {
		return userNotFound()
	}
	if err := checkStrength("newPassphrase", newPassphrase, s.practice.Name, u.Username, u.FullName); err != nil {
		return err
	}
	cred, err := newCredential(newPassphrase, s.w.workFactor)
	if err != nil {
		return fmt.Errorf("reset passphrase: %w", err)
	}
	err = s.w.write(ctx, func(t *tx) error {
		if err := s.replaceCredential(ctx, t, u.User, cred); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPassphrase,
			Detail: fmt.Sprintf("administrator reset the passphrase of %s", u.Username)})
	})
	return wrapInternalOrNil("reset passphrase", err)
}

// ChangeOwnPassphrase rewraps the practice key for a new passphrase after
// checking the old one. No record is re-encrypted.
func (s *Session) ChangeOwnPassphrase(ctx context.Context, oldPassphrase, newPassphrase string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return err
	}
	if oldPassphrase == "" {
		return chart.FieldError("oldPassphrase", "Enter your current passphrase.")
	}
	if err := chart.ValidatePassphrase("newPassphrase", newPassphrase); err != nil {
		return err
	}
	u, ok, err := loadUser(ctx, s.w.db, "id", string(s.user.ID))
	if err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	if !ok {
		return userNotFound()
	}
	if err := s.checkOwnPassphrase(u, oldPassphrase); err != nil {
		return err
	}
	if err := checkStrength("newPassphrase", newPassphrase, s.practice.Name, u.Username, u.FullName); err != nil {
		return err
	}
	cred, err := newCredential(newPassphrase, s.w.workFactor)
	if err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	err = s.w.write(ctx, func(t *tx) error {
		if err := s.replaceCredential(ctx, t, u.User, cred); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPassphrase, Detail: "changed own passphrase"})
	})
	return wrapInternalOrNil("change passphrase", err)
}

func wrapInternalOrNil(op string, err error) error {
	if err == nil {
		return nil
	}
	return wrapInternal(op, err)
}

// SetIdleLockMinutes changes how long a session may sit idle before it locks.
func (s *Session) SetIdleLockMinutes(ctx context.Context, minutes int) (chart.Practice, error) {
	if err := chart.ValidateIdleLock(minutes); err != nil {
		return chart.Practice{}, err
	}
	return s.setPracticeSetting(ctx, "set idle lock", fmt.Sprintf("idle lock set to %d minutes", minutes),
		metaInt(metaIdleLockMinutes, minutes), func(p *chart.Practice) { p.IdleLockMinutes = minutes })
}

// SetSyncWarnDays sets after how many days without a sync a workstation
// warns that it is falling behind.
func (s *Session) SetSyncWarnDays(ctx context.Context, days int) (chart.Practice, error) {
	if err := chart.ValidateSyncWarnDays(days); err != nil {
		return chart.Practice{}, err
	}
	return s.setPracticeSetting(ctx, "set sync warning", fmt.Sprintf("sync warning set to %d days", days),
		metaInt(metaSyncWarnDays, days), func(p *chart.Practice) { p.SyncWarnDays = days })
}

// metaInt stores a numeric practice setting under key.
func metaInt(key string, value int) func(context.Context, *tx) error {
	return func(ctx context.Context, t *tx) error { return setMeta(ctx, t, key, fmt.Appendf(nil, "%d", value)) }
}

// setPracticeSetting stores a practice setting (store), writes the
// practice change that carries it to the other workstations, audits it,
// and shows it to every session here (apply).
func (s *Session) setPracticeSetting(ctx context.Context, op, detail string, store func(context.Context, *tx) error,
	apply func(*chart.Practice)) (chart.Practice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(chart.ActManagePractice); err != nil {
		return chart.Practice{}, err
	}
	err := s.w.write(ctx, func(t *tx) error {
		if err := store(ctx, t); err != nil {
			return err
		}
		if err := s.pw().syncPractice(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPracticeSetting, Detail: detail})
	})
	if err != nil {
		return chart.Practice{}, wrapInternal(op, err)
	}
	p := s.w.livePractice(s.practice)
	apply(&p)
	s.practice = p
	s.w.publishPractice(p)
	return p, nil
}
