package sqlite

// A practice server restored from a backup (docs/SYNC.md, "A restored
// practice server"): it has forgotten the changes it took after the backup
// and numbers new changes from the backup's seqs again. Each pull reply
// says the server store's incarnation (renewed by every restore) and its
// head seq; NoteServer compares them with what this workstation last saw
// and, when the server was restored, starts over with it.

import (
	"context"
	"fmt"
	"strconv"

	"outpost/chart"
)

// metaServerIncarnation is the practice server's store incarnation as
// this workstation last saw it in a pull reply.
const metaServerIncarnation = "sync_server_incarnation"

// NoteServer compares what a pull reply said of the practice server (its
// store's incarnation, "" from a server too old to say, and its head seq)
// with what this workstation last saw. The first incarnation seen is only
// remembered. A different one, or a cursor (the pull's or a route
// backfill's) past the head, means the server was brought back from a
// copy: in one transaction the pull cursor and the backfills go back to 0
// (pulled changes are stored once by change id, so pulling again only
// fills what is missing), every own change whose bytes this workstation
// holds, or can pack again (an audit batch, audit_sync_repack.go), is
// queued to be sent again (the server keeps one copy per change
// id and acknowledges one it still has with its seq; the outbox tags each
// anew, the tag having been dropped at the acknowledgement), the
// incarnation is remembered and the resync audited. It returns nil when
// nothing was reset. A server reporting neither incarnation nor head
// (head 0: before heads existed) tells nothing and changes nothing.
func (s *Session) NoteServer(ctx context.Context, incarnation string, head int64) (*chart.ServerResync, error) {
	told := incarnation != "" || head != 0 // a server too old to say tells nothing
	return resyncIf(ctx, s, readServerSeen, func(seen serverSeen) bool { return told && seen.differs(incarnation, head) },
		func(t *tx, seen serverSeen) (out *chart.ServerResync, err error) {
			if seen.resets(incarnation, head) {
				restored := seen.incarnation != "" && incarnation != seen.incarnation
				why := "its store was restored from a backup (new incarnation)"
				if !restored {
					why = "its latest change (seq " + strconv.FormatInt(seen.cursor, 10) + " seen here) is gone: restored from a copy"
				}
				if out, err = s.resyncWithServer(ctx, t, seen, restored, why); err != nil {
					return nil, err
				}
			}
			return out, setMeta(ctx, t, metaServerIncarnation, []byte(incarnation))
		})
}

// resyncIf is the shape of NoteServer and NotePulledAt: it reads what this
// workstation saw of the server in a snapshot and, only when stale says
// the server no longer matches it, opens a write, reads it again there
// (another sync may have moved it meanwhile) and lets act start over. A
// pull that finds nothing changed writes nothing.
func resyncIf[T any](ctx context.Context, s *Session, read func(context.Context, queryer) (T, error),
	stale func(T) bool, act func(*tx, T) (*chart.ServerResync, error)) (*chart.ServerResync, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return nil, err
	}
	var seen T
	if err := s.w.snapshot(ctx, func(q queryer) (err error) { seen, err = read(ctx, q); return err }); err != nil {
		return nil, fmt.Errorf("compare with the practice server: %w", err)
	}
	if !stale(seen) {
		return nil, nil
	}
	var out *chart.ServerResync
	err := s.w.write(ctx, func(t *tx) error {
		seen, err := read(ctx, t)
		if err == nil {
			out, err = act(t, seen)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("start over with the restored practice server: %w", err)
	}
	return out, nil
}

// serverSeen is what this workstation last saw of the server: the
// incarnation ("" never) and how far its pulls went.
type serverSeen struct {
	incarnation string
	cursor      int64 // the largest of the pull cursor and the backfills'
}

func readServerSeen(ctx context.Context, q queryer) (serverSeen, error) {
	var seen serverSeen
	m, err := readMeta(ctx, q, metaServerIncarnation)
	if err != nil {
		return seen, err
	}
	seen.incarnation = m[metaServerIncarnation]
	if seen.cursor, err = readPullCursor(ctx, q); err != nil {
		return seen, err
	}
	var backfill int64
	err = q.QueryRowContext(ctx, `SELECT coalesce(max(backfill_after), 0) FROM sync_scope_patients
		WHERE NOT backfilled AND NOT leaving`).Scan(&backfill)
	if err != nil {
		return seen, fmt.Errorf("read backfill cursors: %w", err)
	}
	seen.cursor = max(seen.cursor, backfill)
	return seen, nil
}

// differs reports whether the reply says anything to record or act on.
func (seen serverSeen) differs(incarnation string, head int64) bool {
	return incarnation != seen.incarnation || seen.resets(incarnation, head)
}

// resets reports whether the server was brought back from a copy: a new
// incarnation after one was seen, or a head below what was pulled.
func (seen serverSeen) resets(incarnation string, head int64) bool {
	switch {
	case incarnation != "" && seen.incarnation != "" && incarnation != seen.incarnation:
		return true
	case incarnation == "" && head == 0: // a server too old to say
		return false
	}
	return seen.cursor > head
}

// resyncWithServer moves the pulls back to 0 and queues this
// workstation's own changes again, in t, and audits it, saying why. The
// pull mark goes too: its change is not the server's any more.
func (s *Session) resyncWithServer(ctx context.Context, t *tx, seen serverSeen, restored bool, why string) (*chart.ServerResync, error) {
	if err := setMeta(ctx, t, metaPullCursor, []byte("0")); err != nil {
		return nil, err
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaPullMark); err != nil {
		return nil, fmt.Errorf("forget the pull mark: %w", err)
	}
	if _, err := t.ExecContext(ctx, `UPDATE sync_scope_patients SET backfill_after = 0`); err != nil {
		return nil, fmt.Errorf("restart backfills: %w", err)
	}
	// An acknowledged audit batch let go of its bytes (0019): it is
	// packed again from the audit log before the outbox is read; one
	// packed by an earlier build cannot be (docs/SYNC.md, Known limits).
	batches, err := s.requeuePackedAuditBatches(ctx, t)
	if err != nil {
		return nil, err
	}
	res, err := t.ExecContext(ctx, `UPDATE changes SET acked_at = NULL
		WHERE device_id = ? AND acked_at IS NOT NULL AND length(`+changeSealed("changes")+`) > 0`, s.deviceID)
	if err != nil {
		return nil, fmt.Errorf("queue own changes again: %w", err)
	}
	n, _ := res.RowsAffected()
	n += int64(batches)
	out := &chart.ServerResync{Restored: restored, Cursor: seen.cursor, Requeued: int(n)}
	err = s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate, Detail: fmt.Sprintf(
		"sync: the practice server was brought back from a copy (%s); receiving everything again from seq 0 (was %d) and sending this workstation's %d changes again, %d of them audit batches to pack again from the audit log",
		why, seen.cursor, n, batches)})
	return out, err
}
