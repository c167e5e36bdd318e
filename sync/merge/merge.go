package merge

// Merge of concurrent versions of one record.
//
// Every record has a DAG of versions; each version is a full snapshot of the
// record's top-level JSON fields plus the change ids it was based on. The
// merge works field by field with "live writes": a version writes a field
// when it is a root, when it is a signing (the signer attests the whole
// note), when it names the field in Resolves, or when its value differs from
// what the merge of its parents showed. A write is live while no later write
// of the same field descends from it. One live value (or several equal ones)
// is the field's value; several different ones are a conflict: the write with
// the highest HLC (then the highest change id) is shown and every other live
// value is kept in the Conflict. This is a three-way merge against each
// field's own latest common write, so criss-cross DAGs need no special rule,
// and a side that changed a field and changed it back still counts as a
// write (it is shown as a conflict, never silently dropped).
//
// Special fields: a signed note ("signature" set) is immutable, so once any
// version is signed the earliest signing (by HLC, then change id) supplies
// every field except enteredInError and the bookkeeping fields, and any live
// write that differs is kept as a conflict marked AgainstSigned. A non-empty
// enteredInError beats an empty one (retraction propagates). The bookkeeping
// fields version, updatedAt and updatedBy change on every save and never
// conflict: they come from the latest head.
//
// Versions whose parents are missing are not merged: they, and everything
// based on them, wait in Result.Pending until the parents arrive, because
// their content is relative to a base this device has not seen.

import (
	"bytes"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"outpost/chart"
	"outpost/sync/clock"
)

const (
	mergeFieldSignature      = "signature"
	mergeFieldEnteredInError = "enteredInError"
)

// mergeBookkeeping are the fields every save rewrites; comparing them would
// make every pair of concurrent edits conflict.
var mergeBookkeeping = map[string]bool{"version": true, "updatedAt": true, "updatedBy": true}

var (
	// MergeErrInvalid means the versions cannot be merged as given: an empty
	// change id, a field that is not JSON, two different versions under one
	// change id, or parents that form a cycle.
	MergeErrInvalid = errors.New("invalid record versions")
	// ErrIncomplete means no version can be merged yet: there are none,
	// or every one waits for a parent that has not arrived.
	ErrIncomplete = errors.New("record versions incomplete")
)

// Version is one version of a record, decrypted.
type Version struct {
	ChangeID chart.ChangeID
	Parents  []chart.ChangeID
	HLC      clock.Timestamp
	DeviceID chart.DeviceID
	UserID   chart.UserID
	// Fields is the record content, one entry per top-level JSON field. An
	// absent field and a JSON null are the same.
	Fields map[string]json.RawMessage
	// Resolves names fields whose conflict this version settles even though
	// it keeps the value that was shown. A version that sets a field to any
	// other value settles it without being named here; one that keeps the
	// shown value unnamed (an edit of another field) leaves the conflict
	// open. It must travel with the change (inside the sealed payload).
	Resolves []string
}

// Signed reports whether the version is a signed note.
func (v Version) Signed() bool { return mergeFieldSet(v.Fields[mergeFieldSignature]) }

// EnteredInError reports whether the version retracts the record.
func (v Version) EnteredInError() bool { return mergeFieldSet(v.Fields[mergeFieldEnteredInError]) }

func mergeFieldSet(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && !bytes.Equal(t, []byte("null"))
}

// ConflictValue is one value of a conflicting field and the write that made it.
type ConflictValue struct {
	Value    json.RawMessage `json:"value"` // nil when that write removed the field
	ChangeID chart.ChangeID  `json:"changeId"`
	HLC      clock.Timestamp `json:"hlc"`
	DeviceID chart.DeviceID  `json:"deviceId"`
	UserID   chart.UserID    `json:"userId"`
}

// Conflict is a field written concurrently with different values.
type Conflict struct {
	Field  string          `json:"field"`
	Winner ConflictValue   `json:"winner"` // the value in Result.Fields
	Others []ConflictValue `json:"others"` // distinct values, latest first
	// AgainstSigned means Winner is a signed note's content and Others are
	// edits it refuses; the user may turn them into an addendum.
	AgainstSigned bool `json:"againstSigned"`
}

// Result is the merged record.
type Result struct {
	Fields         map[string]json.RawMessage `json:"fields"`
	Heads          []chart.ChangeID           `json:"heads"` // sorted; the parents of the next local version
	Conflicts      []Conflict                 `json:"conflicts"`
	Signed         bool                       `json:"signed"`
	SignedChangeID chart.ChangeID             `json:"signedChangeId,omitempty"`
	EnteredInError bool                       `json:"enteredInError"`
	Pending        []chart.ChangeID           `json:"pending"` // versions waiting for a missing parent
	Missing        []chart.ChangeID           `json:"missing"` // parent ids not among the versions
}

// mergeNode is a version prepared for merging.
type mergeNode struct {
	v        Version
	parents  []chart.ChangeID  // sorted, unique
	values   map[string]string // compact JSON; null and absent are missing
	resolves map[string]bool
	pidx     []int // indices of parents among the merged nodes
}

func (n *mergeNode) signed() bool { return n.values[mergeFieldSignature] != "" }

// newMergeNode prepares v. compacted caches compact forms by raw value:
// successive versions mostly repeat their parents' fields, and scanning
// every copy of a long note would dominate the merge.
func newMergeNode(v Version, compacted map[string]string) (*mergeNode, error) {
	if v.ChangeID == "" {
		return nil, fmt.Errorf("%w: a version has no change id", MergeErrInvalid)
	}
	n := &mergeNode{v: v, values: make(map[string]string, len(v.Fields)), resolves: map[string]bool{}}
	for f, raw := range v.Fields {
		val, known := compacted[string(raw)]
		if !known {
			var err error
			if val, err = mergeCompact(raw); err != nil {
				return nil, fmt.Errorf("%w: change %s field %q: %v", MergeErrInvalid, v.ChangeID, f, err)
			}
			compacted[string(raw)] = val
		}
		if val != "" {
			n.values[f] = val
		}
	}
	for _, f := range v.Resolves {
		n.resolves[f] = true
	}
	n.parents = slices.Compact(slices.Sorted(slices.Values(v.Parents)))
	return n, nil
}

// sameAs reports whether two prepared versions with one change id agree.
func (n *mergeNode) sameAs(o *mergeNode) bool {
	return n.v.HLC == o.v.HLC && n.v.DeviceID == o.v.DeviceID && n.v.UserID == o.v.UserID &&
		slices.Equal(n.parents, o.parents) && maps.Equal(n.values, o.values) && maps.Equal(n.resolves, o.resolves)
}

// mergeCompact returns raw without insignificant space, "" for null or empty.
// Values are compared in this form; writers encode with encoding/json, whose
// output is deterministic, so equal content compares equal.
func mergeCompact(raw json.RawMessage) (string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "", err
	}
	if s := b.String(); s != "null" {
		return s, nil
	}
	return "", nil
}

// mergePrint is a length-prefixed rendering of everything in a version, to
// choose deterministically between different versions under one change id.
func mergePrint(n *mergeNode) string {
	var b strings.Builder
	put := func(s string) { b.WriteString(strconv.Itoa(len(s))); b.WriteByte(':'); b.WriteString(s) }
	put(string(n.v.ChangeID))
	put(n.v.HLC.String())
	put(string(n.v.DeviceID))
	put(string(n.v.UserID))
	for _, p := range n.parents {
		put(string(p))
	}
	b.WriteByte('|')
	for _, f := range slices.Sorted(slices.Values(n.v.Resolves)) {
		put(f)
	}
	b.WriteByte('|')
	for _, f := range slices.Sorted(maps.Keys(n.v.Fields)) {
		put(f)
		put(string(n.v.Fields[f]))
	}
	return b.String()
}

// mergeRank orders versions by HLC, then change id: the later one wins.
func mergeRank(a, b *mergeNode) int {
	if c := a.v.HLC.Compare(b.v.HLC); c != 0 {
		return c
	}
	return strings.Compare(string(a.v.ChangeID), string(b.v.ChangeID))
}

// Record merges every version of one record. The result depends only
// on the set of versions: their order and repeats do not matter.
func Record(versions []Version) (Result, error) {
	if len(versions) == 1 && len(versions[0].Parents) == 0 {
		return single(versions[0])
	}
	return recordDAG(versions)
}

// recordDAG is Record through the versions' ancestry DAG.
func recordDAG(versions []Version) (Result, error) {
	nodes, err := mergeCollect(versions)
	if err != nil {
		return Result{}, err
	}
	order, acyclic := mergeTopo(nodes)
	if !acyclic {
		return Result{}, fmt.Errorf("%w: the versions' parents form a cycle", MergeErrInvalid)
	}
	ready, res := mergeSplit(nodes, order)
	if len(ready) == 0 {
		return res, fmt.Errorf("%w: no versions to merge (%d waiting for %d missing parents)",
			ErrIncomplete, len(res.Pending), len(res.Missing))
	}
	d := newMergeDAG(ready)
	d.fill(&res)
	return res, nil
}

// mergeCollect prepares the versions and drops repeats of a change id.
func mergeCollect(versions []Version) (map[chart.ChangeID]*mergeNode, error) {
	nodes := make(map[chart.ChangeID]*mergeNode, len(versions))
	compacted := map[string]string{}
	for _, v := range versions {
		n, err := newMergeNode(v, compacted)
		if err != nil {
			return nil, err
		}
		if old, ok := nodes[v.ChangeID]; ok && !old.sameAs(n) {
			return nil, fmt.Errorf("%w: change %s was received twice with different content", MergeErrInvalid, v.ChangeID)
		}
		nodes[v.ChangeID] = n
	}
	return nodes, nil
}

// mergeSplit separates versions whose whole ancestry is present (in
// topological order) from those still waiting, which it records in res.
func mergeSplit(nodes map[chart.ChangeID]*mergeNode, order []*mergeNode) ([]*mergeNode, Result) {
	res := Result{Heads: []chart.ChangeID{}, Conflicts: []Conflict{}, Pending: []chart.ChangeID{}, Missing: []chart.ChangeID{}}
	ok := make(map[chart.ChangeID]bool, len(nodes))
	var ready []*mergeNode
	for _, n := range order {
		good := true
		for _, p := range n.parents {
			if _, present := nodes[p]; !present {
				res.Missing = append(res.Missing, p)
			}
			good = good && ok[p]
		}
		if good {
			ok[n.v.ChangeID] = true
			ready = append(ready, n)
		} else {
			res.Pending = append(res.Pending, n.v.ChangeID)
		}
	}
	slices.Sort(res.Pending)
	slices.Sort(res.Missing)
	res.Missing = slices.Compact(res.Missing)
	return ready, res
}

// Order returns the versions, without repeats, in a deterministic
// topological order (parents first, then by HLC and change id), for history
// views. Parents that are missing are ignored; versions received twice with
// different content keep one copy chosen by content, and a cycle (only
// possible with corrupt input) is broken at its earliest version.
func Order(versions []Version) []Version {
	nodes := make(map[chart.ChangeID]*mergeNode, len(versions))
	for _, v := range versions {
		n := &mergeNode{v: v, parents: slices.Compact(slices.Sorted(slices.Values(v.Parents)))}
		if old, ok := nodes[v.ChangeID]; ok && mergePrint(old) <= mergePrint(n) {
			continue
		}
		nodes[v.ChangeID] = n
	}
	order, _ := mergeTopo(nodes)
	out := make([]Version, len(order))
	for i, n := range order {
		out[i] = n.v
	}
	return out
}

// mergeTopo orders nodes parents first, taking the earliest available by
// rank each time. acyclic is false if a cycle had to be broken.
func mergeTopo(nodes map[chart.ChangeID]*mergeNode) (order []*mergeNode, acyclic bool) {
	waiting := make(map[chart.ChangeID]int, len(nodes))
	children := make(map[chart.ChangeID][]*mergeNode, len(nodes))
	h := &mergeHeap{}
	for id, n := range nodes {
		for _, p := range n.parents {
			if _, ok := nodes[p]; ok {
				waiting[id]++
				children[p] = append(children[p], n)
			}
		}
		if waiting[id] == 0 {
			*h = append(*h, n)
		}
	}
	heap.Init(h)
	acyclic = true
	for len(order) < len(nodes) {
		if h.Len() == 0 {
			acyclic = false
			heap.Push(h, mergeEarliestWaiting(nodes, waiting))
		}
		n := heap.Pop(h).(*mergeNode)
		waiting[n.v.ChangeID] = -1
		order = append(order, n)
		for _, c := range children[n.v.ChangeID] {
			if waiting[c.v.ChangeID]--; waiting[c.v.ChangeID] == 0 {
				heap.Push(h, c)
			}
		}
	}
	return order, acyclic
}

func mergeEarliestWaiting(nodes map[chart.ChangeID]*mergeNode, waiting map[chart.ChangeID]int) *mergeNode {
	var best *mergeNode
	for id, n := range nodes {
		if waiting[id] > 0 && (best == nil || mergeRank(n, best) < 0) {
			best = n
		}
	}
	waiting[best.v.ChangeID] = 0
	return best
}

type mergeHeap []*mergeNode

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return mergeRank(h[i], h[j]) < 0 }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(*mergeNode)) }
func (h *mergeHeap) Pop() any {
	old := *h
	n := old[len(old)-1]
	*h = old[:len(old)-1]
	return n
}
