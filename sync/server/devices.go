package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// Device is one enrolled workstation.
type Device struct {
	ID         string
	Name       string
	PublicKey  ed25519.PublicKey
	EnrolledAt time.Time
	LastSeenAt time.Time // zero if it never synced
	RevokedAt  time.Time // zero if active
}

// Revoked reports whether the device may no longer sync.
func (d Device) Revoked() bool { return !d.RevokedAt.IsZero() }

// Errors of the device operations. The handlers map them to unauthorized
// replies with a reason.
var (
	ErrUnknownDevice = errors.New("device is not enrolled")
	ErrRevoked       = errors.New("device has been revoked")
	ErrBadCode       = errors.New("enrolment code is unknown, used or expired")
	ErrReplay        = errors.New("request was already seen (replay)")
	ErrRestarted     = errors.New("request was signed before the server started")
	ErrDeviceExists  = errors.New("a device with this id is already enrolled")
	ErrKeyInUse      = errors.New("this public key is already enrolled or revoked")
	ErrWrongPractice = errors.New("this server belongs to another practice")
	ErrNoPractice    = errors.New("no workstation of this practice has connected yet")
)

// NewEnrollmentToken makes a random single-use token valid until expires.
// Only its hash is stored; the token goes into the code the administrator
// hands out.
func (s *Store) NewEnrollmentToken(ctx context.Context, expires time.Time) ([32]byte, error) {
	var token [32]byte
	if _, err := rand.Read(token[:]); err != nil {
		return token, fmt.Errorf("make enrolment token: %w", err)
	}
	code := wire.EnrollmentCode{Token: token}
	_, err := s.db.ExecContext(ctx, `INSERT INTO enrol_codes (token_hash, expires_at) VALUES (?, ?)`,
		wire.HashToken(code.TokenString()), formatTime(expires))
	if err != nil {
		return token, fmt.Errorf("store enrolment token: %w", err)
	}
	return token, nil
}

// Enroll uses up the code token, binds the server to req.PracticeID if it
// is bound to none yet, and registers the device, in one transaction: a
// refused enrolment (bad code, wrong practice, ...) stores nothing and
// leaves the code usable.
func (s *Store) Enroll(ctx context.Context, req wire.EnrollRequest, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE enrol_codes SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
			formatTime(now), wire.HashToken(req.Code), formatTime(now))
		if err != nil {
			return fmt.Errorf("use enrolment code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrBadCode
		}
		if err := bindPractice(ctx, tx, string(req.PracticeID)); err != nil {
			return err
		}
		if err := checkNewDevice(ctx, tx, req); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO devices (id, name, public_key, enrolled_at) VALUES (?, ?, ?, ?)`,
			req.DeviceID, req.DeviceName, req.PublicKey, formatTime(now))
		if err != nil {
			return fmt.Errorf("register device: %w", err)
		}
		return nil
	})
}

// checkNewDevice refuses an id already enrolled and a key already known,
// enrolled or revoked: one key is one device, so revoking it ends it under
// every id.
func checkNewDevice(ctx context.Context, tx *sql.Tx, req wire.EnrollRequest) error {
	var ids, keys int
	err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM devices WHERE id = ?),
		(SELECT count(*) FROM devices WHERE public_key = ?) + (SELECT count(*) FROM revoked_keys WHERE public_key = ?)`,
		req.DeviceID, req.PublicKey, req.PublicKey).Scan(&ids, &keys)
	switch {
	case err != nil:
		return fmt.Errorf("check device: %w", err)
	case ids > 0:
		return ErrDeviceExists
	case keys > 0:
		return ErrKeyInUse
	}
	return nil
}

// bindPractice checks an enrolment's practice against the server's. The
// checked code comes first, so only a holder of a valid code learns
// whether the server is bound. A practice-less enrolment (a workstation
// joining) needs a bound server: it learns the practice from it.
func bindPractice(ctx context.Context, tx *sql.Tx, practiceID string) error {
	var bound string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'practice_id'`).Scan(&bound)
	switch {
	case err != nil && !isNoRows(err):
		return fmt.Errorf("read practice id: %w", err)
	case bound != "" && practiceID != "" && bound != practiceID:
		return ErrWrongPractice
	case bound != "":
		return nil
	case practiceID == "":
		return ErrNoPractice
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('practice_id', ?)`, practiceID); err != nil {
		return fmt.Errorf("bind practice: %w", err)
	}
	return nil
}

// deviceColumns read a device; its revocation is its own or its key's.
const deviceColumns = `id, name, public_key, enrolled_at, last_seen_at,
	coalesce(revoked_at, (SELECT revoked_at FROM revoked_keys WHERE revoked_keys.public_key = devices.public_key))`

func scanDevice(row interface{ Scan(...any) error }) (Device, error) {
	var d Device
	var key []byte
	var enrolled string
	var seen, revoked sql.NullString
	if err := row.Scan(&d.ID, &d.Name, &key, &enrolled, &seen, &revoked); err != nil {
		return d, err
	}
	d.PublicKey = ed25519.PublicKey(key)
	d.EnrolledAt = parseTime(sql.NullString{String: enrolled, Valid: true})
	d.LastSeenAt, d.RevokedAt = parseTime(seen), parseTime(revoked)
	return d, nil
}

// Device returns the device with id, or ErrUnknownDevice.
func (s *Store) Device(ctx context.Context, id string) (Device, error) {
	d, err := scanDevice(s.db.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
	if isNoRows(err) {
		return d, ErrUnknownDevice
	}
	if err != nil {
		return d, fmt.Errorf("read device: %w", err)
	}
	return d, nil
}

// Devices lists all devices, in enrolment order.
func (s *Store) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+deviceColumns+` FROM devices ORDER BY enrolled_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("list devices: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Revoke stops the device from syncing from its next request on, and its
// key under any device id, forever. Revoking a revoked device keeps the
// first revocation time.
func (s *Store) Revoke(ctx context.Context, id string, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, formatTime(now), id)
		if err != nil {
			return fmt.Errorf("revoke device: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrUnknownDevice
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO revoked_keys (public_key, revoked_at)
			SELECT public_key, revoked_at FROM devices WHERE id = ? ON CONFLICT DO NOTHING`, id)
		if err != nil {
			return fmt.Errorf("revoke device key: %w", err)
		}
		return nil
	})
}

// revokedDevices lists every revoked device and when (at most
// wire.MaxRevoked, newest first), for pull replies.
func (s *Store) revokedDevices(ctx context.Context) ([]wire.Revocation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, revoked_at FROM devices WHERE revoked_at IS NOT NULL
		ORDER BY revoked_at DESC LIMIT ?`, wire.MaxRevoked)
	if err != nil {
		return nil, fmt.Errorf("list revoked devices: %w", err)
	}
	defer rows.Close()
	var out []wire.Revocation
	for rows.Next() {
		var id chart.DeviceID
		var at sql.NullString
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("list revoked devices: %w", err)
		}
		out = append(out, wire.Revocation{DeviceID: id, At: parseTime(at).UnixMilli()})
	}
	return out, rows.Err()
}
