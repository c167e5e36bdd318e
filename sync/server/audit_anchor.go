package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"outpost/sync/wire"
)

// auditAnchor answers POST /v1/audit-anchor: the newest audit change the
// requesting device pushed, relayed as stored. The server cannot read it;
// the workstation opens it and compares it with its own log.
func (s *Server) auditAnchor(ctx context.Context, dev Device, decode func(wire.Validator) error) (any, error) {
	var req wire.AuditAnchorRequest
	if err := decode(&req); err != nil {
		return nil, err
	}
	c, err := s.store.LatestAudit(ctx, dev.ID)
	if err != nil {
		return nil, err
	}
	return &wire.AuditAnchorResponse{Change: c}, nil
}

// LatestAudit returns the audit change device pushed last (the highest
// seq), or nil when it pushed none.
func (s *Store) LatestAudit(ctx context.Context, device string) (*wire.Change, error) {
	rows, err := s.query(ctx, `SELECT seq, change_id, record_id, kind, patient_id, version, parents, hlc,
		device_id, user_id, sealed, auth FROM changes WHERE device_id = ? AND kind IN (?, ?) ORDER BY seq DESC LIMIT 1`,
		device, wire.KindAudit, wire.KindAuditBatch)
	if err != nil {
		return nil, fmt.Errorf("read audit anchor: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("read audit anchor: %w", err)
		}
		return nil, nil
	}
	_, c, err := scanChange(rows)
	if err != nil {
		return nil, fmt.Errorf("read audit anchor: %w", err)
	}
	return &c, nil
}
