package fhirimport

import (
	"fmt"
	"strings"
	gosync "sync"

	"outpost/fhir"
)

// gathered is one patient's resources, read and checked, waiting for the
// mapper.
type gathered struct {
	patient     *item
	patientErrs string
	items       []item
}

type item struct {
	res  fhir.Resource
	refs []string
	file *inputFile
}

// importPatients is the second pass: patients are gathered in chunks of
// about GroupBytes of JSON (a Synthea bundle is one patient's; NDJSON
// files are read once per chunk and only the chunk's patients kept), and
// each patient is mapped and committed whole before the next. Reading
// runs a chunk ahead of the store (readChunks), so the files of the next
// chunk are read and checked on the core the store leaves idle.
func (r *importRun) importPatients() {
	if r.report.Cancelled {
		return
	}
	var routed []*inputFile
	for _, f := range r.files {
		switch {
		case f.failed || (f.single == nil && !f.routes):
			r.progress.BytesDone += f.size // nothing to read again
		case f.single == nil:
			routed = append(routed, f)
		}
	}
	chunks, stop := make(chan *chunkRead), make(chan struct{})
	var wg gosync.WaitGroup
	wg.Go(func() { r.readChunks(routed, chunks, stop) })
	defer wg.Wait()
	defer close(stop)
	for c := range chunks {
		for _, apply := range c.tally {
			apply()
		}
		if !r.importChunk(c.patients) {
			return // the chunk read ahead, if any, is never counted: as before it was read
		}
	}
}

// chunkRead is one chunk's patients gathered, and what reading them does
// to the report and the progress (tally), done by the run's goroutine when
// the chunk's turn comes: the report has one writer, in the same order as
// when each chunk was read just before its import.
type chunkRead struct {
	patients []*patientSlot
	tally    []func()
}

// later notes a change to the report or the progress for the chunk's turn.
func (c *chunkRead) later(apply func()) { c.tally = append(c.tally, apply) }

// readChunks gathers the patients a chunk at a time and hands each chunk
// to the import, at most one chunk ahead of it (about 2 x GroupBytes of
// JSON held). It stops when stop closes.
func (r *importRun) readChunks(routed []*inputFile, out chan<- *chunkRead, stop <-chan struct{}) {
	defer close(out)
	pending := r.patients
	orphansDue := len(routed) > 0
	for len(pending) > 0 || orphansDue {
		c := &chunkRead{patients: r.nextChunk(pending)}
		pending = pending[len(c.patients):]
		readRouted := orphansDue
		for _, p := range c.patients {
			readRouted = readRouted || p.routed
		}
		r.gather(c, routed, readRouted)
		orphansDue = false
		select {
		case out <- c:
		case <-stop:
			return
		}
	}
}

// nextChunk takes patients while their JSON fits the budget (at least one).
func (r *importRun) nextChunk(pending []*patientSlot) []*patientSlot {
	var size int64
	for i, p := range pending {
		size += p.bytes
		if i > 0 && size > r.opts.GroupBytes {
			return pending[:i]
		}
	}
	return pending
}

// gather reads the chunk's files and keeps the chunk's resources. It runs
// beside the import of the chunk before: what it counts waits in c.tally.
func (r *importRun) gather(c *chunkRead, routed []*inputFile, readRouted bool) {
	in := map[*patientSlot]bool{}
	var files []*inputFile
	for _, p := range c.patients {
		in[p] = true
		p.group = &gathered{}
	}
	for _, f := range r.files {
		if f.single != nil && in[f.single] {
			files = append(files, f)
		}
	}
	if readRouted {
		files = append(files, routed...)
	}
	for _, f := range files {
		c.later(func() { r.progress.File = f.path })
		_, err := fhir.RereadFile(f.path, func(e fhir.Entry) error {
			if sharedTypes[e.Type] {
				return nil // indexed and counted in the first pass
			}
			p := f.single
			if p == nil {
				p = r.routeOf(e)
			}
			switch {
			case p == nil && !f.readAgain:
				c.later(func() { r.countOrphan(f, e) })
			case in[p]:
				r.keep(c, p.group, f, e)
			}
			return nil
		})
		if err != nil {
			c.later(func() { f.rep.warn("the file changed while it was imported: " + fileError(err)) })
		}
		if !f.readAgain && f.single == nil {
			c.later(func() { r.progress.BytesDone += f.size }) // a patient's own files count when it is done
		}
		f.readAgain = true
	}
}

func (r *importRun) routeOf(e fhir.Entry) *patientSlot {
	if e.Type == "Patient" {
		return r.patientOf(patientKey(e.Resource))
	}
	return r.patientOf(e.About)
}

// countOrphan accounts for a resource that belongs to no patient of the
// import.
func (r *importRun) countOrphan(f *inputFile, e fhir.Entry) {
	if e.About == "" {
		f.rep.count(e.Type, Skipped, "not about a patient (no subject or patient): nothing to file it under")
		return
	}
	f.rep.count(e.Type, Failed, failText(e.Resource, "its patient "+e.About+" is not in the files of this import"))
}

// keep checks a resource and adds it to its patient's group.
func (r *importRun) keep(ch *chunkRead, g *gathered, f *inputFile, e fhir.Entry) {
	c := fhir.Check(e.Resource)
	if len(c.Problems) > 0 {
		ch.later(func() { f.rep.warnAll(c) })
	}
	e.Raw = c.Raw
	it := item{res: e.Resource, refs: c.Refs, file: f}
	switch {
	case c.Failed():
		why := failText(e.Resource, c.Errors())
		ch.later(func() { f.rep.count(e.Type, Failed, why) })
		if e.Type == "Patient" && g.patient == nil {
			g.patientErrs = c.Errors()
		}
	case e.Type == "Patient" && g.patient == nil:
		g.patient = &it
	default:
		g.items = append(g.items, it)
	}
}

// failText is a failure for the report: where, which resource, why.
func failText(res fhir.Resource, why string) string {
	return fmt.Sprintf("%s (%s): %s", res.At, strings.TrimSpace(res.Type+" "+res.ID), why)
}

// dropCancelled accounts for the resources gathered for patients the
// cancelled run did not reach.
func (r *importRun) dropCancelled(rest []*patientSlot) {
	for _, p := range rest {
		for _, it := range p.group.all() {
			it.file.rep.count(it.res.Type, Skipped, "the import was cancelled before this patient")
		}
		p.group = nil
	}
}

// all is the patient's resource (when it passed the checks) and the rest.
func (g *gathered) all() []item {
	if g.patient == nil {
		return g.items
	}
	return append([]item{*g.patient}, g.items...)
}
