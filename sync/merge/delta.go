package merge

import (
	"slices"

	"outpost/chart"
)

// A delta pull mostly brings one new version of a record whose history is
// one line: an edit, or a retraction, made on the version every
// workstation holds (issue #12). Record opens and merges every version of
// it, though along one line of history nothing can conflict: each version
// writes what differs from the one before, so every field's one live write
// holds the last version's value. The merge of such a record is therefore
// its last version as written, unless a version before the last is signed
// (the earliest signing then supplies the content and a later edit is a
// conflict against it, which only the whole history shows). Chain tells,
// from the versions' ids and parents alone (no content opened), whether a
// record's history is one line and which version ends it; Delta merges it
// from that version. TestDeltaMergesAsTheDAGDoes checks the two against
// Record on random histories, lines and not.

// Link is a version's place in its record's history, without its content.
type Link struct {
	ChangeID chart.ChangeID
	Parents  []chart.ChangeID
}

// Chain returns the change ids of links in history order, root first, when
// they form one line: one version without parents, each other naming
// exactly the one before it, none named twice. ok is false for anything
// else (concurrent versions, a merge of heads, a missing parent, a change
// id repeated, a cycle), which needs the whole merge.
func Chain(links []Link) (line []chart.ChangeID, ok bool) {
	if len(links) == 0 {
		return nil, false
	}
	child := make(map[chart.ChangeID]chart.ChangeID, len(links))
	seen := make(map[chart.ChangeID]bool, len(links))
	var root chart.ChangeID
	roots := 0
	for _, l := range links {
		if seen[l.ChangeID] || l.ChangeID == "" {
			return nil, false // a repeat may differ in content: Record decides
		}
		seen[l.ChangeID] = true
		parents := slices.Compact(slices.Sorted(slices.Values(l.Parents)))
		switch len(parents) {
		case 0:
			root, roots = l.ChangeID, roots+1
		case 1:
			if _, taken := child[parents[0]]; taken {
				return nil, false // two versions on one parent: concurrent
			}
			child[parents[0]] = l.ChangeID
		default:
			return nil, false
		}
	}
	if roots != 1 {
		return nil, false
	}
	line = make([]chart.ChangeID, 0, len(links))
	for id, ok := root, true; ok; id, ok = child[id] {
		line = append(line, id)
	}
	// Fewer than every link: a parent is missing (or a cycle hangs apart).
	return line, len(line) == len(links)
}

// Delta is Record for a record whose versions form one line (Chain) ending
// in head, when no version before head is signed: the result is head as
// written (its heads: head alone). head's parents are not looked at.
func Delta(head Version) (Result, error) {
	head.Parents = nil
	return single(head)
}
