package merge

import (
	"encoding/json"
	"slices"

	"outpost/chart"
)

// mergeDAG holds the live writes of every field at every version. Nodes
// are indexed in topological order, so parents are always visited first.
type mergeDAG struct {
	nodes  []*mergeNode
	anc    [][]uint64 // strict ancestors of each node, as bit sets
	fields []string   // every merged field, sorted; bookkeeping excluded
	live   [][][]int  // live[node][field]: the live writes, ascending
	anchor []int      // earliest signing among ancestors-or-self, or -1
}

func newMergeDAG(ready []*mergeNode) *mergeDAG {
	d := &mergeDAG{nodes: ready, anc: make([][]uint64, len(ready)),
		live: make([][][]int, len(ready)), anchor: make([]int, len(ready))}
	index := make(map[chart.ChangeID]int, len(ready))
	seen := map[string]bool{}
	for i, n := range ready {
		index[n.v.ChangeID] = i
		n.pidx = n.pidx[:0]
		for _, p := range n.parents {
			n.pidx = append(n.pidx, index[p])
		}
		for f := range n.values {
			if !mergeBookkeeping[f] && !seen[f] {
				seen[f] = true
				d.fields = append(d.fields, f)
			}
		}
	}
	slices.Sort(d.fields)
	words := (len(ready) + 63) / 64
	for i := range ready {
		d.anc[i] = make([]uint64, words)
		d.visit(i)
	}
	return d
}

func (d *mergeDAG) isAncestor(a, b int) bool { return d.anc[b][a/64]&(1<<(a%64)) != 0 }

// visit computes node i's ancestors, anchor and live writes.
func (d *mergeDAG) visit(i int) {
	n := d.nodes[i]
	parentAnchor, parentSigned := -1, false
	for _, p := range n.pidx {
		for w := range d.anc[i] {
			d.anc[i][w] |= d.anc[p][w]
		}
		d.anc[i][p/64] |= 1 << (p % 64)
		parentAnchor = d.earlier(parentAnchor, d.anchor[p])
		parentSigned = parentSigned || d.nodes[p].signed()
	}
	signing := n.signed() && !parentSigned
	d.anchor[i] = parentAnchor
	if signing {
		d.anchor[i] = d.earlier(parentAnchor, i)
	}
	d.live[i] = make([][]int, len(d.fields))
	for fi, f := range d.fields {
		if len(n.pidx) == 0 || signing || n.resolves[f] {
			d.live[i][fi] = []int{i}
			continue
		}
		sets := make([][]int, len(n.pidx))
		for k, p := range n.pidx {
			sets[k] = d.live[p][fi]
		}
		inherited := d.maximal(sets)
		shown := d.winner(f, inherited, parentAnchor)
		if n.values[f] != d.nodes[shown].values[f] {
			d.live[i][fi] = []int{i}
		} else {
			d.live[i][fi] = inherited
		}
	}
}

// earlier returns whichever of two node indices ranks first (-1 is none).
func (d *mergeDAG) earlier(a, b int) int {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	case mergeRank(d.nodes[b], d.nodes[a]) < 0:
		return b
	}
	return a
}

// later returns whichever of two node indices ranks last.
func (d *mergeDAG) later(a, b int) int {
	if a < 0 || mergeRank(d.nodes[b], d.nodes[a]) > 0 {
		return b
	}
	return a
}

// maximal unites sets of writes and drops those another one descends from.
func (d *mergeDAG) maximal(sets [][]int) []int {
	if len(sets) == 1 {
		return sets[0]
	}
	var all []int
	for _, s := range sets {
		all = append(all, s...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	out := make([]int, 0, len(all))
	for _, a := range all {
		if !slices.ContainsFunc(all, func(b int) bool { return d.isAncestor(a, b) }) {
			out = append(out, a)
		}
	}
	return out
}

// winner picks the write whose value the merge shows for field f.
func (d *mergeDAG) winner(f string, live []int, anchor int) int {
	if anchor >= 0 && f != mergeFieldEnteredInError {
		return anchor // a signed note never changes
	}
	best, bestSet := -1, -1
	for _, w := range live {
		best = d.later(best, w)
		if d.nodes[w].values[f] != "" {
			bestSet = d.later(bestSet, w)
		}
	}
	if f == mergeFieldEnteredInError && bestSet >= 0 {
		return bestSet // a retraction beats a concurrent non-retraction
	}
	return best
}

// others lists the live writes whose values differ from the winner's, one
// per distinct value, latest first.
func (d *mergeDAG) others(f string, live []int, win int) []int {
	ws := slices.Clone(live)
	slices.SortFunc(ws, func(a, b int) int { return mergeRank(d.nodes[b], d.nodes[a]) })
	seen := map[string]bool{d.nodes[win].values[f]: true}
	var out []int
	for _, w := range ws {
		if v := d.nodes[w].values[f]; !seen[v] {
			seen[v] = true
			out = append(out, w)
		}
	}
	return out
}

// fill writes the merge of the whole DAG into res.
func (d *mergeDAG) fill(res *Result) {
	hasChild := make([]bool, len(d.nodes))
	for _, n := range d.nodes {
		for _, p := range n.pidx {
			hasChild[p] = true
		}
	}
	var heads []int
	for i, child := range hasChild {
		if !child {
			heads = append(heads, i)
		}
	}
	anchor, latest := -1, -1
	for _, h := range heads {
		res.Heads = append(res.Heads, d.nodes[h].v.ChangeID)
		anchor = d.earlier(anchor, d.anchor[h])
		latest = d.later(latest, h)
	}
	slices.Sort(res.Heads)
	res.Fields = map[string]json.RawMessage{}
	for fi, f := range d.fields {
		sets := make([][]int, len(heads))
		for k, h := range heads {
			sets[k] = d.live[h][fi]
		}
		live := d.maximal(sets)
		win := d.winner(f, live, anchor)
		if v := d.nodes[win].values[f]; v != "" {
			res.Fields[f] = json.RawMessage(v)
		}
		if others := d.others(f, live, win); len(others) > 0 {
			res.Conflicts = append(res.Conflicts, d.conflict(f, win, others, anchor >= 0 && f != mergeFieldEnteredInError))
		}
	}
	for f := range mergeBookkeeping {
		if v := d.nodes[latest].values[f]; v != "" {
			res.Fields[f] = json.RawMessage(v)
		}
	}
	if anchor >= 0 {
		res.Signed, res.SignedChangeID = true, d.nodes[anchor].v.ChangeID
	}
	res.EnteredInError = res.Fields[mergeFieldEnteredInError] != nil
}

func (d *mergeDAG) conflict(f string, win int, others []int, againstSigned bool) Conflict {
	c := Conflict{Field: f, Winner: d.conflictValue(f, win), AgainstSigned: againstSigned}
	for _, o := range others {
		c.Others = append(c.Others, d.conflictValue(f, o))
	}
	return c
}

func (d *mergeDAG) conflictValue(f string, i int) ConflictValue {
	n := d.nodes[i]
	cv := ConflictValue{ChangeID: n.v.ChangeID, HLC: n.v.HLC, DeviceID: n.v.DeviceID, UserID: n.v.UserID}
	if v := n.values[f]; v != "" {
		cv.Value = json.RawMessage(v)
	}
	return cv
}
