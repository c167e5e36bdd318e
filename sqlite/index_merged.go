package sqlite

import (
	"maps"

	"outpost/chart"
)

// The first sign-in after a join merges every patient of the practice,
// then builds the sign-in index, which (no index snapshot yet) read every
// patient row again and opened it: 2,000 records decrypted, inflated and
// decoded a second time (docs/benchmarks.md, "S2 join: no RETURNING, no
// statement journal, the index from the merge"). Each patient the merge
// writes as one version's own bytes is kept instead as an index snapshot
// entry (mergedIndex) and handed to the index build, which takes it as it
// takes the stored snapshot's: only while the record's row still holds
// those bytes at that version (sealStamp), so the index is the same as
// from opening every record, and whatever does not match is opened. A
// merged patient (several heads, resealed) is left to be opened.

// mergedIndex collects, in one write transaction, the index entries of the
// patient rows it writes (nil: not collected).
type mergedIndex map[chart.PatientID]*snapEntry

// note records the entry of patient p, written as sealed under head; own
// says sealed is one version's bytes as received, p decoded from them.
func (m mergedIndex) note(p *chart.Patient, head chart.ChangeID, sealed []byte, own bool) {
	if m == nil {
		return
	}
	if !own {
		delete(m, p.ID) // rewritten resealed: opened at the build
		return
	}
	m[p.ID] = &snapEntry{version: p.Version, head: sealStamp(head, sealed), patient: indexedPart(p)}
}

// withMerged is the stored snapshot snap with the merged entries over it;
// stale says the stored snapshot is to be written again (it lacks them).
func withMerged(snap map[chart.PatientID]*snapEntry, stale bool, merged mergedIndex) (map[chart.PatientID]*snapEntry, bool) {
	if len(merged) == 0 {
		return snap, stale
	}
	out := make(map[chart.PatientID]*snapEntry, len(snap)+len(merged))
	maps.Copy(out, snap)
	maps.Copy(out, merged)
	return out, true
}
