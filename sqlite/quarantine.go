package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/apply"
	"outpost/sync/wire"
)

// Quarantine. A pulled change that does not validate, whose clock is
// implausible, whose kind this build does not know, whose tag does not
// verify, whose sealed content does not open, or whose record will not
// merge with it, is held back: kept exactly as received in the quarantine
// table, out of the change log, while the rest of its page applies and the
// pull cursor moves on. One bad change (a bit flip on the server's disk, a
// buggy or hostile workstation, a newer Outpost's kind) can then never stop
// a practice's sync, a join, or a first sign-in. An administrator lists,
// retries and dismisses what is held (quarantine_admin.go).

// takenKinds reports whether this build does something with kind: merges
// it into a current record or stores what it carries (remoteHooks).
func takenKind(kind string) bool { return apply.Takes(applyKinds{}, kind) }

// screenWire is apply.ScreenWire with the kinds this build takes.
func screenWire(c *wire.Change, now time.Time) *apply.Held {
	return apply.ScreenWire(c, now, takenKind)
}

// screen is screenWire and the tag check, for a session holding the key.
func (s *Session) screen(c *wire.Change, now time.Time) *apply.Held {
	if h := screenWire(c, now); h != nil {
		return h
	}
	return s.verifyTag(c)
}

// verifyTag checks that c was made by a holder of the practice key and not
// altered since: its parents, clock, device, user, patient and sealed bytes.
func (s *Session) verifyTag(c *wire.Change) *apply.Held {
	if len(c.Auth) == 0 {
		return apply.Hold(apply.ReasonUnverified, "it carries no authentication tag (sent by an older version of Outpost? "+
			"update that workstation, then retry it)")
	}
	err := checkChangeTag(s.key, c)
	if errors.Is(err, seal.ErrUnknownEpoch) {
		return apply.Hold(apply.ReasonKey, "it was made under a practice key that has not reached this workstation (or "+
			"this user) yet; it is tried again when the key arrives")
	}
	if err != nil {
		return apply.Hold(apply.ReasonUnverified, "its authentication tag does not match: it was altered after it was written, "+
			"or made without the practice key")
	}
	return nil
}

// quarantine holds c back with why. A change already held keeps its row
// (its reason brought up to date, one more try counted); one already in the
// change log, where a good copy wins, is left alone.
func quarantine(ctx context.Context, t *tx, c *wire.Change, why *apply.Held) error {
	parents, err := json.Marshal(nonNilParents(c.Parents))
	if err != nil {
		return fmt.Errorf("hold back change %s: %w", c.ChangeID, err)
	}
	now := formatTime(t.now)
	_, err = t.ExecContext(ctx, `INSERT INTO quarantine (change_id, record_id, kind, patient_id, version, parents, hlc,
		device_id, user_id, sealed, auth, reason, detail, received_at, last_tried_at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM changes WHERE change_id = ?)
		ON CONFLICT (change_id) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,
			tries = tries + 1, last_tried_at = excluded.last_tried_at`,
		c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, string(parents), c.HLC, c.DeviceID, c.UserID,
		nonNilBytes(c.Sealed), c.Auth, why.Reason, why.Detail, now, now, c.ChangeID)
	if err != nil {
		return fmt.Errorf("hold back change %s: %w", c.ChangeID, err)
	}
	return nil
}

// quarantineStored moves changes already in the change log (stored by this
// apply, or by a join pull) to the quarantine, with why.
func quarantineStored(ctx context.Context, t *tx, ids []chart.ChangeID, why func(chart.ChangeID) *apply.Held) error {
	for _, id := range ids {
		c, err := scanWireChange(t.QueryRowContext(ctx, `SELECT `+changeWireColumns+` FROM changes WHERE change_id = ?`, id))
		if err != nil {
			return fmt.Errorf("hold back change %s: %w", id, err)
		}
		for _, q := range []string{`DELETE FROM join_hooks WHERE change_id = ?`, `DELETE FROM changes WHERE change_id = ?`} {
			if _, err := t.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("hold back change %s: %w", id, err)
			}
		}
		if err := quarantine(ctx, t, &c, why(id)); err != nil {
			return err
		}
	}
	return nil
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// openAlone opens change id of record r on its own, as its merge would: a
// non-nil apply.Held says why it does not open.
func (s *Session) openAlone(ctx context.Context, t *tx, r apply.Record, id chart.ChangeID) (*apply.Held, error) {
	var v rawVersion
	err := t.QueryRowContext(ctx, `SELECT change_id, patient_id, version, `+mergeParents+`, hlc, device_id, user_id, `+changeSealed("changes")+`
		FROM changes WHERE change_id = ?`, id).Scan(&v.cid, &v.patient, &v.version, &v.parents, &v.stamp, &v.device,
		&v.user, &v.sealed)
	if err != nil {
		return nil, fmt.Errorf("load change %s: %w", id, err)
	}
	err = s.openRaw(ctx, t, r, v)
	if h, ok := apply.AsHeld(err); ok {
		return h, nil
	}
	return nil, err
}

// openRaw opens one stored version of r by its kind.
func (s *Session) openRaw(ctx context.Context, t *tx, r apply.Record, v rawVersion) error {
	sv := storedVersion{kind: r.Kind, id: r.ID, patientID: v.patient, version: v.version, cid: chart.ChangeID(v.cid),
		sealed: v.sealed}
	switch r.Kind {
	case kindPatient:
		pv := patientVersion{version: v.version, sealed: v.sealed}
		return s.openVersion(r.ID, sv.cid, v.parents, v.stamp, &pv)
	case kindUser:
		m, err := readMeta(ctx, t, metaPracticeID)
		if err != nil {
			return err
		}
		_, err = openUserFields(chart.PracticeID(m[metaPracticeID]))(s.key, sv)
		return err
	case kindPractice:
		_, err := openPracticeFields(s.key, sv)
		return err
	case kindDevice:
		_, err := openDeviceFields(s.key, sv)
		return err
	}
	if km, ok := kindMergers[r.Kind]; ok {
		_, err := s.openKindVersion(r.Kind, r.ID, km, v)
		return err
	}
	return nil
}
