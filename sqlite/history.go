package sqlite

import (
	"context"
	"fmt"

	"outpost/chart"
	"outpost/sync/clock"
)

// The stored versions of one record, newest first, for the History views.
// Two workstations that edit a record before they sync both write "the
// next version", so two versions can carry one number: each is listed
// under its own change id, marked concurrent, with the workstation that
// wrote it. Its time is when it was written (its clock), not when this
// workstation received it.

// historyVersion is one version of a record as the change log holds it.
type historyVersion struct {
	change     chart.ChangeID
	version    int64
	user       chart.UserID
	userName   string
	deviceName string
	writtenAt  string // RFC 3339
	sealed     []byte
	concurrent bool // another version carries the same number
}

func (s *Session) historyOf(ctx context.Context, kind, id string) ([]historyVersion, error) {
	rows, err := s.w.db.QueryContext(ctx, `SELECT c.change_id, c.version, c.user_id, c.hlc, c.created_at, `+changeSealed("c")+`,
			coalesce(u.full_name, ''), c.device_id
		FROM changes c LEFT JOIN users u ON u.id = c.user_id
		WHERE c.record_id = ? AND c.kind = ?
		ORDER BY c.version DESC, c.hlc DESC, c.change_id DESC`, id, kind)
	if err != nil {
		return nil, fmt.Errorf("load history: %w", err)
	}
	defer rows.Close()
	var out []historyVersion
	perVersion := map[int64]int{}
	for rows.Next() {
		var v historyVersion
		var stamp, created string
		var device chart.DeviceID
		if err := rows.Scan(&v.change, &v.version, &v.user, &stamp, &created, &v.sealed, &v.userName, &device); err != nil {
			return nil, fmt.Errorf("load history: %w", err)
		}
		v.writtenAt = storedTime(created)
		if ts, err := clock.ParseTimestamp(stamp); err == nil {
			v.writtenAt = formatTime(ts.Time())
		}
		if device != s.deviceID {
			if v.deviceName, err = deviceName(ctx, s.w.db, device); err != nil {
				return nil, err
			}
		}
		perVersion[v.version]++
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load history: %w", err)
	}
	for i := range out {
		out[i].concurrent = perVersion[out[i].version] > 1
	}
	return out, nil
}
