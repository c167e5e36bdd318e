package chart

import "slices"

// Remove drops patient id from the index (a chart purged from this device
// when it left the sync scope). Removing an absent id does nothing. The
// entry is zeroed, as Clear does, so no stray reference keeps the
// decrypted strings reachable.
func (ix *PatientIndex) Remove(id PatientID) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e := ix.byID[id]
	if e == nil {
		return
	}
	ix.hidden -= hiddenCount(e)
	i := ix.position(e)
	ix.sorted = slices.Delete(ix.sorted, i, i+1) // zeroes the freed slot
	delete(ix.byID, id)
	// The recency log skips entries no longer in byID; compact it so the
	// zeroed entry is not kept in it either.
	ix.compactLog()
	*e = indexEntry{}
}
