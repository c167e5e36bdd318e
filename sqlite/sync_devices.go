package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"outpost/chart"
	"outpost/seal"
)

// Workstation names. Each workstation publishes the name it was given at
// enrolment as a practice-wide record of kind "device" (record id = its
// device id), sealed like any record, so the others can say "sent by Front
// desk" in the Conflicts and Held back screens. The practice server knows
// the names too, but what it says is not authenticated; this is.

const (
	kindDevice     = "device"
	metaDeviceName = "device_name"
)

// deviceRecord is the sealed content of a device change.
type deviceRecord struct {
	ID   chart.DeviceID `json:"id"`
	Name string         `json:"name"`
}

// cleanDeviceName drops what must never reach a list or a log line from a
// name: control, format (bidirectional overrides, zero-width) and
// unassigned characters; runs of spaces become one.
func cleanDeviceName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || !unicode.IsPrint(r) && r != ' ' {
			return -1
		}
		return r
	}, name)
	return strings.Join(strings.Fields(name), " ")
}

// publishDeviceName writes this workstation's name as a device change when
// it has one (it enrolled) and the practice does not hold it yet.
func (s *Session) publishDeviceName(ctx context.Context, t *tx) error {
	m, err := readMeta(ctx, t, metaDeviceName)
	if err != nil {
		return err
	}
	name := cleanDeviceName(m[metaDeviceName])
	if name == "" {
		return nil
	}
	var known string
	err = t.QueryRowContext(ctx, `SELECT name FROM devices WHERE id = ?`, string(s.deviceID)).Scan(&known)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read device name: %w", err)
	}
	if known == name {
		return nil
	}
	parents, version, err := nextVersion(ctx, t, kindDevice, string(s.deviceID))
	if err != nil {
		return err
	}
	pt, err := json.Marshal(deviceRecord{ID: s.deviceID, Name: name})
	if err != nil {
		return fmt.Errorf("encode device name: %w", err)
	}
	cid := chart.NewChangeID()
	sealed := s.key.Seal(pt, recordAD(kindDevice, string(s.deviceID), version, cid))
	if err := s.pw().appendChange(ctx, t, kindDevice, string(s.deviceID), version, parents, cid, sealed); err != nil {
		return err
	}
	return putDeviceName(ctx, t, s.deviceID, name)
}

func putDeviceName(ctx context.Context, t *tx, id chart.DeviceID, name string) error {
	_, err := t.ExecContext(ctx, `INSERT INTO devices (id, name, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
		string(id), name, formatTime(t.now))
	if err != nil {
		return fmt.Errorf("store device name: %w", err)
	}
	return nil
}

// openDeviceFields opens one device change.
func openDeviceFields(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error) {
	pt, err := key.Open(v.sealed, recordAD(kindDevice, v.id, v.version, v.cid))
	if err != nil {
		return nil, recordIntegrityError(kindDevice, v.id)
	}
	defer clear(pt)
	var rec deviceRecord
	if err := json.Unmarshal(pt, &rec); err != nil || string(rec.ID) != v.id || cleanDeviceName(rec.Name) == "" {
		return nil, recordIntegrityError(kindDevice, v.id)
	}
	return recordFields(&rec)
}

// mergeDevice re-merges a workstation's name and stores it.
func mergeDevice(s *Session, ctx context.Context, t *tx, id string) (int, error) {
	res, ok, err := s.mergeVersions(ctx, t, kindDevice, id, openDeviceFields)
	if err != nil || !ok {
		return 0, err
	}
	var rec deviceRecord
	if err := decodeFields(res.Fields, &rec); err != nil || string(rec.ID) != id {
		return 0, recordIntegrityError(kindDevice, id)
	}
	return len(res.Conflicts), putDeviceName(ctx, t, rec.ID, cleanDeviceName(rec.Name))
}
