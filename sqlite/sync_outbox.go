package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"outpost/chart"
	"outpost/sync/wire"
)

// metaPullCursor is the server seq after which the next pull starts. It is
// written in the transaction that applies the page it ends, so a crash never
// skips or half-applies a page.
const metaPullCursor = "sync_pull_cursor"

// Outbox returns up to limit changes this workstation wrote that the
// practice server has not acknowledged, oldest first, as they travel (the
// sealed bytes as stored). Any signed-in user may sync. A push reads
// through OutboxBatch, which also caps the bytes.
func (s *Session) Outbox(ctx context.Context, limit int) ([]wire.Change, error) {
	return s.OutboxBatch(ctx, limit, math.MaxInt)
}

// OutboxBatch is Outbox for one push: at most limit changes and, past the
// first, no more than maxBytes of sealed content. It reads the changes it
// returns and at most one more (readOutbox): a backlog of scanned reports
// (attachment bytes, up to 10 MB each, are in the change log) once made
// every push read the whole backlog to send one or two of them.
func (s *Session) OutboxBatch(ctx context.Context, limit, maxBytes int) ([]wire.Change, error) {
	return s.outboxBatch(ctx, "", limit, maxBytes)
}

// OutboxBatchAfter is OutboxBatch for the changes after after, a change
// of the outbox already handed out and not yet acknowledged: a push reads
// its next batch while the server stores the one before
// (client.OutboxAfter).
func (s *Session) OutboxBatchAfter(ctx context.Context, after chart.ChangeID, limit, maxBytes int) ([]wire.Change, error) {
	if after == "" {
		return nil, fmt.Errorf("read outbox: no change to read after")
	}
	return s.outboxBatch(ctx, after, limit, maxBytes)
}

func (s *Session) outboxBatch(ctx context.Context, after chart.ChangeID, limit, maxBytes int) ([]wire.Change, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return nil, err
	}
	if limit < 1 || limit > wire.MaxChangesPerPush {
		return nil, fmt.Errorf("read outbox: limit %d must be 1-%d", limit, wire.MaxChangesPerPush)
	}
	if err := s.packAuditBatches(ctx); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	var out []wire.Change
	err := s.w.snapshot(ctx, func(q queryer) error {
		var from int64
		if after != "" {
			if err := q.QueryRowContext(ctx, `SELECT seq FROM changes WHERE change_id = ?`, after).Scan(&from); err != nil {
				return fmt.Errorf("change %s handed out before: %w", after, err)
			}
		}
		var err error
		out, err = readOutbox(ctx, q, from, limit, maxBytes)
		return err
	})
	for i := range out {
		if len(out[i].Auth) == 0 { // written before changes were tagged
			out[i].Auth = tagChange(s.key, &out[i])
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// readOutbox reads the oldest unacknowledged changes after seq from, at
// most limit and, past the first, no more than maxBytes of sealed content,
// in one pass that stops at the first change over the cap: that one is
// read and dropped, the changes after it are not read. Reading the sizes
// first (length() of changeSealed's coalesce, which loads each change's
// bytes from wherever they live) and then the batch looked every change
// up twice: a quarter of what reading an initial push's outbox cost
// (issue #12). The change dropped costs at most one change's bytes more
// (MaxSealedLen), not the backlog behind it (issue #16.3).
func readOutbox(ctx context.Context, q queryer, from int64, limit, maxBytes int) ([]wire.Change, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+changeWireColumns+` FROM changes WHERE acked_at IS NULL AND seq > ?
		ORDER BY seq LIMIT ?`, from, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wire.Change
	size := 0
	for rows.Next() {
		c, err := scanWireChange(rows)
		if err != nil {
			return nil, err
		}
		if size += len(c.Sealed); size > maxBytes && len(out) > 0 {
			clear(c.Sealed)
			return out, nil
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// wireChanges runs query (which selects wireColumns) and returns its rows
// as they travel.
func wireChanges(ctx context.Context, q queryer, query string, args ...any) ([]wire.Change, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wire.Change
	for rows.Next() {
		c, err := scanWireChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// wireColumns are the change-log columns a change travels with, in
// scanWireChange's order.
const wireColumns = `change_id, record_id, kind, patient_id, version, parents, hlc, device_id, user_id, sealed, auth`

func scanWireChange(rows interface{ Scan(...any) error }) (wire.Change, error) {
	var c wire.Change
	var parents string
	err := rows.Scan(&c.ChangeID, &c.RecordID, &c.Kind, &c.PatientID, &c.Version, &parents, &c.HLC,
		&c.DeviceID, &c.UserID, &c.Sealed, &c.Auth)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(parents), &c.Parents); err != nil {
		return c, fmt.Errorf("change %s: parents: %w", c.ChangeID, err)
	}
	if c.Parents == nil {
		c.Parents = []chart.ChangeID{}
	}
	return c, nil
}

// ackBatch is how many acknowledged changes one UPDATE marks.
const ackBatch = 500

// MarkAcked records that the server durably stored the acknowledged
// changes, so they leave the outbox. Only acked_at changes: the change log
// itself is append-only. A trigger deletes the change's tag, which waited
// beside its row in change_tags (migration 0022): receivers check the
// server's copy, and nothing here reads it again.
func (s *Session) MarkAcked(ctx context.Context, acks []wire.Ack) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return err
	}
	if len(acks) == 0 {
		return nil
	}
	err := s.w.write(ctx, func(t *tx) error {
		now := rowStamp(t.now)
		ids := make([]chart.ChangeID, len(acks))
		for i, a := range acks {
			ids[i] = a.ChangeID
		}
		// A batch of changes per statement: the change log has triggers, so
		// each one-change UPDATE opened a statement journal and copied every
		// page it touched into it (as one-row INSERTs did, sync_join_store.go)
		// — a fifth of the workstation's CPU of an initial push.
		for batch := range slices.Chunk(ids, ackBatch) {
			list, err := json.Marshal(batch)
			if err != nil {
				return fmt.Errorf("changes from %s: %w", batch[0], err)
			}
			if _, err := t.ExecContext(ctx, `UPDATE changes SET acked_at = ?
				WHERE change_id IN (SELECT value FROM json_each(?)) AND acked_at IS NULL`, now, string(list)); err != nil {
				return fmt.Errorf("changes from %s: %w", batch[0], err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark changes sent: %w", err)
	}
	return nil
}

// PullCursor returns the server seq after which the next pull starts (0
// before the first pull).
func (s *Session) PullCursor(ctx context.Context) (int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return 0, err
	}
	return readPullCursor(ctx, s.w.db)
}

func readPullCursor(ctx context.Context, q queryer) (int64, error) {
	var v []byte
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaPullCursor).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read pull cursor: %w", err)
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read pull cursor %q: %w", v, err)
	}
	return n, nil
}
