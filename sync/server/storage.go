package server

import (
	"context"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// Storage is what the protocol's handlers need of the server's store. Store
// implements it on SQLite (Open) and on PostgreSQL (OpenPostgres); the
// conformance suite (package storetest) holds both to the same behaviour.
type Storage interface {
	// Device returns an enrolled device (ErrUnknownDevice if none).
	Device(ctx context.Context, id string) (Device, error)
	// Enroll uses up a code and registers the device in the code's
	// practice, returning the practice's id.
	Enroll(ctx context.Context, req wire.EnrollRequest, now time.Time) (practiceID string, err error)
	// Push stores a device's changes, idempotently, with dense seqs of
	// its practice (*QuotaError past quota).
	Push(ctx context.Context, deviceID string, changes []wire.Change, now time.Time, quota int64) ([]wire.Ack, error)
	// PullFor pages the changes of the device's practice after a seq.
	PullFor(ctx context.Context, device string, req wire.PullRequest, maxBytes int) (wire.PullResponse, error)
	// ChangeIDsAt returns the ids of the device's practice's changes at
	// seqs (absent: no such seq), for wire.FeatureSeqIDs.
	ChangeIDsAt(ctx context.Context, device string, seqs ...int64) (map[int64]chart.ChangeID, error)
	// JoinHeads pages each record's heads (or named records' history) of
	// the device's practice as of one seq, for a joining workstation.
	JoinHeads(ctx context.Context, device string, req wire.JoinHeadsRequest, maxBytes int) (wire.PullResponse, error)
	// LatestAudit is the device's newest audit change (nil if none).
	LatestAudit(ctx context.Context, device string) (*wire.Change, error)
	// ServerID is the server's id, made once when the store is made.
	ServerID(ctx context.Context) (string, error)
	// NewLedger returns the request ledger that fits the store: a
	// MemoryLedger on SQLite (one process), a SharedLedger on PostgreSQL.
	NewLedger(ctx context.Context, start time.Time) (RequestLedger, error)
}

var _ Storage = (*Store)(nil)

// NewLedger implements Storage.
func (s *Store) NewLedger(ctx context.Context, start time.Time) (RequestLedger, error) {
	if s.d.serialWrites {
		return NewMemoryLedger(ctx, s, start)
	}
	return NewSharedLedger(ctx, s)
}

// ServerID implements Storage.
func (s *Store) ServerID(ctx context.Context) (string, error) {
	_, id, err := s.Identity(ctx)
	return id, err
}
