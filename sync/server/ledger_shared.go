package server

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"outpost/sync/wire"
)

// SharedLedger keeps every nonce of the replay window in the store, so
// that several server processes on one PostgreSQL refuse a request replayed
// at any of them, and a restart forgets nothing (no request is refused as
// "restarted"). Each authenticated request costs one small insert.
// Last-seen times are batched per process, as in MemoryLedger.
type SharedLedger struct {
	lastSeen
	admitted atomic.Int64
	// notUntil: requests signed before this are refused as restarted
	// (set when the store was copied from another, whose nonces stayed
	// behind).
	notUntil time.Time
}

// expireEvery: every so many admitted requests, one process's insert also
// clears expired nonces.
const expireEvery = 1024

// NewSharedLedger returns a ledger over store's nonces table (PostgreSQL).
func NewSharedLedger(ctx context.Context, store *Store) (*SharedLedger, error) {
	var notBefore string
	err := store.queryRow(ctx, `SELECT coalesce((SELECT value FROM meta WHERE key = ?), '')`, ledgerNotBeforeKey).Scan(&notBefore)
	if err != nil {
		return nil, fmt.Errorf("start request ledger: %w", err)
	}
	l := &SharedLedger{lastSeen: newLastSeen(store)}
	if notBefore != "" {
		l.notUntil, _ = time.Parse(timeLayout, notBefore)
	}
	return l, nil
}

// Admit implements RequestLedger. A nonce is kept until its request's
// timestamp is outside the accepted clock skew (and the window): past
// that, Verify refuses a replay of it anyway.
func (l *SharedLedger) Admit(ctx context.Context, deviceID, nonce string, signedAt, now time.Time) error {
	if signedAt.Before(l.notUntil) {
		return ErrRestarted
	}
	k := keyOf(deviceID, nonce)
	expires := signedAt.Add(wire.ReplayWindow).UnixMilli()
	if l.admitted.Add(1)%expireEvery == 0 {
		if _, err := l.store.exec(ctx, `DELETE FROM nonces WHERE expires_at < ?`, now.UnixMilli()); err != nil {
			return fmt.Errorf("expire nonces: %w", err)
		}
	}
	res, err := l.store.exec(ctx, `INSERT INTO nonces (nonce_key, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, k[:], expires)
	if err != nil {
		return fmt.Errorf("remember nonce: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrReplay
	}
	return nil
}

// Close implements RequestLedger: the nonces are already shared.
func (l *SharedLedger) Close(ctx context.Context) error { return l.Flush(ctx) }
