package sqlite

import (
	"encoding/json"
	"fmt"
	"sync/atomic"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/merge"
)

// The delta merge (issue #12: a delta pull opens and merges only what
// changed). A pulled version of a record whose history is one line (a new
// record; an edit or retraction of the version every workstation holds:
// what a day's pull brings) merges as that version exactly as written:
// nothing can conflict along a line (merge.Chain, merge.Delta). planKind
// used to open every version of the record anyway, the oldest included, a
// record edited fifty times costing fifty openings for one new version, and
// then split each into fields, merged them and decoded the result back into
// the record it had just opened. planKindDelta reads the versions' ids and
// parents (no content), and when they are a line it opens only the
// versions after the record's current row: the versions up to the row's
// head were opened and checked when they were merged (or written here),
// and a change held back since has left the change log. The last version
// becomes the row straight from the record as opened (kindMerger's
// fastForward: the same checks, the same derived columns). Anything else
// (concurrent heads, a merge of them, a missing parent, a row locked by a
// signing, a signable kind with more than one version, a version before
// the last that is signed) takes the whole merge, which keeps every
// conflict as before. TestDeltaMergeWritesTheSameChart compares the two.

// deltaMerge turns the delta merge on; tests turn it off to compare what
// the whole merge writes.
var deltaMerge = true

// versionsOpened counts the versions the merges opened, for the test that
// a delta pull opens only what changed (TestDeltaPullOpensOnlyTheNewVersions).
var versionsOpened atomic.Int64

// planKindDelta is planKind for a record whose history is one line. ok is
// false, with nothing opened, when the record needs the whole merge.
func (s *Session) planKindDelta(kind, id string, km kindMerger, raws []rawVersion,
	currentOf func() (bool, chart.ChangeID, error)) (h kindHead, ok bool, err error) {
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
	if !isLine || km.signable && len(line) > 1 {
		return kindHead{}, false, nil // an older version may be signed: only the whole history says
	}
	last := byID[line[len(line)-1]]
	if _, err := clock.ParseTimestamp(last.stamp); err != nil {
		return kindHead{}, false, nil // the whole merge reports it
	}
	locked, current, err := currentOf()
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
	row := storedVersion{kind: kind, id: id, patientID: last.patient, version: last.version,
		cid: chart.ChangeID(last.cid), sealed: last.sealed, fastForward: true}
	built, fields, err := s.buildLast(km, row, last)
	if err != nil {
		return kindHead{}, false, err
	}
	return kindHead{ready: true, row: row, built: built, versions: versions, fields: fields}, true, nil
}

// buildLast opens the last version of a line and builds the record's row
// from it as written (merge.Delta), through the kind's fastForward when it
// has one. fields are the merged record's, nil from a fastForward (only a
// locked row needs them, and a locked row takes the whole merge).
func (s *Session) buildLast(km kindMerger, row storedVersion, raw rawVersion) (builtRow, map[string]json.RawMessage, error) {
	if km.fastForward != nil {
		versionsOpened.Add(1)
		built, err := km.fastForward(s.key, row)
		return built, nil, err
	}
	v, err := s.openKindVersion(row.kind, row.id, km, raw)
	if err != nil {
		return builtRow{}, nil, err
	}
	res, err := merge.Delta(v.merge)
	if err != nil {
		return builtRow{}, nil, wrapMerge(row.kind, row.id, err)
	}
	built, err := km.build(s.key, res.Fields, row)
	if err != nil {
		return builtRow{}, nil, fmt.Errorf("merge %s %s: %w", row.kind, row.id, err)
	}
	built.sealed = row.sealed // a fast-forward: the version exactly as it was written
	return built, res.Fields, nil
}

// openAfter opens the versions of line after current (the record's row's
// head; all of them when the row is not on the line), the last one left
// to buildLast: these were never merged here, and a version that does not
// open must fail the merge as it always did. ok is false when one of them
// is signed.
func (s *Session) openAfter(kind, id string, km kindMerger, line []chart.ChangeID, byID map[chart.ChangeID]rawVersion,
	current chart.ChangeID) (map[chart.ChangeID]kindVersion, bool, error) {
	from := 0
	for i, cid := range line {
		if cid == current {
			from = i + 1
		}
	}
	versions := map[chart.ChangeID]kindVersion{}
	for _, cid := range line[min(from, len(line)-1) : len(line)-1] {
		v, err := s.openKindVersion(kind, id, km, byID[cid])
		if err != nil {
			return nil, false, err
		}
		if v.merge.Signed() {
			return nil, false, nil
		}
		versions[cid] = v
	}
	return versions, true, nil
}
