package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"outpost/sync/wire"
)

// JoinHeads lists one page for a joining workstation of device's practice
// (wire.JoinHeadsRequest): the heads of every record as of seq upTo, or the
// whole history up to upTo of req.Records. A head is a change that no
// change of the same record up to upTo names as a parent (parents are
// plaintext metadata the workstation authenticates, so a server that hides
// a head or invents one is caught by the workstation's merge no worse than
// by a pull that leaves changes out). Superseded versions of replaceable
// kinds stay out, as in pulls. The response's Head is upTo: the seq delta
// pulls continue from.
func (s *Store) JoinHeads(ctx context.Context, device string, req wire.JoinHeadsRequest, maxBytes int) (wire.PullResponse, error) {
	// A join asks for full pages: room for the whole page at once, not
	// grown (and copied) as it fills.
	resp := wire.PullResponse{Changes: make([]wire.Change, 0, min(max(req.Limit, 0), wire.MaxPullLimit)), Next: req.After, Head: req.UpTo}
	practice, head, err := s.practiceHead(ctx, device)
	if err != nil {
		return resp, fmt.Errorf("join: %w", err)
	}
	if resp.Head == 0 {
		resp.Head = head
	}
	query, args, err := s.joinQuery(practice, req, resp.Head)
	if err != nil {
		return resp, err
	}
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return resp, fmt.Errorf("join: %w", err)
	}
	defer rows.Close()
	if err := readPage(rows, req.Limit, maxBytes, &resp); err != nil {
		return resp, fmt.Errorf("join: %w", err)
	}
	if !resp.More {
		resp.Next = resp.Head
	}
	return resp, nil
}

// readPage appends rows (scanChange's columns, seq order, limit+1 asked)
// to resp: at most limit changes and about maxBytes, at least one. More is
// set when rows has more; Next is the last seq taken.
func readPage(rows *sql.Rows, limit, maxBytes int, resp *wire.PullResponse) error {
	size := 0
	for rows.Next() {
		if len(resp.Changes) == limit {
			resp.More = true
			break
		}
		seq, c, err := scanChange(rows)
		if err != nil {
			return err
		}
		size += len(c.Sealed)*4/3 + 512
		if size > maxBytes && len(resp.Changes) > 0 {
			resp.More = true
			break
		}
		resp.Changes = append(resp.Changes, c)
		resp.Next = seq
	}
	return rows.Err()
}

const joinColumns = `seq, change_id, record_id, kind, patient_id, version, parents, hlc, device_id, user_id, sealed, auth`

// joinQuery is the heads query, or the history query when req names records.
func (s *Store) joinQuery(practice int64, req wire.JoinHeadsRequest, upTo int64) (string, []any, error) {
	if len(req.Records) > 0 {
		ids, err := json.Marshal(req.Records)
		if err != nil {
			return "", nil, fmt.Errorf("join: encode records: %w", err)
		}
		return `SELECT ` + joinColumns + ` FROM changes WHERE practice = ? AND seq > ? AND seq <= ? AND superseded = 0
			AND record_id IN (` + s.d.jsonValues + `) ORDER BY seq LIMIT ?`,
			[]any{practice, req.After, upTo, string(ids), req.Limit + 1}, nil
	}
	return `SELECT ` + joinColumns + ` FROM changes c WHERE c.practice = ? AND c.seq > ? AND c.seq <= ? AND c.superseded = 0
		AND NOT EXISTS (SELECT 1 FROM ` + s.d.byRecord + `, ` + s.d.parentsOf + ` WHERE d.practice = c.practice
			AND d.record_id = c.record_id AND d.kind = c.kind AND d.seq <= ? AND p.value = c.change_id)
		ORDER BY c.seq LIMIT ?`, []any{practice, req.After, upTo, upTo, req.Limit + 1}, nil
}
