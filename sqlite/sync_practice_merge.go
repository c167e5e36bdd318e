package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/apply"
	"outpost/sync/merge"
)

// Merging pulled users and practice settings. Every version is opened and
// merge.Record picks each field, as for patients, so concurrent changes
// converge on every workstation (the latest clock wins). Their conflicts
// are counted but not kept for review: a setting or a profile field has no
// clinical history worth a review screen. The merged result is applied to
// the users table and meta.

// mergeVersions loads, opens and merges every version of a practice-wide
// record. ok is false while no version can be merged (parents missing).
func (s *Session) mergeVersions(ctx context.Context, t *tx, kind, id string,
	open func(*seal.Keyring, storedVersion) (map[string]json.RawMessage, error)) (merge.Result, bool, error) {
	versions, err := s.loadKindVersions(ctx, t, kind, id, kindMerger{open: open})
	if err != nil {
		return merge.Result{}, false, err
	}
	res, ok, err := mergeVersionsOf(versions, kindVersion.view)
	return res, ok, wrapMerge(kind, id, err)
}

// openUserFields opens one user change: the envelope, the profile and,
// for a version-1 envelope, its login hash against the sealed username and
// the wrapped key's binding (the wrapped key then merges as a field).
func openUserFields(practice chart.PracticeID) func(*seal.Keyring, storedVersion) (map[string]json.RawMessage, error) {
	return func(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error) {
		env, prof, err := openUserChange(key, practice, v)
		if err != nil {
			return nil, err
		}
		fields, err := recordFields(&prof)
		if err != nil {
			return nil, err
		}
		delete(fields, "wrappedSum") // checked
		if env.V == 1 {
			if fields[mergeFieldWrappedKey], err = json.Marshal(env.Wrapped); err != nil {
				return nil, err
			}
		}
		return fields, nil
	}
}

func openUserChange(key *seal.Keyring, practice chart.PracticeID, v storedVersion) (userEnvelope, userProfile, error) {
	var env userEnvelope
	var prof userProfile
	bad := recordIntegrityError(kindUser, v.id)
	if err := json.Unmarshal(v.sealed, &env); err != nil || env.V < 1 || env.V > userEnvelopeVersion {
		return env, prof, bad
	}
	pt, err := key.Open(env.Profile, recordAD(kindUser, v.id, v.version, v.cid))
	if err != nil {
		return env, prof, bad
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &prof); err != nil || string(prof.ID) != v.id {
		return env, prof, bad
	}
	if !chart.ShowsAsStored(prof.FullName) || !chart.ShowsAsStored(prof.Username) {
		return env, prof, apply.Hold(apply.ReasonContent, "the user's name in it would display differently from what is stored")
	}
	if env.V == 1 {
		sum := sha256.Sum256(env.Wrapped)
		if prof.WrappedSum != hex.EncodeToString(sum[:]) || env.Login != loginHash(practice, prof.Username) {
			return env, prof, bad
		}
	}
	return env, prof, nil
}

// mergeUser re-merges user id and applies it to the users table.
func mergeUser(s *Session, ctx context.Context, t *tx, id string) (int, error) {
	m, err := readMeta(ctx, t, metaPracticeID)
	if err != nil {
		return 0, err
	}
	res, ok, err := s.mergeVersions(ctx, t, kindUser, id, openUserFields(chart.PracticeID(m[metaPracticeID])))
	if err != nil || !ok {
		return 0, err
	}
	var prof userProfile
	var wrapped []byte
	if err := decodeFields(res.Fields, &prof); err != nil || string(prof.ID) != id || !prof.Role.Valid() {
		return 0, recordIntegrityError(kindUser, id)
	}
	if raw, v1 := res.Fields[mergeFieldWrappedKey]; v1 {
		if err := json.Unmarshal(raw, &wrapped); err != nil {
			return 0, recordIntegrityError(kindUser, id)
		}
	}
	if err := s.applyUser(ctx, t, prof, wrapped); err != nil {
		return 0, fmt.Errorf("merge user %s: %w", id, err)
	}
	if err := applyUserCredentials(ctx, t, prof); err != nil {
		return 0, fmt.Errorf("merge user %s: %w", id, err)
	}
	return len(res.Conflicts), nil
}

// applyUser makes the users row of prof say what the merge says, then
// takes its latest credential (applyCredential). legacyWrapped is the
// practice key wrapped for the passphrase, from a version-1 profile: used
// only while the user has no credential of their own.
func (s *Session) applyUser(ctx context.Context, t *tx, prof userProfile, legacyWrapped []byte) error {
	_, exists, err := loadUser(ctx, t, "id", string(prof.ID))
	if err != nil {
		return err
	}
	name, err := s.localUsername(ctx, t, prof)
	if err != nil {
		return err
	}
	var syncName any
	if name != prof.Username {
		syncName = prof.Username
	}
	if !exists {
		_, err := t.ExecContext(ctx, `INSERT INTO users (id, username, full_name, role, active, wrapped_key,
			key_scheme, created_at, updated_at, sync_username) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			prof.ID, name, prof.FullName, prof.Role, prof.Active, nonNilBytes(legacyWrapped), formatTime(prof.CreatedAt),
			formatTime(prof.UpdatedAt), syncName)
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
	} else {
		_, err = t.ExecContext(ctx, `UPDATE users SET username = ?, full_name = ?, role = ?, active = ?,
			sync_username = ?, updated_at = ? WHERE id = ?`,
			name, prof.FullName, prof.Role, prof.Active, syncName, formatTime(prof.UpdatedAt), prof.ID)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
	}
	return applyCredential(ctx, t, prof.ID, prof.Box, legacyWrapped)
}

// applyCredential makes the user's row hold their latest credential whose
// public half is box (the profile's), else, for a user from before key
// epochs, legacyWrapped. A new credential means a new passphrase: the old
// one stops working here and the throttling starts over.
func applyCredential(ctx context.Context, t *tx, id chart.UserID, box, legacyWrapped []byte) error {
	cur, ok, err := loadUser(ctx, t, "id", string(id))
	if err != nil || !ok {
		return err
	}
	cred, found, err := latestCredential(ctx, t, id)
	if err != nil {
		return err
	}
	switch {
	case found && (len(box) == 0 || bytes.Equal(cred.Box, box)):
		if cur.keyScheme == 2 && bytes.Equal(cur.wrapped, cred.Secret) && bytes.Equal(cur.box, cred.Box) {
			return nil
		}
		return setCredential(ctx, t, id, cred.Secret, cred.Box)
	case len(legacyWrapped) > 0 && cur.keyScheme == 1 && !bytes.Equal(cur.wrapped, legacyWrapped):
		_, err := t.ExecContext(ctx, `UPDATE users SET wrapped_key = ?, failed_attempts = 0, locked_until = NULL
			WHERE id = ?`, legacyWrapped, id)
		return err
	}
	return nil
}

// latestCredential is the newest credential change of user id.
func latestCredential(ctx context.Context, q queryer, id chart.UserID) (credentialRecord, bool, error) {
	var raw []byte
	err := q.QueryRowContext(ctx, `SELECT `+changeSealed("changes")+` FROM changes WHERE record_id = ? AND kind = ?
		ORDER BY hlc DESC, change_id DESC LIMIT 1`, string(id), kindCredential).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return credentialRecord{}, false, nil
	}
	if err != nil {
		return credentialRecord{}, false, fmt.Errorf("load credential: %w", err)
	}
	var c credentialRecord
	if json.Unmarshal(raw, &c) != nil || c.User != id || len(c.Secret) == 0 || len(c.Box) != seal.PublicUserKeySize {
		return credentialRecord{}, false, nil
	}
	return c, true, nil
}

// mergeCredential takes a user's latest credential in (and drops older
// ones this workstation holds). The users row follows only the credential
// its profile names (applyCredential).
func mergeCredential(s *Session, ctx context.Context, t *tx, id string) (int, error) {
	var stamp string
	err := t.QueryRowContext(ctx, `SELECT hlc FROM changes WHERE record_id = ? AND kind = ?
		ORDER BY hlc DESC, change_id DESC LIMIT 1`, id, kindCredential).Scan(&stamp)
	if err != nil {
		return 0, fmt.Errorf("merge credential %s: %w", id, err)
	}
	if err := dropSuperseded(ctx, t, kindCredential, id, stamp); err != nil {
		return 0, err
	}
	cur, ok, err := loadUser(ctx, t, "id", id)
	if err != nil || !ok {
		return 0, err // the profile, when it comes, takes it
	}
	return 0, applyCredential(ctx, t, cur.ID, cur.box, nil)
}

// mergeKeyRecord takes a pulled keybox or epoch in: older keyboxes are
// dropped, and the session's keyring learns what it now reaches.
func mergeKeyRecord(s *Session, ctx context.Context, t *tx, id string) (int, error) {
	var kind, stamp string
	err := t.QueryRowContext(ctx, `SELECT kind, hlc FROM changes WHERE record_id = ? AND kind IN (?, ?)
		ORDER BY hlc DESC, change_id DESC LIMIT 1`, id, kindKeybox, kindEpoch).Scan(&kind, &stamp)
	if err != nil {
		return 0, fmt.Errorf("merge key record %s: %w", id, err)
	}
	if err := dropSuperseded(ctx, t, kind, id, stamp); err != nil {
		return 0, err
	}
	return 0, s.refreshRing(ctx, t)
}

// localUsername returns the username prof gets here. Two workstations
// offline can each make a user with the same username: both are kept, the
// earlier (by creation, then id) keeps the name and the later one gets a
// numbered one here (name-2), logged and audited. Every workstation picks
// the same one, whatever order the users arrive in.
func (s *Session) localUsername(ctx context.Context, t *tx, prof userProfile) (string, error) {
	holder, taken, err := loadUser(ctx, t, "username", prof.Username)
	if err != nil || !taken || holder.ID == prof.ID {
		return prof.Username, err
	}
	laterIsNew := holder.CreatedAt.Before(prof.CreatedAt) ||
		holder.CreatedAt.Equal(prof.CreatedAt) && holder.ID < prof.ID
	if laterIsNew {
		return s.renameForClash(ctx, t, prof.ID, prof.Username)
	}
	renamed, err := s.renameForClash(ctx, t, holder.ID, prof.Username)
	if err != nil {
		return "", err
	}
	_, err = t.ExecContext(ctx, `UPDATE users SET username = ?, sync_username = ? WHERE id = ?`,
		renamed, holder.syncName, holder.ID)
	if err != nil {
		return "", fmt.Errorf("rename user %s: %w", holder.ID, err)
	}
	return prof.Username, nil
}

// renameForClash picks the first free name-N for user id (its own current
// name counts as free, so the choice is stable) and records why.
func (s *Session) renameForClash(ctx context.Context, t *tx, id chart.UserID, name string) (string, error) {
	base := name
	for n := 2; n < 1000; n++ {
		suffix := fmt.Sprintf("-%d", n)
		if len(base)+len(suffix) > 32 {
			base = base[:32-len(suffix)]
		}
		cand := base + suffix
		u, taken, err := loadUser(ctx, t, "username", cand)
		if err != nil {
			return "", err
		}
		if taken && u.ID != id {
			continue
		}
		if !taken {
			slog.Warn("two users made offline share a username; renamed one on this workstation",
				"user", id, "username", name, "renamed", cand)
			err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUserAdmin,
				Detail: fmt.Sprintf("user %s shares the username %s with another user made offline; shown here as %s", id, name, cand)})
			if err != nil {
				return "", err
			}
		}
		return cand, nil
	}
	return "", fmt.Errorf("no free username for %s", name)
}

// openPracticeFields opens one practice change.
func openPracticeFields(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error) {
	pt, err := key.Open(v.sealed, recordAD(kindPractice, v.id, v.version, v.cid))
	if err != nil {
		return nil, recordIntegrityError(kindPractice, v.id)
	}
	defer clear(pt)
	var rec practiceRecord
	if err := json.Unmarshal(pt, &rec); err != nil || string(rec.ID) != v.id {
		return nil, recordIntegrityError(kindPractice, v.id)
	}
	return recordFields(&rec)
}

// mergePractice re-merges the practice settings and applies them to meta
// and every open session. A setting out of bounds (a newer Outpost's, or a
// bug's) keeps the value this workstation had, so one bad change cannot
// stop sync.
func mergePractice(s *Session, ctx context.Context, t *tx, id string) (int, error) {
	m, err := readMeta(ctx, t, metaPracticeID, metaRecoveryWrapped)
	if err != nil {
		return 0, err
	}
	if m[metaPracticeID] != id {
		return 0, recordIntegrityError(kindPractice, id)
	}
	res, ok, err := s.mergeVersions(ctx, t, kindPractice, id, openPracticeFields)
	if err != nil || !ok {
		return 0, err
	}
	var rec practiceRecord
	if err := decodeFields(res.Fields, &rec); err != nil {
		return 0, recordIntegrityError(kindPractice, id)
	}
	if err := writePracticeMeta(ctx, t, rec); err != nil {
		return 0, err
	}
	if _, wrapped := m[metaRecoveryWrapped]; !wrapped && rec.RecoveryRecipient != "" {
		// A joined workstation makes its own recovery wrap from the
		// practice's public recipient: the recovery key works here too.
		w, err := seal.WrapForRecipient(s.key.Root(), rec.RecoveryRecipient)
		if err != nil {
			return 0, fmt.Errorf("merge practice: recovery wrap: %w", err)
		}
		if err := setMeta(ctx, t, metaRecoveryWrapped, w); err != nil {
			return 0, err
		}
	}
	p, _, err := loadPractice(ctx, t)
	if err != nil {
		return 0, err
	}
	s.w.publishPractice(p)
	return len(res.Conflicts), nil
}

// writePracticeMeta stores the merged settings, skipping invalid ones.
func writePracticeMeta(ctx context.Context, t *tx, rec practiceRecord) error {
	vals := map[string]string{metaPracticeName: rec.Name, metaRecoveryPublic: rec.RecoveryRecipient,
		metaCreatedAt: formatTime(rec.CreatedAt)}
	invalid := false
	keep := func(key, value string, err error) {
		if err != nil {
			invalid = true
			return
		}
		vals[key] = value
	}
	keep(metaIdleLockMinutes, fmt.Sprint(rec.IdleLockMinutes), chart.ValidateIdleLock(rec.IdleLockMinutes))
	keep(metaSyncWarnDays, fmt.Sprint(rec.SyncWarnDays), chart.ValidateSyncWarnDays(rec.SyncWarnDays))
	if err := rec.Units.Validate(); err != nil {
		invalid = true
	} else {
		raw, err := json.Marshal(withMetricDefaults(rec.Units))
		if err != nil {
			return fmt.Errorf("encode practice units: %w", err)
		}
		vals[metaPracticeUnits] = string(raw)
	}
	if rec.Registry != nil { // nil: written before the targets synced
		raw, err := json.Marshal(*rec.Registry)
		if err != nil {
			return fmt.Errorf("encode registry targets: %w", err)
		}
		keep(metaRegistryTargets, string(raw), rec.Registry.Validate())
	}
	contact, err := mergedContact(ctx, t, rec)
	if err != nil {
		return err
	}
	bad := contact.Validate()
	keep(metaPracticeAddress, contact.Address, bad)
	keep(metaPracticePhone, contact.Phone, bad)
	for k, v := range vals {
		if v == "" && k != metaPracticeName && k != metaPracticeAddress && k != metaPracticePhone {
			continue
		}
		if err := setMeta(ctx, t, k, []byte(v)); err != nil {
			return err
		}
	}
	if invalid {
		slog.Warn("pulled practice settings hold a value out of bounds; kept this workstation's", "practice", rec.ID)
	}
	return nil
}

// mergedContact is the practice's address and phone after a merge: what
// rec says, or this workstation's for a part rec is too old to carry.
func mergedContact(ctx context.Context, q queryer, rec practiceRecord) (chart.PracticeContact, error) {
	if rec.Address == nil || rec.Phone == nil {
		p, _, err := loadPractice(ctx, q)
		if err != nil {
			return chart.PracticeContact{}, err
		}
		rec.Address, rec.Phone = cmp.Or(rec.Address, &p.Address), cmp.Or(rec.Phone, &p.Phone)
	}
	return chart.PracticeContact{Address: *rec.Address, Phone: *rec.Phone}, nil
}
