package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"outpost/chart"
	"outpost/seal"
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
	c.HLC = ts.String()
	c.Parents = nonNilParents(c.Parents)
	c.Auth = tagChange(key, c)
	parents, err := json.Marshal(c.Parents)
	if err != nil {
		return fmt.Errorf("encode parents: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO changes (change_id, record_id, kind, patient_id, version, parents,
		hlc, device_id, user_id, sealed, auth, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, string(parents), c.HLC, c.DeviceID, c.UserID,
		c.Sealed, c.Auth, formatTime(t.now))
	if err != nil {
		return fmt.Errorf("append %s change for %s: %w", c.Kind, c.RecordID, err)
	}
	return nil
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
