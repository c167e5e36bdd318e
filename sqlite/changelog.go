package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// appendLocal appends c, written on this workstation, to the change log:
// stamped with the next clock reading and tagged under key, so every
// workstation that pulls it can tell it was made by a holder of the
// practice key and not altered since (docs/SECURITY.md). c.Sealed, ids,
// kind, version, parents, device and user are the caller's.
func (w *Workstation) appendLocal(ctx context.Context, t *tx, key *seal.Keyring, c *wire.Change) error {
	ts, err := w.stamp(ctx, t)
	if err != nil {
		return err
	}
	return w.appendStamped(ctx, t, key, c, ts)
}

// appendStamped is appendLocal with the clock reading ts taken by the
// caller, which writes the clock's newest reading to meta itself, once, in
// the same transaction: packing a push's audit batches stamps hundreds
// of them in one transaction, and rewrote the meta row for each.
func (w *Workstation) appendStamped(ctx context.Context, t *tx, key *seal.Keyring, c *wire.Change, ts clock.Timestamp) error {
	signChange(key, c, ts)
	row, err := changeValues(c, c.Sealed, t.now)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO changes (`+changeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, row...)
	if err != nil {
		return fmt.Errorf("append %s change for %s: %w", c.Kind, c.RecordID, err)
	}
	return nil
}

// changeColumns are the columns a local change is written with; changeValues
// gives them for one change.
const changeColumns = `change_id, record_id, kind, patient_id, version, parents, hlc, device_id, user_id, sealed, auth, created_at`

// changeValues is c's row of changes, holding stored as its sealed bytes:
// c.Sealed, or x” when the record's row holds the same bytes (migration
// 0017: a change's bytes live once).
func changeValues(c *wire.Change, stored []byte, now time.Time) ([]any, error) {
	parents, err := json.Marshal(c.Parents)
	if err != nil {
		return nil, fmt.Errorf("encode parents: %w", err)
	}
	return []any{c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, string(parents), c.HLC, c.DeviceID, c.UserID,
		stored, c.Auth, rowStamp(now)}, nil
}

// signChange gives c its clock reading ts and its tag under key.
func signChange(key *seal.Keyring, c *wire.Change, ts clock.Timestamp) {
	c.HLC = ts.String()
	c.Parents = nonNilParents(c.Parents)
	c.Auth = tagChange(key, c)
}

// tagChange is c's authentication tag under key.
func tagChange(key *seal.Keyring, c *wire.Change) []byte {
	return key.Tag(seal.AD(c.AuthParts()...))
}

// checkChangeTag verifies c's tag under key.
func checkChangeTag(key *seal.Keyring, c *wire.Change) error {
	return key.CheckTag(seal.AD(c.AuthParts()...), c.Auth)
}

func nonNilParents(p []chart.ChangeID) []chart.ChangeID {
	if p == nil {
		return []chart.ChangeID{}
	}
	return p
}
