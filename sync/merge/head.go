package merge

import (
	"bytes"
	"encoding/json"

	"outpost/chart"
	"outpost/sync/clock"
)

// Winner is the head a merged record is shown under: a signed note's
// signing when it is a head (so every workstation shows the signed version
// as signed), else the latest head by clock, then by change id, so that
// every workstation picks the same one. clockOf gives a head's clock.
func Winner(res Result, clockOf func(chart.ChangeID) clock.Timestamp) chart.ChangeID {
	head := res.Heads[0]
	for _, h := range res.Heads {
		if res.Signed && h == res.SignedChangeID {
			return h
		}
		if c := clockOf(h).Compare(clockOf(head)); c > 0 || c == 0 && h > head {
			head = h
		}
	}
	return head
}

// SameContent reports whether two versions say the same thing, ignoring
// the bookkeeping every save rewrites (version, updatedAt, updatedBy).
func SameContent(a, b map[string]json.RawMessage) bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	for k := range keys {
		if k == "version" || k == "updatedAt" || k == "updatedBy" {
			continue
		}
		if !SameJSON(a[k], b[k]) {
			return false
		}
	}
	return true
}

// SameJSON reports whether two JSON values are the same once compacted; an
// absent value and null are the same.
func SameJSON(a, b json.RawMessage) bool {
	var ca, cb bytes.Buffer
	if len(a) == 0 || string(a) == "null" {
		a = nil
	}
	if len(b) == 0 || string(b) == "null" {
		b = nil
	}
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}
