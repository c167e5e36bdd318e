package fhirimport

import (
	"fmt"
	gosync "sync"

	"outpost/chart"
	"outpost/fhir"
)

// mapped is one patient resolved and mapped, waiting for the store.
type mapped struct {
	p *patientSlot
	g *gathered
	// unresolved are the references neither index resolves, reported
	// when the patient reaches the store (the report has one writer).
	unresolved []unresolvedRef
	recs       chart.PatientRecords
	outs       []Outcome
	err        error
}

type unresolvedRef struct {
	file *inputFile
	ref  string
	from fhir.Resource
}

// importChunk imports the chunk's patients in order, mapping ahead of the
// store: while the store seals and commits a batch of patients (on every
// core, with waits on the disk's syncs), the next ones are resolved and
// mapped on another goroutine. The store, the report and the progress are
// touched by this goroutine only, in the chunk's order, so the report is
// the same as one patient at a time. It returns false when the run was
// cancelled (the patients not committed, those of the open batch among
// them, are accounted as skipped).
//
// The mapper may run a whole batch ahead (mapAhead): the store takes no
// patient until its batch is full, so with only two mapped ahead the
// store waited for most of each batch to be mapped, one core idle, and
// the mapper then waited for the commit.
//
// allMapped, called once the mapper is through the chunk, begins reading the
// next chunk (chunkRead): while the store commits the last batches, the
// core the mapper leaves is given to that reading.
func (r *importRun) importChunk(chunk []*patientSlot, allMapped func()) bool {
	ready := make(chan *mapped, mapAhead(r.batchLimit()))
	stop := make(chan struct{})
	var wg gosync.WaitGroup
	wg.Go(func() {
		for _, p := range chunk {
			select {
			case ready <- r.prepare(p):
			case <-stop:
				return
			}
		}
		allMapped()
	})
	stopMapper := gosync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopMapper()
	var batch []*mapped
	entries, most := 0, r.batchLimit()
	for i := range chunk {
		if r.cancelled() {
			stopMapper() // the mapper reads the groups dropCancelled clears
			r.dropCancelled(chunk[i-len(batch):])
			return false
		}
		m := <-ready
		batch, entries = append(batch, m), entries+len(m.g.items)+1
		if len(batch) >= most || entries >= batchEntries {
			r.commitBatch(batch)
			batch, entries = nil, 0
		}
	}
	r.commitBatch(batch)
	return true
}

// mapAhead is how many mapped patients may wait for the store: a batch's
// worth, so the next batch is mapped while this one is sealed and
// committed; at least two for a store that commits one at a time.
func mapAhead(batch int) int {
	return max(2, batch)
}

// prepare resolves and maps one patient. It runs beside the store, so it
// changes nothing the store's goroutine reads: the report and progress
// are left to commit. A panic in it (the mapper's, or resolving's) fails
// this patient, not the run: on this goroutine no caller could recover it.
func (r *importRun) prepare(p *patientSlot) (m *mapped) {
	m = &mapped{p: p, g: p.group}
	if m.g.patient == nil {
		return m
	}
	defer func() {
		if p := recover(); p != nil {
			m.recs, m.err = chart.PatientRecords{}, fmt.Errorf("the mapper failed on this patient: %v", p)
		}
	}()
	resolver := r.resolverFor(m)
	group := PatientGroup{Patient: m.g.patient.res, Source: sourceName(m.g.patient.file.path), Lab: r.opts.Lab}
	for _, it := range m.g.items {
		group.Resources = append(group.Resources, it.res)
	}
	m.recs, m.outs = r.opts.Map(group, resolver, r.ids)
	m.err = patientRefused(m.outs, r.opts.Lab)
	if m.err == nil {
		stampImport(&m.recs, r.report.ID)
	}
	return m
}

// commitBatch hands the batch's patients to the store and accounts for
// each, in order, once the store has committed them: the report and the
// progress never count a patient a crash could still take back.
func (r *importRun) commitBatch(batch []*mapped) {
	stored := r.storeBatch(batch)
	for i, m := range batch {
		r.settle(m, stored[i])
	}
}

// settle accounts for one patient of a committed batch.
func (r *importRun) settle(m *mapped, st storedPatient) {
	g := m.g
	m.p.group = nil
	defer func() {
		r.progress.Patients++
		for _, f := range m.p.own {
			r.progress.BytesDone += f.size
		}
		r.tell()
	}()
	if g.patient == nil {
		r.report.Patients.Failed++
		why := "the patient's own resource failed its checks: " + g.patientErrs
		for _, it := range g.items {
			it.file.rep.count(it.res.Type, Failed, failText(it.res, why))
		}
		return
	}
	for _, u := range m.unresolved {
		u.file.rep.unresolvedRef(u.ref, u.from)
	}
	r.progress.Entries += len(g.items) + 1
	r.account(g, m.outs, st.out, st.err)
}

// patientRefused is why a patient whose own resource the mapper refused
// goes no further (nil otherwise): nothing of theirs reaches the store. A
// lab's thin patient is only for matching, so it never stops the results.
func patientRefused(outs []Outcome, lab bool) error {
	for _, o := range outs {
		if o.Type == "Patient" && o.Status == Failed && !lab {
			return chart.Errorf(chart.EINVALID, "the patient's own resource could not be mapped: %s", o.Reason)
		}
	}
	return nil
}

// resolverFor indexes a patient's own resources before the shared ones,
// and notes in m the references neither resolves.
func (r *importRun) resolverFor(m *mapped) Resolver {
	local := NewIndex()
	all := m.g.all()
	for _, it := range all {
		local.addNames(it.res)
	}
	resolver := chain{local, r.shared}
	for _, it := range all {
		for _, ref := range it.refs {
			if _, ok := resolver.Resolve(ref, it.res); !ok {
				m.unresolved = append(m.unresolved, unresolvedRef{file: it.file, ref: ref, from: it.res})
			}
		}
	}
	return resolver
}
