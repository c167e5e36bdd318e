package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

	"outpost/chart"
	"outpost/sync/merge"
)

// The delta merge (issue #12: a delta pull opens and merges only what
// changed). A pulled edit of a record whose history is one line (each
// version an edit of the one before: what a day's amendments and
// retractions are) merges as that edit exactly as written: nothing can
// conflict along a line (merge.Chain, merge.Delta). planKind used to open
// every version of the record anyway, the oldest included; a record edited
// fifty times cost fifty openings for one new version. planKindDelta
// reads the versions' ids and parents (no content), and when they are a
// line it opens only the versions after the record's current row, the new
// ones: the versions up to the row's head were opened and checked when
// they were merged (or written here), and a change held back since has
// left the change log. Anything else (concurrent heads, a merge of them, a
// missing parent, a row locked by a signing, a kind that can be signed
// with more than one version, a version it opens that is signed before the
// last) takes the whole merge, which keeps every conflict as before.

// deltaMerge turns the delta merge on; tests turn it off to compare what
// the whole merge writes.
var deltaMerge = true

// versionsOpened counts the versions the merges opened, for the test that
// a delta pull opens only what changed (TestDeltaPullOpensOnlyTheNewVersions).
var versionsOpened atomic.Int64

// planKindDelta is planKind for a record whose history is one line. ok is
// false, with nothing opened, when the record needs the whole merge.
func (s *Session) planKindDelta(ctx context.Context, t *tx, kind, id string, km kindMerger) (h kindHead, ok bool, err error) {
	raws, err := t.versionsOf(ctx, kind, id)
	if err != nil {
		return kindHead{}, false, fmt.Errorf("load versions of %s %s: %w", kind, id, err)
	}
	if len(raws) < 2 {
		return kindHead{}, false, nil // one version is already the single merge
	}
	if km.signable {
		return kindHead{}, false, nil // an older version may be signed: only the whole history says
	}
	links := make([]merge.Link, len(raws))
	byID := make(map[chart.ChangeID]rawVersion, len(raws))
	for i, raw := range raws {
		links[i].ChangeID = chart.ChangeID(raw.cid)
		if json.Unmarshal([]byte(raw.parents), &links[i].Parents) != nil {
			return kindHead{}, false, nil // the whole merge reports it
		}
		byID[links[i].ChangeID] = raw
	}
	line, isLine := merge.Chain(links)
	if !isLine {
		return kindHead{}, false, nil
	}
	locked, current, err := t.currentOf(ctx, kind, id)
	if err != nil {
		return kindHead{}, false, fmt.Errorf("load %s %s: %w", kind, id, err)
	}
	if locked {
		return kindHead{}, false, nil // setKindHead compares with the signed version
	}
	versions, ok, err := s.openAfter(kind, id, km, line, byID, current)
	if !ok || err != nil {
		return kindHead{}, false, err
	}
	last := versions[line[len(line)-1]]
	res, err := merge.Delta(last.merge)
	if err != nil {
		return kindHead{}, false, wrapMerge(kind, id, err)
	}
	row := last.stored
	row.fastForward = true
	built, err := km.build(s.key, res.Fields, row)
	if err != nil {
		return kindHead{}, false, fmt.Errorf("merge %s %s: %w", kind, id, err)
	}
	built.sealed = row.sealed // a fast-forward: the version exactly as it was written
	return kindHead{ready: true, row: row, built: built, versions: versions, fields: res.Fields,
		conflicts: res.Conflicts}, true, nil
}

// openAfter opens the versions of line after current (the record's row's
// head; all of them when the row is not on the line) and the last one in
// any case. ok is false when one of them, before the last, is signed.
func (s *Session) openAfter(kind, id string, km kindMerger, line []chart.ChangeID, byID map[chart.ChangeID]rawVersion,
	current chart.ChangeID) (map[chart.ChangeID]kindVersion, bool, error) {
	from := 0
	for i, cid := range line {
		if cid == current {
			from = i + 1
		}
	}
	from = min(from, len(line)-1)
	versions := make(map[chart.ChangeID]kindVersion, len(line)-from)
	for i, cid := range line[from:] {
		v, err := s.openKindVersion(kind, id, km, byID[cid])
		if err != nil {
			return nil, false, err
		}
		if from+i < len(line)-1 && v.merge.Signed() {
			return nil, false, nil
		}
		versions[cid] = v
	}
	return versions, true, nil
}
