package merge

import (
	"encoding/json"

	"outpost/chart"
)

// A record with one version and no parents is most of what a join and the
// merge behind it merge (at 2,000 patients every one of ~50,000 records:
// the join stores heads, and a head whose parents are not held is a base
// with none) and what a pull brings of every new record. Its merge is the
// version itself: every set field is the version's own write, nothing can
// conflict, and it is signed if it carries a signature. Building the
// ancestry DAG for it (sets, live writes, the winner of each field) was a
// third of the CPU of merging such a record; single gives the same Result
// without it (TestSingleVersionMergesAsTheDAGDoes compares the two).

// single merges the one parentless version v.
func single(v Version) (Result, error) {
	n, err := newMergeNode(v, map[string]string{})
	if err != nil {
		return Result{}, err
	}
	res := Result{Heads: []chart.ChangeID{v.ChangeID}, Conflicts: []Conflict{}, Pending: []chart.ChangeID{},
		Missing: []chart.ChangeID{}, Fields: make(map[string]json.RawMessage, len(n.values))}
	for f, val := range n.values { // "" (null, absent) is not in values: unset, as the DAG leaves it
		res.Fields[f] = json.RawMessage(val)
	}
	if n.signed() {
		res.Signed, res.SignedChangeID = true, v.ChangeID
	}
	res.EnteredInError = res.Fields[mergeFieldEnteredInError] != nil
	return res, nil
}
