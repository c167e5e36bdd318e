package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"outpost/sync/apply"
)

// Ancestors on demand. A workstation that joined from heads never held
// the older versions of its records. A change pulled later whose parent is
// one of those (an edit made offline, long ago, on another workstation)
// would wait for it forever: sync/client then fetches the whole history of
// its record (POST /v1/join-heads with records) and applies it like any
// pulled page. A base whose parents are all held again stops being one
// (settleBases), so the record merges from its real common ancestors.

// metaAncestorsChecked is the local change-log seq up to which changes
// were checked for parents not held.
const metaAncestorsChecked = "ancestors_checked_seq"

// RecordsMissingAncestors lists at most limit records holding a change
// (after the last check) that names a parent neither held nor held back,
// and the change-log seq the check went up to (for MarkAncestorsChecked).
// A workstation that never joined from heads holds no base and checks
// nothing: a missing parent there is still on its way.
func (s *Session) RecordsMissingAncestors(ctx context.Context, limit int) ([]string, int64, error) {
	w := s.w
	var ids []string
	var upTo int64
	err := w.snapshot(ctx, func(q queryer) error {
		m, err := readMeta(ctx, q, metaAncestorsChecked)
		if err != nil {
			return err
		}
		after, _ := strconv.ParseInt(m[metaAncestorsChecked], 10, 64)
		err = q.QueryRowContext(ctx, `SELECT CASE WHEN EXISTS (SELECT 1 FROM change_bases)
			THEN coalesce(max(seq), 0) ELSE 0 END FROM changes`).Scan(&upTo)
		if err != nil || upTo <= after {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT c.record_id FROM changes c, json_each(c.parents) p
			WHERE c.seq > ? AND c.seq <= ? AND c.parents != '[]'
				AND NOT EXISTS (SELECT 1 FROM change_bases b WHERE b.change_id = c.change_id)
				AND NOT EXISTS (SELECT 1 FROM changes x WHERE x.change_id = p.value)
				AND NOT EXISTS (SELECT 1 FROM quarantine h WHERE h.change_id = p.value)
			ORDER BY c.record_id LIMIT ?`, after, upTo, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, wrapInternal("find changes waiting for older versions", err)
	}
	return ids, upTo, nil
}

// MarkAncestorsChecked records that changes up to seq were checked.
func (s *Session) MarkAncestorsChecked(ctx context.Context, seq int64) error {
	err := s.w.write(ctx, func(t *tx) error {
		return setMeta(ctx, t, metaAncestorsChecked, []byte(strconv.FormatInt(seq, 10)))
	})
	return wrapInternalOrNil("note the check for older versions", err)
}

// settleBases drops the base mark of the touched records' changes whose
// parents are all held now.
func settleBases(ctx context.Context, t *tx, touched []apply.Record) error {
	if len(touched) == 0 {
		return nil
	}
	var any int
	if err := t.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM change_bases)`).Scan(&any); err != nil || any == 0 {
		return err
	}
	ids := make([]string, len(touched))
	for i, r := range touched {
		ids[i] = r.ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("settle merge bases: %w", err)
	}
	_, err = t.ExecContext(ctx, `DELETE FROM change_bases WHERE change_id IN (
		SELECT c.change_id FROM changes c WHERE c.record_id IN (SELECT value FROM json_each(?))
			AND NOT EXISTS (SELECT 1 FROM json_each(c.parents) p WHERE NOT EXISTS (
				SELECT 1 FROM changes x WHERE x.change_id = p.value)))`, string(list))
	if err != nil {
		return fmt.Errorf("settle merge bases: %w", err)
	}
	return nil
}
