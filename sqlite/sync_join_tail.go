package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"slices"
	gosync "sync"

	"outpost/sync/wire"
)

// A join from heads ends with two questions about everything it stored:
// which records have several heads (RecordsWithSeveralHeads: their
// histories are fetched), and which changes name a parent it does not
// hold (markBases). Asked of the change log, each was a scan of all of it
// (a GROUP BY over the record index, every change's parents) after the
// last page, with the server idle: 0.05–0.08 s of a 2,000-patient join
// even when no record has two heads (docs/benchmarks.md, "S2: the join's
// pages leave their checkpoint, its tail scans nothing"). So each page,
// as it is stored, tells a joinTail what it added, and the tail asks the
// change log only about those: records whose id was stored before
// (checked by the change log, so a hash that collides only costs a
// lookup), and changes that have parents.
//
// The workstation still finds every record with several heads itself,
// whatever the server says: a record's second change stored finds its
// first one's id noted. That holds only if every change of the log went
// through the notes, so a joinTail is begun on an empty change log
// (BeginJoinHeads), and is trusted only while the log's last seq is the
// last it noted; otherwise (a join resumed after a restart, a write the
// notes never saw) the tail scans the log as before.

// joinTail is what a join's pages stored, noted as their transactions
// commit.
type joinTail struct {
	mu       gosync.Mutex
	seed     maphash.Seed
	seen     map[uint64]struct{} // the hashes of the record ids stored
	twice    map[string]struct{} // records stored again: several heads, or a hash collision
	parented []string            // the changes stored with parents
	lastSeq  int64               // the change log's last seq after the last page noted
}

func newJoinTail() *joinTail {
	return &joinTail{seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}, twice: map[string]struct{}{}}
}

// note records the changes a page added; lastSeq is the change log's last
// seq after them.
func (j *joinTail) note(added []*wire.Change, lastSeq int64) {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range added {
		h := maphash.String(j.seed, c.RecordID)
		if _, ok := j.seen[h]; ok {
			j.twice[c.RecordID] = struct{}{}
		}
		j.seen[h] = struct{}{}
		if len(c.Parents) > 0 {
			j.parented = append(j.parented, string(c.ChangeID))
		}
	}
	j.lastSeq = lastSeq
}

// current says whether the notes cover the whole change log: its last
// seq is the last one noted (seq only grows: AUTOINCREMENT).
func (j *joinTail) current(ctx context.Context, q queryer) (bool, error) {
	if j == nil {
		return false, nil
	}
	var last int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes`).Scan(&last); err != nil {
		return false, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return last == j.lastSeq, nil
}

// candidates are the records stored more than once after record id
// after, in id order.
func (j *joinTail) candidates(after string) []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for id := range j.twice {
		if id > after {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// withParents is the changes stored with parents, as a JSON array.
func (j *joinTail) withParents() (string, int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	b, err := json.Marshal(j.parented)
	return string(b), len(j.parented), err
}

// beginJoinTail starts noting a join's pages when the change log is
// empty; otherwise the tail scans the log.
func (w *Workstation) beginJoinTail(ctx context.Context, t *tx) error {
	var held bool
	if err := t.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM changes)`).Scan(&held); err != nil {
		return fmt.Errorf("start the join: %w", err)
	}
	if held {
		w.joinTail.Store(nil)
		return nil
	}
	w.joinTail.Store(newJoinTail())
	return nil
}

// severalHeadsAmong lists, in id order and at most limit, the records of
// ids (sorted) that the change log holds more than one change of, one of
// them at least with parents. A record whose changes all have none (two
// credentials written afresh, say: a practice server holds a few) has no
// history beyond them: fetching it asked the server for what is held, a
// round trip on the way to the chart.
func severalHeadsAmong(ctx context.Context, q queryer, ids []string, limit int) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	return queryStrings(ctx, q, `SELECT record_id FROM changes WHERE record_id IN (SELECT value FROM json_each(?))
		GROUP BY record_id HAVING count(*) > 1 AND max(parents != '[]') ORDER BY record_id LIMIT ?`, string(list), limit)
}
