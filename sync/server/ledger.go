package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	gosync "sync"
	"time"

	"outpost/sync/wire"
)

// RequestLedger is the bookkeeping of signed requests: replay protection
// and when each device was last seen. MemoryLedger serves one server
// process (SQLite) without a durable write per request; SharedLedger keeps
// the nonces in PostgreSQL for several processes over one database.
type RequestLedger interface {
	// Admit accepts a verified request's nonce once. It refuses, with
	// ErrReplay, a nonce the device used within wire.ReplayWindow, and,
	// with ErrRestarted, a request that a server process before this one
	// may have accepted.
	Admit(ctx context.Context, deviceID, nonce string, signedAt, now time.Time) error
	// Seen notes an authenticated request of the device at t.
	Seen(deviceID string, t time.Time)
	// Flush saves what Seen gathered.
	Flush(ctx context.Context) error
	// Close saves what the next process needs; call it once no request
	// is in flight.
	Close(ctx context.Context) error
}

// MaxRememberedNonces bounds a MemoryLedger (about 40 MB at most): past
// it, requests are refused as busy until old nonces age out. It is reached
// only at a sustained 870 requests a second for ten minutes.
const MaxRememberedNonces = 1 << 19

// RestartMargin: after a crash, a MemoryLedger refuses requests signed
// less than this after its start; and it keeps durably, before answering,
// the nonces of requests signed more than this ahead of its clock.
const RestartMargin = 2 * time.Second

// ErrLedgerFull is returned by Admit when MaxRememberedNonces are held.
var ErrLedgerFull = errors.New("too many recent requests to remember")

// Ledger states in meta: a ledger that finds "running" follows a crash.
const (
	ledgerStateKey = "ledger_state"
	ledgerRunning  = "running"
	ledgerStopped  = "stopped"
)

// MemoryLedger keeps nonces in memory for one process and batches last-seen
// times into one store write per Flush. A restart forgets the nonces but
// reopens no replay, because the new process refuses every request signed
// before it started, and of those signed later:
//   - after a clean stop, Close kept the nonces stamped at or after the
//     stop (a workstation clock running ahead), and the new process loads
//     them;
//   - after a crash, the new process also refuses requests signed less
//     than RestartMargin after its start, and a request stamped more than
//     that ahead of the clock had its nonce kept before it was answered.
//
// Workstations re-sign every retry, so a refused request costs one retry.
type MemoryLedger struct {
	store    *Store
	notUntil time.Time // requests signed before this are refused

	mu gosync.Mutex
	// Two generations of nonces (value: the request's timestamp, unix
	// ms): an entry lives at least one window (wire.ReplayWindow) and at
	// most two, with O(1) expiry.
	cur, prev map[nonceKey]int64
	curSince  time.Time
	lastSeen
}

// nonceKey is a hash of the device id and the nonce: a fixed 16 bytes per
// remembered request (a collision needs about 2^64 of them).
type nonceKey [16]byte

func keyOf(deviceID, nonce string) nonceKey {
	sum := sha256.Sum256([]byte(deviceID + "\n" + nonce))
	return nonceKey(sum[:16])
}

// NewMemoryLedger makes the ledger of a process started at start: it loads
// the nonces a previous process kept and marks the store as served.
func NewMemoryLedger(ctx context.Context, store *Store, start time.Time) (*MemoryLedger, error) {
	l := &MemoryLedger{store: store, notUntil: start, curSince: start,
		cur: map[nonceKey]int64{}, prev: map[nonceKey]int64{}, lastSeen: newLastSeen(store)}
	prevState, err := store.swapMeta(ctx, ledgerStateKey, ledgerRunning)
	if err != nil {
		return nil, fmt.Errorf("start request ledger: %w", err)
	}
	if prevState == ledgerRunning {
		l.notUntil = start.Add(RestartMargin)
	}
	kept, err := store.aheadNonces(ctx, start)
	if err != nil {
		return nil, err
	}
	for k, at := range kept {
		l.cur[k] = at
	}
	return l, nil
}

// Admit implements RequestLedger.
func (l *MemoryLedger) Admit(ctx context.Context, deviceID, nonce string, signedAt, now time.Time) error {
	if signedAt.Before(l.notUntil) {
		return ErrRestarted
	}
	k := keyOf(deviceID, nonce)
	if err := l.remember(k, signedAt, now); err != nil {
		return err
	}
	if signedAt.After(now.Add(RestartMargin)) {
		return l.store.keepNonces(ctx, map[nonceKey]int64{k: signedAt.UnixMilli()}, now)
	}
	return nil
}

func (l *MemoryLedger) remember(k nonceKey, signedAt, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.curSince) >= wire.ReplayWindow {
		l.prev, l.cur, l.curSince = l.cur, make(map[nonceKey]int64, len(l.cur)), now
	}
	if _, ok := l.cur[k]; ok {
		return ErrReplay
	}
	if _, ok := l.prev[k]; ok {
		return ErrReplay
	}
	if len(l.cur)+len(l.prev) >= MaxRememberedNonces {
		return ErrLedgerFull
	}
	l.cur[k] = signedAt.UnixMilli()
	return nil
}

// Close implements RequestLedger: it flushes, keeps the nonces of requests
// stamped at or after now, and marks the store as cleanly stopped.
func (l *MemoryLedger) Close(ctx context.Context) error {
	if err := l.Flush(ctx); err != nil {
		return err
	}
	now := time.Now()
	ahead := map[nonceKey]int64{}
	l.mu.Lock()
	for _, gen := range []map[nonceKey]int64{l.prev, l.cur} {
		for k, at := range gen {
			if at >= now.UnixMilli() {
				ahead[k] = at
			}
		}
	}
	l.mu.Unlock()
	if err := l.store.keepNonces(ctx, ahead, now); err != nil {
		return err
	}
	if _, err := l.store.swapMeta(ctx, ledgerStateKey, ledgerStopped); err != nil {
		return fmt.Errorf("stop request ledger: %w", err)
	}
	return nil
}

// lastSeen gathers when each device was last seen, for one store write
// per Flush. Both ledgers use it.
type lastSeen struct {
	store *Store
	mu    gosync.Mutex
	seen  map[string]time.Time
}

func newLastSeen(store *Store) lastSeen {
	return lastSeen{store: store, seen: map[string]time.Time{}}
}

// Seen implements RequestLedger.
func (l *lastSeen) Seen(deviceID string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.seen[deviceID]) {
		l.seen[deviceID] = t
	}
}

// Flush implements RequestLedger. Times that fail to save are kept for the
// next flush.
func (l *lastSeen) Flush(ctx context.Context) error {
	l.mu.Lock()
	batch := l.seen
	l.seen = map[string]time.Time{}
	l.mu.Unlock()
	if err := l.store.SaveLastSeen(ctx, batch); err != nil {
		for id, t := range batch {
			l.Seen(id, t)
		}
		return fmt.Errorf("flush last-seen times: %w", err)
	}
	return nil
}

// keepNonces stores nonces (key: the request's timestamp, unix ms) until
// their timestamps are out of the clock-skew window, forgetting expired
// ones.
func (s *Store) keepNonces(ctx context.Context, nonces map[nonceKey]int64, now time.Time) error {
	return s.inTx(ctx, func(tx txn) error {
		if _, err := tx.exec(ctx, `DELETE FROM ahead_nonces WHERE expires_at < ?`, now.UnixMilli()); err != nil {
			return fmt.Errorf("expire nonces: %w", err)
		}
		for k, at := range nonces {
			_, err := tx.exec(ctx, `INSERT INTO ahead_nonces (nonce_key, signed_at, expires_at) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, k[:], at, at+wire.MaxClockSkew.Milliseconds())
			if err != nil {
				return fmt.Errorf("keep nonce: %w", err)
			}
		}
		return nil
	})
}

// aheadNonces returns the kept nonces not expired at now.
func (s *Store) aheadNonces(ctx context.Context, now time.Time) (map[nonceKey]int64, error) {
	rows, err := s.query(ctx, `SELECT nonce_key, signed_at FROM ahead_nonces WHERE expires_at >= ?`, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("load kept nonces: %w", err)
	}
	defer rows.Close()
	out := map[nonceKey]int64{}
	for rows.Next() {
		var key []byte
		var at int64
		if err := rows.Scan(&key, &at); err != nil {
			return nil, fmt.Errorf("load kept nonces: %w", err)
		}
		out[nonceKey(key)] = at
	}
	return out, rows.Err()
}

// swapMeta sets a meta value and returns the previous one ("" if none).
func (s *Store) swapMeta(ctx context.Context, key, value string) (string, error) {
	var prev string
	err := s.inTx(ctx, func(tx txn) error {
		err := tx.queryRow(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&prev)
		if err != nil && !isNoRows(err) {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
	return prev, err
}
