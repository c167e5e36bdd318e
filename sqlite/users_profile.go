package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"

	"outpost/chart"
)

// A user's role and professional credentials: what an administrator
// changes in Users after adding someone, and what a prescriber sets for
// themselves. Each change is a new version of the user record (syncUser),
// so every workstation shows the same.

// SetUserRole changes a user's role. Nobody changes their own (another
// administrator must), and the last active administrator keeps the role,
// so the practice can always be administered. The role applies from the
// user's next sign-in: an open session keeps the role it signed in with.
func (s *Session) SetUserRole(ctx context.Context, id chart.UserID, role chart.Role) (chart.User, error) {
	if !role.Valid() {
		return chart.User{}, chart.FieldError("role", "Choose a role: clinician, nurse, front desk or administrator.")
	}
	var out chart.User
	err := s.guarded("set user role", chart.ActManageUsers, func() error {
		if id == s.user.ID {
			return chart.Errorf(chart.EINVALID, "You cannot change your own role. Ask another administrator to do it.")
		}
		return s.w.write(ctx, func(t *tx) error {
			u, err := loadExistingUser(ctx, t, id)
			if err != nil || u.Role == role {
				out = u.User
				return err
			}
			if u.Role == chart.RoleAdministrator && u.Active {
				if err := requireAnotherAdmin(ctx, t, id); err != nil {
					return err
				}
			}
			if _, err := t.ExecContext(ctx, `UPDATE users SET role = ?, updated_at = ? WHERE id = ?`,
				role, formatTime(t.now), id); err != nil {
				return fmt.Errorf("set user role: %w", err)
			}
			from := u.Role
			u.Role, u.UpdatedAt = role, t.now
			out = u.User
			if err := s.pw().syncUser(ctx, t, id); err != nil {
				return err
			}
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUserAdmin,
				Detail: fmt.Sprintf("changed the role of user %s from %s to %s", u.Username, from.Label(), role.Label())})
		})
	})
	if err != nil {
		return chart.User{}, err
	}
	return out, nil
}

// SetUserCredentials sets a user's licence number and NPI: an
// administrator may set anyone's, every user their own.
func (s *Session) SetUserCredentials(ctx context.Context, id chart.UserID, c chart.Credentials) (chart.User, error) {
	if err := c.Validate(); err != nil {
		return chart.User{}, err
	}
	var out chart.User
	err := s.guarded("set professional details", "", func() error {
		if id != s.user.ID {
			if err := chart.Require(s.user.Role, chart.ActManageUsers); err != nil {
				return err
			}
		}
		return s.w.write(ctx, func(t *tx) error {
			u, err := loadExistingUser(ctx, t, id)
			if err != nil || u.LicenceNumber == c.LicenceNumber && u.NPI == c.NPI {
				out = u.User
				return err
			}
			if err := storeCredentials(ctx, t, id, c, formatTime(t.now)); err != nil {
				return err
			}
			u.LicenceNumber, u.NPI, u.UpdatedAt = c.LicenceNumber, c.NPI, t.now
			out = u.User
			if err := s.pw().syncUser(ctx, t, id); err != nil {
				return err
			}
			detail := "set professional details (licence number, NPI) of user " + u.Username
			if id == s.user.ID {
				detail = "set own professional details (licence number, NPI)"
			}
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUserAdmin, Detail: detail})
		})
	})
	if err != nil {
		return chart.User{}, err
	}
	return out, nil
}

// OwnProfile is the signed-in user as the users table holds them now: the
// session's role, with the name and credentials as last changed here or
// merged from another workstation (an administrator may have set them
// since this session began). A prescription names its prescriber from it.
func (s *Session) OwnProfile(ctx context.Context) (chart.User, error) {
	var out chart.User
	err := s.guarded("read own profile", "", func() error {
		u, err := loadExistingUser(ctx, s.w.db, s.user.ID)
		if err != nil {
			return err
		}
		out = s.user
		out.FullName, out.LicenceNumber, out.NPI = u.FullName, u.LicenceNumber, u.NPI
		return nil
	})
	return out, err
}

func loadExistingUser(ctx context.Context, q queryer, id chart.UserID) (userRow, error) {
	u, ok, err := loadUser(ctx, q, "id", string(id))
	if err == nil && !ok {
		err = userNotFound()
	}
	return u, err
}

// storeCredentials writes a user's credentials; updated is the row's new
// updated_at ("" keeps it: a merge, where the profile's own time applies).
func storeCredentials(ctx context.Context, t *tx, id chart.UserID, c chart.Credentials, updated string) error {
	_, err := t.ExecContext(ctx, `UPDATE users SET licence_number = ?, npi = ?,
		updated_at = coalesce(nullif(?, ''), updated_at) WHERE id = ?`, c.LicenceNumber, c.NPI, updated, id)
	if err != nil {
		return fmt.Errorf("store professional details: %w", err)
	}
	return nil
}

// applyUserCredentials takes a merged user's credentials in. A profile
// from before credentials existed says nothing of them (nil): this
// workstation keeps what it holds. Credentials that fail their checks (a
// newer Outpost's rules, or a bug's) are kept out too.
func applyUserCredentials(ctx context.Context, t *tx, prof userProfile) error {
	if prof.LicenceNumber == nil && prof.NPI == nil {
		return nil
	}
	cur, err := loadExistingUser(ctx, t, prof.ID)
	if err != nil {
		return err
	}
	c := chart.Credentials{LicenceNumber: *cmp.Or(prof.LicenceNumber, &cur.LicenceNumber), NPI: *cmp.Or(prof.NPI, &cur.NPI)}
	if err := c.Validate(); err != nil {
		slog.Warn("a pulled user profile holds professional details that fail their checks; kept this workstation's",
			"user", prof.ID)
		return nil
	}
	if c.LicenceNumber == cur.LicenceNumber && c.NPI == cur.NPI {
		return nil
	}
	return storeCredentials(ctx, t, prof.ID, c, "")
}
