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

// MergedInto lists the patients merged into id (directly), by name.
func (ix *PatientIndex) MergedInto(id PatientID) []PatientSummary {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := []PatientSummary{}
	for i := range ix.sorted {
		if e := ix.sorted[i].rec; e.summary.MergedInto == id {
			out = append(out, e.summary)
		}
	}
	return out
}
