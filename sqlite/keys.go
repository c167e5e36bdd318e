package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/google/uuid"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/wire"
)

// Keys and their lifecycle (docs/SECURITY.md). A practice's data keys come
// in epochs (seal.Keyring). Each member of staff has a secret of their own,
// wrapped for their passphrase (their credential), from which a key pair
// derives; every epoch's key is sealed to each active user's public half
// (a keybox), so whoever starts an epoch hands it to the whole practice
// without knowing anyone's passphrase. Three practice-wide kinds carry
// this, in the normal change log:
//
//   - "credential" (record id = user id): the wrapped secret and the public
//     half. Only the latest version matters; the server and workstations
//     drop older ones (an old passphrase's wrap must not outlive it).
//   - "keybox" (record id derived from epoch and user): one epoch's key
//     sealed to one user. Latest version only, likewise.
//   - "epoch" (record id = the epoch id, version 1): the keys of every
//     older epoch, sealed under the new one (so one keybox is enough to read
//     the whole chart), and the new key wrapped for the practice recovery key.
//
// A session's keyring holds every epoch key it can reach from its user's
// keyboxes. New records are sealed under the current epoch: the newest
// whose keyring holds the previous current one ("adopted"). An epoch that
// does not carry the current key (a concurrent rotation, or one made from
// an old key by someone who lost access) can be read but is never sealed
// under; an administrator's next rotation folds it in.

const (
	kindCredential = "credential"
	kindKeybox     = "keybox"
	kindEpoch      = "epoch"

	keyRecordVersion = 1
	keyringADLabel   = "outpost/epoch-keyring/v1"
	keyboxADLabel    = "outpost/keybox/v1"
	reasonADLabel    = "outpost/epoch-reason/v1"
	bucketLabel      = "outpost-login-bucket"
)

// keyboxSpace names keybox record ids (uuid.NewSHA1 of epoch and user), so
// every workstation names the same keybox alike.
var keyboxSpace = uuid.MustParse("6f7e2c1a-9b3d-4e8f-a1c2-5d6e7f8a9b0c")

// credentialRecord is the sealed bytes of a credential change. Bucket is
// one byte of a keyed hash of the username: enough for a workstation that
// joined to try the right credentials at a first sign-in, far too little
// for the server to learn a username from (docs/SECURITY.md).
type credentialRecord struct {
	V      int          `json:"v"`
	User   chart.UserID `json:"user"`
	Bucket string       `json:"bucket"`
	Secret []byte       `json:"secret"` // the user's secret, wrapped for their passphrase (age scrypt)
	Box    []byte       `json:"box"`    // the public half epoch keys are sealed to
}

// keyboxRecord is the sealed bytes of a keybox change.
type keyboxRecord struct {
	V     int          `json:"v"`
	Epoch string       `json:"epoch"`
	User  chart.UserID `json:"user"`
	Box   []byte       `json:"box"` // seal.SealKeyTo(user's box key, epoch key)
}

// epochRecord is the sealed bytes of an epoch change.
type epochRecord struct {
	V        int      `json:"v"`
	Epoch    string   `json:"epoch"`
	Prior    []string `json:"prior"`              // the epochs Keyring carries
	Keyring  []byte   `json:"keyring"`            // their keys, sealed under this epoch's key
	Recovery []byte   `json:"recovery,omitempty"` // this epoch's key for the practice recovery key
	Reason   []byte   `json:"reason"`             // why it started, sealed under its key
}

// loginBucket is the credential bucket of username in practice.
func loginBucket(practice chart.PracticeID, username string) string {
	sum := sha256.Sum256([]byte(bucketLabel + "\n" + string(practice) + "\n" + strings.ToLower(username)))
	return hex.EncodeToString(sum[:1])
}

func keyboxID(epoch seal.EpochID, user chart.UserID) string {
	return uuid.NewSHA1(keyboxSpace, []byte(epoch.String()+"/"+string(user))).String()
}

func keyboxAD(epoch seal.EpochID, user chart.UserID) []byte {
	return seal.AD(keyboxADLabel, epoch.String(), string(user))
}

// credential is a user's fresh secret: its keys and its wrap.
type credential struct {
	keys    *seal.UserKeys
	wrapped []byte
}

// newCredential makes a new secret for a user and wraps it for passphrase.
func newCredential(passphrase string, workFactor int) (credential, error) {
	secret, err := seal.NewKey()
	if err != nil {
		return credential{}, err
	}
	defer secret.Wipe()
	keys, err := seal.UserKeysFrom(secret)
	if err != nil {
		return credential{}, err
	}
	wrapped, err := seal.WrapWithPassphrase(secret, passphrase, workFactor)
	if err != nil {
		return credential{}, err
	}
	return credential{keys: keys, wrapped: wrapped}, nil
}

// openCredential unwraps a user's secret with passphrase and derives their
// keys; errors are seal's (ErrWrongPassphrase, ErrWorkFactor).
func openCredential(wrapped []byte, passphrase string, maxWorkFactor int) (*seal.UserKeys, error) {
	secret, err := seal.UnwrapWithPassphrase(wrapped, passphrase, maxWorkFactor)
	if err != nil {
		return nil, err
	}
	defer secret.Wipe()
	return seal.UserKeysFrom(secret)
}

// storedEpoch is an epoch record from the change log.
type storedEpoch struct {
	id     seal.EpochID
	stamp  string
	record epochRecord
}

// loadEpochs reads every epoch record in the change log (including those a
// join pull stored unopened), oldest first by clock.
func loadEpochs(ctx context.Context, q queryer) ([]storedEpoch, error) {
	rows, err := q.QueryContext(ctx, `SELECT record_id, hlc, `+changeSealed("changes")+` FROM changes WHERE kind = ? AND patient_id = ''
		ORDER BY hlc, change_id`, kindEpoch)
	if err != nil {
		return nil, fmt.Errorf("load key epochs: %w", err)
	}
	defer rows.Close()
	var out []storedEpoch
	for rows.Next() {
		var id, stamp string
		var raw []byte
		if err := rows.Scan(&id, &stamp, &raw); err != nil {
			return nil, fmt.Errorf("load key epochs: %w", err)
		}
		e := storedEpoch{stamp: stamp}
		var perr error
		if e.id, perr = seal.ParseEpochID(id); perr != nil || json.Unmarshal(raw, &e.record) != nil ||
			e.record.Epoch != id {
			slog.Warn("epoch record does not read; ignored", "record", id)
			continue
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// latestKeybox returns the newest keybox of user for epoch, if any.
func latestKeybox(ctx context.Context, q queryer, epoch seal.EpochID, user chart.UserID) (keyboxRecord, bool, error) {
	var raw []byte
	err := q.QueryRowContext(ctx, `SELECT `+changeSealed("changes")+` FROM changes WHERE record_id = ? AND kind = ?
		ORDER BY hlc DESC, change_id DESC LIMIT 1`, keyboxID(epoch, user), kindKeybox).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return keyboxRecord{}, false, nil
	}
	if err != nil {
		return keyboxRecord{}, false, fmt.Errorf("load keybox: %w", err)
	}
	var kb keyboxRecord
	if json.Unmarshal(raw, &kb) != nil || kb.User != user || kb.Epoch != epoch.String() {
		return keyboxRecord{}, false, nil
	}
	return kb, true, nil
}

// ringFor builds the keyring user reaches on this workstation: every epoch
// key sealed to them (their keyboxes), and every older key those epochs
// carry. root, when given (a sign-in that unwrapped the practice's first
// key the old way), seeds the ring. It fails only when no key at all is
// reachable.
func ringFor(ctx context.Context, q queryer, keys *seal.UserKeys, user chart.UserID, root *seal.Key) (*seal.Keyring, error) {
	epochs, err := loadEpochs(ctx, q)
	if err != nil {
		return nil, err
	}
	held := map[seal.EpochID]*seal.Key{}
	if root != nil {
		held[seal.EpochID{}] = root
	}
	if keys != nil {
		for _, e := range append([]storedEpoch{{}}, epochs...) { // the root may have a keybox without a record
			if _, ok := held[e.id]; ok {
				continue
			}
			kb, ok, err := latestKeybox(ctx, q, e.id, user)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			if k, err := keys.OpenKey(kb.Box, keyboxAD(e.id, user)); err == nil {
				held[e.id] = k
			}
		}
	}
	for _, e := range epochs { // each epoch's keyring carries the older keys
		k, ok := held[e.id]
		if !ok {
			continue
		}
		older, err := k.OpenKeys(e.record.Keyring, seal.AD(keyringADLabel, e.id.String()))
		if err != nil {
			slog.Warn("epoch keyring does not open; its older keys are skipped", "epoch", e.id)
			continue
		}
		for id, ok := range older {
			if _, have := held[id]; !have {
				held[id] = ok
			}
		}
	}
	rootKey, ok := held[seal.EpochID{}]
	if !ok {
		return nil, errNoKey
	}
	ring := seal.NewKeyring(rootKey)
	for id, k := range held {
		ring.Add(id, k)
	}
	if err := ring.SetCurrent(adoptedEpoch(ring, epochs)); err != nil {
		return nil, err
	}
	return ring, nil
}

// errNoKey: none of the practice's keys is sealed to this user here.
var errNoKey = errors.New("no practice key is sealed to this user on this workstation")

// adoptedEpoch walks the epochs in clock order from the root and moves to
// each one whose keyring carries the key of the epoch current so far: the
// epoch a session seals under. Every workstation holding the same records
// picks the same one.
func adoptedEpoch(ring *seal.Keyring, epochs []storedEpoch) seal.EpochID {
	current := seal.EpochID{}
	for _, e := range epochs {
		k, ok := ring.Key(e.id)
		if !ok || e.id.IsRoot() {
			continue
		}
		older, err := k.OpenKeys(e.record.Keyring, seal.AD(keyringADLabel, e.id.String()))
		if err != nil {
			continue
		}
		cur, _ := ring.Key(current)
		if carried, ok := older[current]; ok && carried.Equal(cur) {
			current = e.id
		}
	}
	return current
}

// unfoldedEpochs lists the epochs a session holds that its current epoch's
// keyring does not carry: a concurrent rotation, folded in by the next one.
func unfoldedEpochs(ctx context.Context, q queryer, ring *seal.Keyring) ([]seal.EpochID, error) {
	cur, key := ring.Current()
	carried := map[seal.EpochID]bool{cur: true}
	if !cur.IsRoot() {
		epochs, err := loadEpochs(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, e := range epochs {
			if e.id != cur {
				continue
			}
			older, err := key.OpenKeys(e.record.Keyring, seal.AD(keyringADLabel, cur.String()))
			if err != nil {
				return nil, err
			}
			for id := range older {
				carried[id] = true
			}
		}
	} else {
		carried[seal.EpochID{}] = true
	}
	var out []seal.EpochID
	for _, id := range ring.Epochs() {
		if !carried[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// keyWriter writes the key records of one session.
type keyWriter struct{ pwWriter }

// credential writes user's credential change (their wrapped secret and
// public half). Older versions are dropped once this one is stored
// (dropSuperseded).
func (k keyWriter) credential(ctx context.Context, t *tx, user chart.UserID, username string, c credential) error {
	practice, err := readMeta(ctx, t, metaPracticeID)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(credentialRecord{V: keyRecordVersion, User: user,
		Bucket: loginBucket(chart.PracticeID(practice[metaPracticeID]), username), Secret: c.wrapped, Box: c.keys.BoxPublic()})
	if err != nil {
		return fmt.Errorf("encode credential: %w", err)
	}
	return k.replaceable(ctx, t, kindCredential, string(user), raw)
}

// keybox writes epoch's key sealed to a user's box key.
func (k keyWriter) keybox(ctx context.Context, t *tx, epoch seal.EpochID, key *seal.Key, user chart.UserID, box []byte) error {
	sealed, err := seal.SealKeyTo(box, key, keyboxAD(epoch, user))
	if err != nil {
		return fmt.Errorf("seal key for user %s: %w", user, err)
	}
	raw, err := json.Marshal(keyboxRecord{V: keyRecordVersion, Epoch: epoch.String(), User: user, Box: sealed})
	if err != nil {
		return fmt.Errorf("encode keybox: %w", err)
	}
	return k.replaceable(ctx, t, kindKeybox, keyboxID(epoch, user), raw)
}

// replaceable appends a change of a kind whose latest version alone counts
// (no parents: older versions are dropped, not merged) and drops the older
// versions this workstation holds.
func (k keyWriter) replaceable(ctx context.Context, t *tx, kind, id string, raw []byte) error {
	var top int64
	if err := t.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM changes WHERE record_id = ? AND kind = ?`,
		id, kind).Scan(&top); err != nil {
		return fmt.Errorf("next version of %s %s: %w", kind, id, err)
	}
	c := wire.Change{ChangeID: chart.NewChangeID(), RecordID: id, Kind: kind, Version: top + 1, DeviceID: k.device,
		UserID: k.actor, Sealed: raw}
	if err := k.w.appendLocal(ctx, t, k.key, &c); err != nil {
		return err
	}
	return dropSuperseded(ctx, t, kind, id, c.HLC)
}

// dropSuperseded deletes the versions of a replaceable record older than
// stamp that the server already holds (unsent ones leave with the outbox
// once acknowledged, and go at the next write).
func dropSuperseded(ctx context.Context, t *tx, kind, id, stamp string) error {
	if !slices.Contains(wire.ReplaceableKinds, kind) {
		return nil
	}
	_, err := t.ExecContext(ctx, `DELETE FROM changes WHERE record_id = ? AND kind = ? AND hlc < ? AND acked_at IS NOT NULL`,
		id, kind, stamp)
	if err != nil {
		return fmt.Errorf("drop superseded %s %s: %w", kind, id, err)
	}
	return nil
}

// startEpoch starts a new data-key epoch: a fresh key, carrying every key
// the session holds, sealed to every active user with a key of their own,
// and wrapped for the practice recovery key; the session seals under it
// from now on. It returns how many active users could not be given the new
// key (accounts from before key epochs whose holder has not signed in
// since: an administrator resets their passphrase). Call it with s.mu held
// exclusively.
func (s *Session) startEpoch(ctx context.Context, t *tx, reason string) (missed int, err error) {
	id, err := seal.NewEpochID()
	if err != nil {
		return 0, err
	}
	key, err := seal.NewKey()
	if err != nil {
		return 0, err
	}
	rec := epochRecord{V: keyRecordVersion, Epoch: id.String(), Prior: epochStrings(s.key.Epochs()),
		Keyring: key.SealKeys(s.key, seal.AD(keyringADLabel, id.String())),
		Reason:  key.Seal([]byte(reason), seal.AD(reasonADLabel, id.String()))}
	m, err := readMeta(ctx, t, metaRecoveryPublic)
	if err != nil {
		return 0, err
	}
	if r := m[metaRecoveryPublic]; r != "" {
		if rec.Recovery, err = seal.WrapForRecipient(key, r); err != nil {
			return 0, fmt.Errorf("start key epoch: recovery wrap: %w", err)
		}
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return 0, fmt.Errorf("encode epoch: %w", err)
	}
	if !s.key.Add(id, key) {
		return 0, fmt.Errorf("start key epoch: id %s taken", id)
	}
	if err := s.key.SetCurrent(id); err != nil {
		return 0, err
	}
	kw := keyWriter{s.pw()}
	c := wire.Change{ChangeID: chart.NewChangeID(), RecordID: id.String(), Kind: kindEpoch, Version: 1,
		DeviceID: s.deviceID, UserID: s.user.ID, Sealed: raw}
	if err := s.w.appendLocal(ctx, t, s.key, &c); err != nil {
		return 0, err
	}
	return kw.keyboxesForActive(ctx, t, id, key)
}

// keyboxesForActive seals epoch's key to every active user with a box key
// and counts the active users without one.
func (k keyWriter) keyboxesForActive(ctx context.Context, t *tx, epoch seal.EpochID, key *seal.Key) (missed int, err error) {
	rows, err := t.QueryContext(ctx, `SELECT id, box_public FROM users WHERE active = 1 ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("list users for the new key: %w", err)
	}
	type recipient struct {
		id  chart.UserID
		box []byte
	}
	var to []recipient
	for rows.Next() {
		var r recipient
		if err := rows.Scan(&r.id, &r.box); err != nil {
			rows.Close()
			return 0, err
		}
		to = append(to, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range to {
		if len(r.box) == 0 {
			missed++
			continue
		}
		if err := k.keybox(ctx, t, epoch, key, r.id, r.box); err != nil {
			return 0, err
		}
	}
	return missed, nil
}

func epochStrings(ids []seal.EpochID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

// keyboxesForUser seals every epoch key the session holds to one user's
// box key: a new user, or one whose passphrase (and so their secret) was
// just changed or reset.
func (s *Session) keyboxesForUser(ctx context.Context, t *tx, user chart.UserID, box []byte) error {
	kw := keyWriter{s.pw()}
	for _, id := range s.key.Epochs() {
		key, _ := s.key.Key(id)
		if err := kw.keybox(ctx, t, id, key, user, box); err != nil {
			return err
		}
	}
	return nil
}

// recoveryRing opens every key the practice recovery identity reaches on
// this workstation: the first key (wrapped here for the recovery key), each
// epoch's key (its epoch record carries it wrapped for the recovery key),
// and the older keys their keyrings carry.
func recoveryRing(ctx context.Context, q queryer, rootWrapped []byte, identity string) (*seal.Keyring, error) {
	root, err := seal.UnwrapWithIdentity(rootWrapped, identity)
	if err != nil {
		return nil, err
	}
	ring := seal.NewKeyring(root)
	epochs, err := loadEpochs(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, e := range epochs {
		if len(e.record.Recovery) == 0 {
			continue
		}
		k, err := seal.UnwrapWithIdentity(e.record.Recovery, identity)
		if err != nil {
			slog.Warn("an epoch's recovery wrap does not open with the recovery key", "epoch", e.id)
			continue
		}
		ring.Add(e.id, k)
		if older, err := k.OpenKeys(e.record.Keyring, seal.AD(keyringADLabel, e.id.String())); err == nil {
			for id, ok := range older {
				ring.Add(id, ok)
			}
		}
	}
	return ring, ring.SetCurrent(adoptedEpoch(ring, epochs))
}

// refreshRing adds to the session's keyring the keys its user reaches now
// (a keybox or an epoch just arrived) and moves it to the adopted epoch.
// It reports whether the ring gained a key.
func (s *Session) refreshRing(ctx context.Context, t *tx) error {
	fresh, err := ringFor(ctx, t, s.userKeys, s.user.ID, s.key.Root())
	if errors.Is(err, errNoKey) {
		return nil
	}
	if err != nil {
		return err
	}
	gained := false
	for _, id := range fresh.Epochs() {
		if _, held := s.key.Key(id); held {
			continue
		}
		k, _ := fresh.Key(id)
		gained = s.key.Add(id, k) || gained
	}
	epochs, err := loadEpochs(ctx, t)
	if err != nil {
		return err
	}
	if err := s.key.SetCurrent(adoptedEpoch(s.key, epochs)); err != nil {
		return err
	}
	if gained {
		s.ringGrew = true
	}
	return nil
}
