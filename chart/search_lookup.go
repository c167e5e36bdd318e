package chart

// Lookup returns the indexed summary of patient id, for lists that start
// from ids (the day's patients) rather than from a search.
func (ix *PatientIndex) Lookup(id PatientID) (PatientSummary, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e, ok := ix.byID[id]
	if !ok {
		return PatientSummary{}, false
	}
	return e.summary, true
}
