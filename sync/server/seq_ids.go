package server

// The ids of the changes at given seqs, for a pull reply's AfterID and
// NextID (wire.FeatureSeqIDs): a workstation keeps the id at its cursor
// and finds by it a store brought back from a copy without a new
// incarnation (docs/SYNC.md, "A restored practice server").

import (
	"context"
	"fmt"

	"outpost/chart"
)

// ChangeIDsAt returns the ids of the changes numbered seqs in the practice
// of device ("": the default practice), whatever their patient, author or
// superseding. A seq not held (0, or past the head) is absent from the
// map. One statement on the primary key (practice, seq).
func (s *Store) ChangeIDsAt(ctx context.Context, device string, seqs ...int64) (map[int64]chart.ChangeID, error) {
	out := make(map[int64]chart.ChangeID, len(seqs))
	query, args := changeIDsQuery(device, seqs)
	if query == "" {
		return out, nil
	}
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read change ids at seqs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var id chart.ChangeID
		if err := rows.Scan(&seq, &id); err != nil {
			return nil, fmt.Errorf("read change ids at seqs: %w", err)
		}
		out[seq] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read change ids at seqs: %w", err)
	}
	return out, nil
}

// changeIDsQuery is ChangeIDsAt's statement ("" when no seq is positive).
func changeIDsQuery(device string, seqs []int64) (string, []any) {
	in, args := "", make([]any, 0, len(seqs)+1)
	practice := `(SELECT practice FROM devices WHERE id = ?)`
	args = append(args, device)
	if device == "" {
		practice, args[0] = `?`, defaultPractice
	}
	for _, seq := range seqs {
		if seq <= 0 {
			continue
		}
		if in != "" {
			in += ", "
		}
		in += "?"
		args = append(args, seq)
	}
	if in == "" {
		return "", nil
	}
	return `SELECT seq, change_id FROM changes WHERE practice = ` + practice + ` AND seq IN (` + in + `)`, args
}
