package server

import (
	"context"

	"outpost/sync/wire"
)

// joinHeads answers POST /v1/join-heads (Store.JoinHeads): a new
// workstation's join without replaying the practice's history.
func (s *Server) joinHeads(ctx context.Context, dev Device, decode func(wire.Validator) error) (any, error) {
	var req wire.JoinHeadsRequest
	if err := decode(&req); err != nil {
		return nil, err
	}
	resp, err := s.store.JoinHeads(ctx, dev.ID, req, s.MaxPullBytes)
	if err != nil {
		return nil, err
	}
	return &resp, nil
}
