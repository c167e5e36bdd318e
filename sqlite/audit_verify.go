package sqlite

import (
	"bytes"
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"outpost/chart"
	"outpost/seal"
)

// verifyAudit re-walks this workstation's whole log and reports the first
// entry that was edited, reordered, removed or unsealed: the plain hash
// chain always, the keyed chain when key is given. It reads in one
// transaction so the rows and the head come from the same moment; ReadOnly
// makes it a deferred BEGIN, so under WAL a long walk does not hold the
// write lock and stall charting.
func verifyAudit(ctx context.Context, db *sql.DB, key *seal.Key) (chart.AuditVerification, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return chart.AuditVerification{}, fmt.Errorf("verify audit log: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	return verifyAuditIn(ctx, tx, key)
}

func verifyAuditIn(ctx context.Context, tx *sql.Tx, key *seal.Key) (chart.AuditVerification, error) {
	w := auditWalk{nextSeq: 1, prev: zeroHash, prevMAC: zeroMAC, chainFrom: 1}
	if key != nil {
		w.ck = newChainKey(key)
		defer w.ck.wipe()
	}
	head, headFound, err := w.readHead(ctx, tx)
	if err != nil {
		return chart.AuditVerification{}, err
	}
	if err := w.walkRows(ctx, tx); err != nil {
		return chart.AuditVerification{}, err
	}
	if w.bad == nil {
		w.checkHead(head, headFound)
	}
	if w.bad == nil && w.ck != nil {
		w.checkKeyedHead(head)
	}
	return w.result(), nil
}

// auditWalk is the state of one verification pass.
type auditWalk struct {
	entries int64
	nextSeq int64  // the seq the next row must have
	prev    []byte // the hash the next row must chain from
	bad     *chart.AuditBreak

	ck        chainKey // nil: the keyed chain is not checked
	chainFrom int64
	prevMAC   []byte // the mac the next sealed row must chain from
	lastKeyed int64  // the newest sealed row
	keyed     int64
	pending   int64
	unsealed  int64 // the first row waiting for a key
	late      lateEntries
}

func (w *auditWalk) fail(kind chart.AuditBreakKind, seq int64, format string, args ...any) {
	w.bad = &chart.AuditBreak{Kind: kind, Seq: seq, Problem: fmt.Sprintf(format, args...)}
}

func (w *auditWalk) result() chart.AuditVerification {
	v := chart.AuditVerification{OK: w.bad == nil, Entries: w.entries, Breaks: []chart.AuditBreak{},
		Keyed: w.keyed, SealedLate: w.late.count, Pending: w.pending}
	if w.bad != nil {
		v.FirstBadSeq, v.Problem = w.bad.Seq, w.bad.Problem
		v.Breaks = append(v.Breaks, *w.bad)
	}
	v.Checked = []string{w.summary()}
	if s := w.late.summary(); s != "" {
		v.Checked = append(v.Checked, s)
	}
	return v
}

// summary says what the walk checked on this workstation.
func (w *auditWalk) summary() string {
	what := "hash chain"
	if w.ck != nil {
		what = "hash chain and keyed chain"
	}
	state := "intact"
	if w.bad != nil {
		state = "broken at entry " + strconv.FormatInt(w.bad.Seq, 10)
	}
	s := fmt.Sprintf("This workstation's log: %s, %s %s", countOf(w.entries, "entry", "entries"), what, state)
	if w.ck == nil {
		return s + " (the keyed chain needs someone signed in)."
	}
	if w.pending > 0 {
		s += fmt.Sprintf("; %s while nobody was signed in still %s for the key",
			countOf(w.pending, "entry written", "entries written"), plural(w.pending, "waits", "wait"))
	}
	return s + "."
}

// readHead reads meta('audit_head') and where keying began.
func (w *auditWalk) readHead(ctx context.Context, tx *sql.Tx) ([]byte, bool, error) {
	var head, from []byte
	err := tx.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE key = ?), (SELECT value FROM meta WHERE key = ?)`,
		auditHeadKey, metaAuditChainFrom).Scan(&head, &from)
	if err != nil {
		return nil, false, fmt.Errorf("verify audit log: read head: %w", err)
	}
	if n, err := strconv.ParseInt(string(from), 10, 64); err == nil && n > 1 {
		w.chainFrom = n
	}
	return head, head != nil, nil
}

func (w *auditWalk) walkRows(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() && w.bad == nil {
		r, err := scanAuditRow(rows.Scan)
		if err != nil && !errors.Is(err, errAuditMalformed) {
			return fmt.Errorf("verify audit log: %w", err)
		}
		w.check(r, err == nil)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify audit log: %w", err)
	}
	return nil
}

// check compares one row against what the chains so far say it must be.
// The order matters for the message: a gap is a removal, a bad hash is an
// edit of this row, a good hash on a broken link means rows were moved or
// replaced, and good hashes with a bad mac mean the hashes were recomputed
// by someone without the key.
func (w *auditWalk) check(r auditRow, wellFormed bool) {
	switch {
	case !wellFormed && r.seq == 0:
		w.fail(chart.AuditBreakChanged, w.nextSeq, "Entry %d was changed after it was written.", w.nextSeq)
	case r.seq > w.nextSeq+1:
		w.fail(chart.AuditBreakRemoved, w.nextSeq, "Entries %d to %d were removed.", w.nextSeq, r.seq-1)
	case r.seq == w.nextSeq+1:
		w.fail(chart.AuditBreakRemoved, w.nextSeq, "Entry %d was removed.", w.nextSeq)
	case r.seq < w.nextSeq:
		w.fail(chart.AuditBreakMoved, r.seq, "Entry %d is out of place: the log must start at 1 and count up.", r.seq)
	case !wellFormed || !bytes.Equal(r.computeHash(), r.hash):
		w.fail(chart.AuditBreakChanged, r.seq, "Entry %d was changed after it was written.", r.seq)
	case !bytes.Equal(r.prevHash, w.prev):
		w.fail(chart.AuditBreakMoved, r.seq, "Entry %d does not follow entry %d: entries were moved or replaced.", r.seq, r.seq-1)
	default:
		if w.ck != nil {
			w.checkKeyed(r)
		}
		if w.bad == nil {
			w.entries++
			w.nextSeq++
			w.prev = r.hash
		}
	}
}

// checkKeyed checks r's place in the keyed chain. Entries waiting for a
// key may only follow every sealed one.
func (w *auditWalk) checkKeyed(r auditRow) {
	switch {
	case r.mac == nil:
		w.pending++
		if w.unsealed == 0 {
			w.unsealed = r.seq
		}
	case w.unsealed != 0:
		w.fail(chart.AuditBreakUnsealed, w.unsealed,
			"Entry %d lost its keyed seal, though entry %d after it has one: the seal was removed outside Outpost.", w.unsealed, r.seq)
	case !hmac.Equal(r.mac, w.ck.entryMAC(w.prevMAC, r.seq, r.hash, r.keyedAt)):
		w.fail(chart.AuditBreakChanged, r.seq,
			"Entry %d was changed after it was written: its hashes were recomputed to hide it, but its keyed seal does not match.", r.seq)
	case r.keyedAt != 0 && r.sealed && r.seq >= w.chainFrom:
		// Written with the key at hand, so it was sealed then; sealed again
		// later means its seal was stripped and the log re-sealed.
		w.fail(chart.AuditBreakUnsealed, r.seq,
			"Entry %d was written by someone signed in, yet sealed into the keyed chain only on %s: its seal had been removed, so the log may have been rewritten from entry %d on before then.",
			r.seq, time.Unix(0, r.keyedAt).Local().Format("2 Jan 2006 15:04"), r.seq)
	default:
		if r.keyedAt != 0 {
			w.late.add(r.seq, r.keyedAt)
		}
		w.keyed++
		w.prevMAC, w.lastKeyed = r.mac, r.seq
	}
}

// checkHead compares the end of the chain with the recorded head, which is
// the only way to notice that the newest entries were removed.
func (w *auditWalk) checkHead(v []byte, found bool) {
	last := w.nextSeq - 1
	if !found {
		if w.entries > 0 {
			w.fail(chart.AuditBreakRemoved, w.nextSeq, "The record of where the log ends is missing, so entries after %d may have been removed.", last)
		}
		return
	}
	head, ok := parseAuditHead(v)
	switch {
	case !ok:
		w.fail(chart.AuditBreakRemoved, w.nextSeq, "The record of where the log ends was changed, so entries after %d may have been removed.", last)
	case head.seq == last+1:
		w.fail(chart.AuditBreakRemoved, w.nextSeq, "Entry %d, the newest, was removed.", head.seq)
	case head.seq > last:
		w.fail(chart.AuditBreakRemoved, w.nextSeq, "Entries %d to %d, the newest, were removed.", w.nextSeq, head.seq)
	case head.seq < last:
		w.fail(chart.AuditBreakAdded, head.seq+1, "Entries after %d were added outside Outpost.", head.seq)
	case !bytes.Equal(head.hash, w.prev):
		w.fail(chart.AuditBreakChanged, last, "Entry %d was changed after it was written.", last)
	}
}

// checkKeyedHead compares the sealed entries with the keyed part of the
// head, whose tag only a holder of the key can make: a tail cut off with
// the plain head moved back to match is caught here.
func (w *auditWalk) checkKeyedHead(v []byte) {
	head, _ := parseAuditHead(v) // checkHead passed: it parses
	k := head.keyed
	if k == nil {
		if w.keyed > 0 {
			w.fail(chart.AuditBreakRemoved, w.lastKeyed+1,
				"The keyed record of where the log ends was removed, so entries after %d may have been removed.", w.lastKeyed)
		}
		return
	}
	switch {
	case !hmac.Equal(k.tag, w.ck.headTag(k.seq, k.mac, w.chainFrom)):
		w.fail(chart.AuditBreakChanged, k.seq, "The keyed record of where the log ends was changed outside Outpost.")
	case k.seq > w.lastKeyed && k.seq < w.nextSeq:
		w.fail(chart.AuditBreakUnsealed, w.lastKeyed+1,
			"Entries %d to %d lost their keyed seals: the seals were removed outside Outpost.", w.lastKeyed+1, k.seq)
	case k.seq > w.lastKeyed:
		w.fail(chart.AuditBreakRemoved, w.lastKeyed+1,
			"Entries %d to %d, the newest, were removed and the log's end moved back to hide it: the keyed record of where the log ends still names entry %d.",
			w.lastKeyed+1, k.seq, k.seq)
	case k.seq < w.lastKeyed:
		w.fail(chart.AuditBreakRemoved, k.seq+1,
			"The keyed record of where the log ends was moved back from entry %d to %d outside Outpost.", w.lastKeyed, k.seq)
	case !hmac.Equal(k.mac, w.prevMAC):
		w.fail(chart.AuditBreakChanged, k.seq, "Entry %d was changed after it was written.", k.seq)
	}
}

// lateEntries summarises the entries sealed after they were written, in
// runs of consecutive seqs sealed at one moment.
type lateEntries struct {
	count int64
	runs  []lateRun
}

type lateRun struct{ from, to, at int64 }

const maxLateRuns = 5

func (l *lateEntries) add(seq, at int64) {
	l.count++
	if n := len(l.runs); n > 0 && l.runs[n-1].to == seq-1 && l.runs[n-1].at == at {
		l.runs[n-1].to = seq
		return
	}
	l.runs = append(l.runs, lateRun{from: seq, to: seq, at: at})
}

// summary names the runs, the newest last, at most maxLateRuns of them.
func (l *lateEntries) summary() string {
	if l.count == 0 {
		return ""
	}
	runs := l.runs
	more := ""
	if len(runs) > maxLateRuns {
		more = fmt.Sprintf(" and %d earlier runs", len(runs)-maxLateRuns)
		runs = runs[len(runs)-maxLateRuns:]
	}
	s := fmt.Sprintf("%s sealed into the keyed chain after %s written "+
		"(before this version of Outpost, or while nobody was signed in), so until then only plain hashes protected %s:",
		countOf(l.count, "entry was", "entries were"), plural(l.count, "it was", "they were"), plural(l.count, "it", "them"))
	for i, r := range runs {
		if i > 0 {
			s += ";"
		}
		when := time.Unix(0, r.at).Local().Format("2 Jan 2006 15:04")
		if r.from == r.to {
			s += fmt.Sprintf(" entry %d on %s", r.from, when)
		} else {
			s += fmt.Sprintf(" entries %d–%d on %s", r.from, r.to, when)
		}
	}
	return s + more + "."
}

// countOf is "1 entry" or "2 entries".
func countOf(n int64, one, many string) string {
	return strconv.FormatInt(n, 10) + " " + plural(n, one, many)
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
