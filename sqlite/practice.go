package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"outpost/chart"
	"outpost/seal"
)

// CreatePractice creates the practice, its data key, the recovery identity
// and the first administrator in one transaction, and signs them in.
func (w *Workstation) CreatePractice(ctx context.Context, np chart.NewPractice) (chart.Session, string, error) {
	if err := np.Validate(); err != nil {
		return nil, "", err
	}
	if err := w.requireNoPractice(ctx, w.db); err != nil {
		return nil, "", wrapInternal("create practice", err)
	}
	if err := checkStrength("admin.passphrase", np.Admin.Passphrase, np.PracticeName, np.Admin.Username,
		np.Admin.FullName); err != nil {
		return nil, "", err
	}
	root, err := seal.NewKey()
	if err != nil {
		return nil, "", fmt.Errorf("create practice: %w", err)
	}
	key := seal.NewKeyring(root)
	s, identity, err := w.createPractice(ctx, np, key)
	if err != nil {
		key.Wipe()
		return nil, "", wrapInternal("create practice", err)
	}
	w.setCurrent(s)
	return s, identity, nil
}

func (w *Workstation) createPractice(ctx context.Context, np chart.NewPractice, key *seal.Keyring) (*Session, string, error) {
	identity, recipient, err := seal.NewRecoveryIdentity()
	if err != nil {
		return nil, "", err
	}
	recoveryWrapped, err := seal.WrapForRecipient(key.Root(), recipient)
	if err != nil {
		return nil, "", err
	}
	cred, err := newCredential(np.Admin.Passphrase, w.workFactor)
	if err != nil {
		return nil, "", err
	}
	p := chart.Practice{ID: chart.NewPracticeID(), Name: np.PracticeName, IdleLockMinutes: chart.DefaultIdleLockMinutes,
		SyncWarnDays: chart.DefaultSyncWarnDays}
	u := chart.User{ID: chart.NewUserID(), Username: np.Admin.Username, FullName: np.Admin.FullName,
		Role: chart.RoleAdministrator, Active: true}
	device := chart.NewDeviceID()
	var s *Session
	err = w.write(ctx, func(t *tx) error {
		if err := w.requireNoPractice(ctx, t); err != nil {
			return err
		}
		p.CreatedAt, u.CreatedAt, u.UpdatedAt = t.now, t.now, t.now
		for k, v := range map[string]string{
			metaPracticeID: string(p.ID), metaPracticeName: p.Name, metaIdleLockMinutes: strconv.Itoa(p.IdleLockMinutes),
			metaDeviceID: string(device), metaCreatedAt: formatTime(t.now), metaRecoveryPublic: recipient,
			metaRecoveryWrapped: string(recoveryWrapped), metaSyncWarnDays: strconv.Itoa(p.SyncWarnDays),
			metaBackfilled: "1",
		} {
			if err := setMeta(ctx, t, k, []byte(v)); err != nil {
				return err
			}
		}
		if err := insertUser(ctx, t, u, cred); err != nil {
			return err
		}
		s = newSession(w, key, cred.keys, u, p, device, chart.NewPatientIndex(nil))
		// The practice and its first user travel like any record, so
		// another workstation can join and this administrator sign in there.
		if err := s.pw().syncPractice(ctx, t); err != nil {
			return err
		}
		if err := s.publishCredential(ctx, t, u.ID, u.Username, cred); err != nil {
			return err
		}
		if err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUserAdmin,
			Detail: fmt.Sprintf("created practice and its first administrator %s", u.Username)}); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditSignIn, Detail: "signed in"})
	})
	if err != nil {
		return nil, "", err
	}
	w.publishPractice(p)
	return s, identity, nil
}

// requireNoPractice refuses a workstation that has a practice, made here
// or joined.
func (w *Workstation) requireNoPractice(ctx context.Context, q queryer) error {
	m, err := readMeta(ctx, q, metaPracticeName, metaPracticeID)
	if err != nil {
		return err
	}
	if name, ok := m[metaPracticeName]; ok && name != "" {
		return chart.Errorf(chart.ECONFLICT, "This workstation already belongs to %s. Sign in instead.", name)
	}
	if _, ok := m[metaPracticeID]; ok {
		return chart.Errorf(chart.ECONFLICT, "This workstation has already joined a practice. Sign in instead.")
	}
	return nil
}

// SetPracticeContact sets the practice's address and phone, which every
// prescription prints (administrators; syncs like every setting). The
// address is not health data: it is kept in clear, like the name.
func (s *Session) SetPracticeContact(ctx context.Context, c chart.PracticeContact) (chart.Practice, error) {
	if err := c.Validate(); err != nil {
		return chart.Practice{}, err
	}
	store := func(ctx context.Context, t *tx) error {
		if err := setMeta(ctx, t, metaPracticeAddress, []byte(c.Address)); err != nil {
			return err
		}
		return setMeta(ctx, t, metaPracticePhone, []byte(c.Phone))
	}
	return s.setPracticeSetting(ctx, "set practice address", "set the practice address and phone", store,
		func(p *chart.Practice) { p.Address, p.Phone = c.Address, c.Phone })
}

// SetRegistryTargets sets the chronic-care registries' targets
// (administrators; audited; syncs like every practice setting).
func (s *Session) SetRegistryTargets(ctx context.Context, r chart.RegistryTargets) (chart.Practice, error) {
	if err := r.Validate(); err != nil {
		return chart.Practice{}, err
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return chart.Practice{}, fmt.Errorf("encode registry targets: %w", err)
	}
	store := func(ctx context.Context, t *tx) error { return setMeta(ctx, t, metaRegistryTargets, raw) }
	detail := fmt.Sprintf("registry targets set: HbA1c every %d months, below %g%%; blood pressure below %g/%g",
		r.A1cMonths, r.A1cTarget, r.Systolic, r.Diastolic)
	return s.setPracticeSetting(ctx, "set registry targets", detail, store, func(p *chart.Practice) { p.Registry = r })
}
