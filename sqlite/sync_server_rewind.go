package sqlite

// A practice server store brought back from a copy without a new
// incarnation (files copied back, a pg_restore, no `outpost-server
// reincarnate`) numbers new changes again from the copy's seqs. Once other
// workstations have pushed past this one's cursor, the cursor is no longer
// above the head, so NoteServer's check misses it. Each pull reply of a
// server with wire.FeatureSeqIDs names the change at its next seq, which is
// kept with the cursor (the pull mark), and the change at the request's
// after seq, which NotePulledAt compares with the mark: another change
// there means the server was rewound (docs/SYNC.md, "A restored practice
// server").

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"outpost/chart"
)

// metaPullMark is "SEQ CHANGEID": the change the server numbered SEQ when
// this workstation's pull cursor moved to SEQ, written in the transaction
// that moved it. A cursor moved without one (a join, an older server)
// leaves the mark behind it, where it is checked only by a pull after
// exactly that seq: on a server not rewound the seq still holds that
// change.
const metaPullMark = "sync_pull_mark"

// pullMark is the parsed metaPullMark (zero: none).
type pullMark struct {
	seq int64
	id  chart.ChangeID
}

func readPullMark(ctx context.Context, q queryer) (pullMark, error) {
	m, err := readMeta(ctx, q, metaPullMark)
	if err != nil {
		return pullMark{}, err
	}
	seq, id, ok := strings.Cut(m[metaPullMark], " ")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || id == "" {
		return pullMark{}, nil // none, or unreadable: nothing to check against
	}
	return pullMark{seq: n, id: chart.ChangeID(id)}, nil
}

// setPullMark keeps id as the change at seq, in t (the transaction that
// moves the cursor to seq).
func setPullMark(ctx context.Context, t *tx, seq int64, id chart.ChangeID) error {
	return setMeta(ctx, t, metaPullMark, []byte(strconv.FormatInt(seq, 10)+" "+string(id)))
}

// rewound reports whether a reply to a pull after seq after, saying the
// server holds afterID there, contradicts the mark. An empty afterID (a
// server without seq ids, or seq 0) tells nothing.
func (m pullMark) rewound(after int64, afterID chart.ChangeID) bool {
	return m.id != "" && afterID != "" && m.seq == after && afterID != m.id
}

// NotePulledAt hears, from a pull reply before it is applied, which change
// the server holds at the request's after seq. When that is not the change
// this workstation pulled there (its pull mark), the server was brought
// back from a copy without a new incarnation: it starts over with it as
// NoteServer does (pulls back to 0, own changes and audit batches queued
// again, audited), in one transaction, and returns what it did; otherwise
// nil. A lying server can only cost a full pull and sending again.
func (s *Session) NotePulledAt(ctx context.Context, after int64, afterID chart.ChangeID) (*chart.ServerResync, error) {
	rewound := func(m pullMark) bool { return m.rewound(after, afterID) }
	return resyncIf(ctx, s, readPullMark, rewound, func(t *tx, mark pullMark) (*chart.ServerResync, error) {
		if !rewound(mark) {
			return nil, nil
		}
		seen, err := readServerSeen(ctx, t)
		if err != nil {
			return nil, err
		}
		why := fmt.Sprintf("it holds another change at seq %d than the one pulled there: restored from a copy", after)
		return s.resyncWithServer(ctx, t, seen, false, why)
	})
}
