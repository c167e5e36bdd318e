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
	ID string
	// PracticeID is the practice the device enrolled into: requests are
	// signed for it, and it sees only that practice's changes.
	PracticeID string
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
	ErrUnknownDevice   = errors.New("device is not enrolled")
	ErrRevoked         = errors.New("device has been revoked")
	ErrBadCode         = errors.New("enrolment code is unknown, used or expired")
	ErrReplay          = errors.New("request was already seen (replay)")
	ErrRestarted       = errors.New("request was signed before the server started")
	ErrDeviceExists    = errors.New("a device with this id is already enrolled")
	ErrKeyInUse        = errors.New("this public key is already enrolled or revoked")
	ErrWrongPractice   = errors.New("this server belongs to another practice")
	ErrNoPractice      = errors.New("no workstation of this practice has connected yet")
	ErrUnknownPractice = errors.New("no practice with this id is served here")
)

// NewPractice, as the practice of NewEnrollmentTokenFor, makes a code whose
// first enrolment binds a new practice to the practice it names.
const NewPractice = "new"

// NewEnrollmentToken makes a random single-use token for the default
// practice, valid until expires. Only its hash is stored; the token goes
// into the code the administrator hands out.
func (s *Store) NewEnrollmentToken(ctx context.Context, expires time.Time) ([32]byte, error) {
	return s.NewEnrollmentTokenFor(ctx, "", expires)
}

// NewEnrollmentTokenFor is NewEnrollmentToken for practice: "" the default
// practice, NewPractice a new one, else the id of a practice served here
// (ErrUnknownPractice if none).
func (s *Store) NewEnrollmentTokenFor(ctx context.Context, practice string, expires time.Time) ([32]byte, error) {
	var token [32]byte
	var pk sql.NullInt64
	switch practice {
	case "":
		pk = sql.NullInt64{Int64: defaultPractice, Valid: true}
	case NewPractice:
	default:
		err := s.queryRow(ctx, `SELECT pk FROM practices WHERE practice_id = ?`, practice).Scan(&pk)
		if isNoRows(err) {
			return token, ErrUnknownPractice
		}
		if err != nil {
			return token, fmt.Errorf("find practice: %w", err)
		}
	}
	if _, err := rand.Read(token[:]); err != nil {
		return token, fmt.Errorf("make enrolment token: %w", err)
	}
	code := wire.EnrollmentCode{Token: token}
	_, err := s.exec(ctx, `INSERT INTO enrol_codes (token_hash, practice, expires_at) VALUES (?, ?, ?)`,
		wire.HashToken(code.TokenString()), pk, formatTime(expires))
	if err != nil {
		return token, fmt.Errorf("store enrolment token: %w", err)
	}
	return token, nil
}

// Enroll uses up the code token, binds the code's practice to
// req.PracticeID if it is bound to none yet, and registers the device in
// it, in one transaction: a refused enrolment (bad code, wrong practice,
// ...) stores nothing and leaves the code usable. It returns the practice
// the device enrolled into.
func (s *Store) Enroll(ctx context.Context, req wire.EnrollRequest, now time.Time) (string, error) {
	var bound string
	err := s.inTx(ctx, func(tx txn) error {
		var practice sql.NullInt64
		err := tx.queryRow(ctx, `UPDATE enrol_codes SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING practice`,
			formatTime(now), wire.HashToken(req.Code), formatTime(now)).Scan(&practice)
		if isNoRows(err) {
			return ErrBadCode
		}
		if err != nil {
			return fmt.Errorf("use enrolment code: %w", err)
		}
		pk, id, err := bindPractice(ctx, tx, practice, string(req.PracticeID))
		if err != nil {
			return err
		}
		if err := checkNewDevice(ctx, tx, req); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO devices (id, practice, name, public_key, enrolled_at) VALUES (?, ?, ?, ?, ?)`,
			string(req.DeviceID), pk, req.DeviceName, []byte(req.PublicKey), formatTime(now))
		if isUniqueViolation(err) {
			// Enrolments of one workstation at once (on PostgreSQL; SQLite
			// queues them) all pass checkNewDevice: the first insert wins,
			// and the others are refused as checkNewDevice would now.
			return takenDevice(err)
		}
		if err != nil {
			return fmt.Errorf("register device: %w", err)
		}
		bound = id
		return nil
	})
	return bound, err
}

// checkNewDevice refuses an id already enrolled and a key already known,
// enrolled or revoked: one key is one device, so revoking it ends it under
// every id.
func checkNewDevice(ctx context.Context, tx txn, req wire.EnrollRequest) error {
	var ids, keys int
	err := tx.queryRow(ctx, `SELECT (SELECT count(*) FROM devices WHERE id = ?),
		(SELECT count(*) FROM devices WHERE public_key = ?) + (SELECT count(*) FROM revoked_keys WHERE public_key = ?)`,
		string(req.DeviceID), []byte(req.PublicKey), []byte(req.PublicKey)).Scan(&ids, &keys)
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

// takenDevice is the refusal for an insert into devices that met a unique
// constraint: of the key when the constraint is the key's, else of the id.
func takenDevice(err error) error {
	if violatedConstraint(err, "public_key") {
		return ErrKeyInUse
	}
	return ErrDeviceExists
}

// bindPractice checks an enrolment's practice against its code's (pk; not
// valid: a new practice) and returns the practice's key and id. The
// checked code comes first, so only a holder of a valid code learns
// whether its practice is bound. A practice-less enrolment (a workstation
// joining) needs a bound practice: it learns the practice from it. An id
// another practice holds is refused: a code never lets one practice into
// another.
func bindPractice(ctx context.Context, tx txn, pk sql.NullInt64, practiceID string) (int64, string, error) {
	var bound string
	if pk.Valid {
		err := tx.queryRow(ctx, `SELECT coalesce(practice_id, '') FROM practices WHERE pk = ?`, pk.Int64).Scan(&bound)
		if err != nil {
			return 0, "", fmt.Errorf("read practice id: %w", err)
		}
	}
	switch {
	case bound != "" && practiceID != "" && bound != practiceID:
		return 0, "", ErrWrongPractice
	case bound != "":
		return pk.Int64, bound, nil
	case practiceID == "":
		return 0, "", ErrNoPractice
	}
	// The id may be bound since the read above (PostgreSQL reads each
	// statement's own snapshot): by an enrolment racing this one through
	// the same code's practice, which is this practice, or by another.
	var holder int64
	err := tx.queryRow(ctx, `SELECT pk FROM practices WHERE practice_id = ?`, practiceID).Scan(&holder)
	switch {
	case err == nil && pk.Valid && holder == pk.Int64:
		return holder, practiceID, nil
	case err == nil:
		return 0, "", ErrWrongPractice
	case !isNoRows(err):
		return 0, "", fmt.Errorf("read practice id: %w", err)
	}
	// Enrolments naming the same new id at once (on PostgreSQL; SQLite
	// queues them) both find it free above: the unique practice id lets
	// one have it, and the others are refused as of another practice.
	if !pk.Valid {
		err := tx.queryRow(ctx, `INSERT INTO practices (practice_id) VALUES (?)
			ON CONFLICT (practice_id) DO NOTHING RETURNING pk`, practiceID).Scan(&pk.Int64)
		if isNoRows(err) {
			return 0, "", ErrWrongPractice
		}
		if err != nil {
			return 0, "", fmt.Errorf("make practice: %w", err)
		}
		return pk.Int64, practiceID, nil
	}
	// Two first enrolments at once: only one binds; the other is checked
	// against it.
	res, err := tx.exec(ctx, `UPDATE practices SET practice_id = ? WHERE pk = ? AND practice_id IS NULL`, practiceID, pk.Int64)
	if isUniqueViolation(err) {
		return 0, "", ErrWrongPractice
	}
	if err != nil {
		return 0, "", fmt.Errorf("bind practice: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		// Bound meanwhile (PostgreSQL): by an enrolment of this practice
		// too, or of another.
		if err := tx.queryRow(ctx, `SELECT coalesce(practice_id, '') FROM practices WHERE pk = ?`, pk.Int64).Scan(&bound); err != nil {
			return 0, "", fmt.Errorf("read practice: %w", err)
		}
		if bound != practiceID {
			return 0, "", ErrWrongPractice
		}
	}
	return pk.Int64, practiceID, nil
}

// deviceColumns read a device; its revocation is its own or its key's.
const deviceColumns = `id, coalesce((SELECT practice_id FROM practices WHERE pk = devices.practice), ''),
	name, public_key, enrolled_at, last_seen_at,
	coalesce(revoked_at, (SELECT revoked_at FROM revoked_keys WHERE revoked_keys.public_key = devices.public_key))`

func scanDevice(row interface{ Scan(...any) error }) (Device, error) {
	var d Device
	var key []byte
	var enrolled string
	var seen, revoked sql.NullString
	if err := row.Scan(&d.ID, &d.PracticeID, &d.Name, &key, &enrolled, &seen, &revoked); err != nil {
		return d, err
	}
	d.PublicKey = ed25519.PublicKey(key)
	d.EnrolledAt = parseTime(sql.NullString{String: enrolled, Valid: true})
	d.LastSeenAt, d.RevokedAt = parseTime(seen), parseTime(revoked)
	return d, nil
}

// Device returns the device with id, or ErrUnknownDevice.
func (s *Store) Device(ctx context.Context, id string) (Device, error) {
	d, err := scanDevice(s.queryRow(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
	if isNoRows(err) {
		return d, ErrUnknownDevice
	}
	if err != nil {
		return d, fmt.Errorf("read device: %w", err)
	}
	return d, nil
}

// Devices lists all devices of every practice, in enrolment order.
func (s *Store) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.query(ctx, `SELECT `+deviceColumns+` FROM devices ORDER BY enrolled_at, id`)
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
	return s.inTx(ctx, func(tx txn) error {
		res, err := tx.exec(ctx, `UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, formatTime(now), id)
		if err != nil {
			return fmt.Errorf("revoke device: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrUnknownDevice
		}
		_, err = tx.exec(ctx, `INSERT INTO revoked_keys (public_key, revoked_at)
			SELECT public_key, revoked_at FROM devices WHERE id = ? ON CONFLICT DO NOTHING`, id)
		if err != nil {
			return fmt.Errorf("revoke device key: %w", err)
		}
		return nil
	})
}

// revokedAndHead lists every revoked device of the practice and when (at
// most wire.MaxRevoked, newest first), for pull replies, and reads the
// practice's highest committed seq and the store's incarnation in the
// same statement.
func (s *Store) revokedAndHead(ctx context.Context, practice int64) (revoked []wire.Revocation, head int64, incarnation string, err error) {
	rows, err := s.query(ctx, `SELECT p.last_seq, coalesce((SELECT value FROM meta WHERE key = ?), ''), d.id, d.revoked_at FROM practices p
		LEFT JOIN devices d ON d.practice = p.pk AND d.revoked_at IS NOT NULL
		WHERE p.pk = ? ORDER BY d.revoked_at DESC LIMIT ?`, incarnationKey, practice, wire.MaxRevoked)
	if err != nil {
		return nil, 0, "", fmt.Errorf("list revoked devices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at sql.NullString
		if err := rows.Scan(&head, &incarnation, &id, &at); err != nil {
			return nil, 0, "", fmt.Errorf("list revoked devices: %w", err)
		}
		if id.Valid { // no revoked device: one row of NULLs
			revoked = append(revoked, wire.Revocation{DeviceID: chart.DeviceID(id.String), At: parseTime(at).UnixMilli()})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, "", fmt.Errorf("list revoked devices: %w", err)
	}
	return revoked, head, incarnation, nil
}
