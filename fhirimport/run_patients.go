package fhirimport

import (
	"bytes"
	"fmt"
	"strings"

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
// each patient is mapped and committed whole before the next.
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
	pending := r.patients
	orphansDue := len(routed) > 0
	var ahead *chunkRead
	for len(pending) > 0 || orphansDue {
		chunk := r.nextChunk(pending)
		pending = pending[len(chunk):]
		read := ahead
		if read == nil {
			read = r.newChunkRead(chunk, r.chunkFiles(chunk, routed, orphansDue || anyRouted(chunk)))
		}
		r.take(chunk, read.files, read.wait())
		orphansDue = false
		ahead = nil
		if next := r.nextChunk(pending); len(next) > 0 && !anyRouted(next) {
			ahead = r.newChunkRead(next, r.chunkFiles(next, routed, false))
		}
		if !r.importChunk(chunk, ahead.begin) {
			ahead.drop()
			return
		}
	}
}

// anyRouted says whether some of the chunk's resources are in routed files.
func anyRouted(chunk []*patientSlot) bool {
	for _, p := range chunk {
		if p.routed {
			return true
		}
	}
	return false
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

// chunkFiles lists the files the chunk's resources are read from: its
// patients' own files, and the routed ones when readRouted.
func (r *importRun) chunkFiles(chunk []*patientSlot, routed []*inputFile, readRouted bool) []*inputFile {
	in := inChunk(chunk)
	var files []*inputFile
	for _, f := range r.files {
		if f.single != nil && in[f.single] {
			files = append(files, f)
		}
	}
	if readRouted {
		files = append(files, routed...)
	}
	return files
}

func inChunk(chunk []*patientSlot) map[*patientSlot]bool {
	in := make(map[*patientSlot]bool, len(chunk))
	for _, p := range chunk {
		in[p] = true
	}
	return in
}

// take takes in what was read of the chunk's files, in the files' order,
// so each patient's group and the report are those of a serial run; it
// runs on the store's goroutine, the report's one writer.
func (r *importRun) take(chunk []*patientSlot, files []*inputFile, read []reread) {
	for _, p := range chunk {
		p.group = &gathered{}
	}
	for i, f := range files {
		r.progress.File = f.path
		r.takeFile(f, read[i])
		if !f.readAgain && f.single == nil {
			r.progress.BytesDone += f.size // a patient's own files count when it is done
		}
		f.readAgain = true
	}
}

// reread is what the second pass read of one file: the chunk's resources,
// checked, and the ones that belong to no patient of the import.
type reread struct {
	entries []rereadEntry
	err     error
}

// rereadEntry is one resource of a file read again: one of the chunk's
// (p, with its checks), or one that belongs to no patient (orphan).
type rereadEntry struct {
	e      fhir.Entry
	p      *patientSlot
	c      fhir.Checked
	orphan bool
}

// reread reads f again and checks the resources of the chunk's patients
// (in). It only reads the run's patients and f's first-pass findings,
// which the second pass leaves alone, and changes nothing of the run: it
// runs beside the others.
func (r *importRun) reread(f *inputFile, in map[*patientSlot]bool) reread {
	var rr reread
	each := func(e fhir.Entry) error {
		if sharedTypes[e.Type] {
			return nil // indexed and counted in the first pass
		}
		p := f.single
		if p == nil {
			p = r.routeOf(e)
		}
		switch {
		case p == nil && !f.readAgain:
			e.Raw = nil // the reader's buffer: an orphan is only counted
			rr.entries = append(rr.entries, rereadEntry{e: e, orphan: true})
		case in[p]:
			c := fhir.Check(e.Resource)
			if f.kept == nil {
				e.Raw = kept(c.Raw, e.Raw)
			} else {
				e.Raw = c.Raw // bytes of its own already
			}
			rr.entries = append(rr.entries, rereadEntry{e: e, p: p, c: c})
		}
		return nil
	}
	if f.kept != nil { // the first pass kept them: not read again
		for _, e := range f.kept {
			each(e)
		}
		return rr
	}
	_, rr.err = fhir.RereadFile(f.path, each)
	return rr
}

// takeFile accounts for what reread found in f and adds the chunk's
// resources to their patients' groups.
func (r *importRun) takeFile(f *inputFile, rr reread) {
	f.kept = nil // taken: not held past the chunk
	for _, re := range rr.entries {
		if re.orphan {
			r.countOrphan(f, re.e)
		} else {
			r.keep(re.p.group, f, re.e, re.c)
		}
	}
	if rr.err != nil {
		f.rep.warn("the file changed while it was imported: " + fileError(rr.err))
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

// keep adds a checked resource to its patient's group, or counts it
// failed.
func (r *importRun) keep(g *gathered, f *inputFile, e fhir.Entry, c fhir.Checked) {
	f.rep.warnAll(c)
	it := item{res: e.Resource, refs: c.Refs, file: f}
	switch {
	case c.Failed():
		f.rep.count(e.Type, Failed, failText(e.Resource, c.Errors()))
		if e.Type == "Patient" && g.patient == nil {
			g.patientErrs = c.Errors()
		}
	case e.Type == "Patient" && g.patient == nil:
		g.patient = &it
	default:
		g.items = append(g.items, it)
	}
}

// kept is a checked resource's JSON to keep past the reading: a copy when
// it is still the reader's buffer (read), as is when the checks repaired
// it into bytes of their own.
func kept(checked, read []byte) []byte {
	if len(checked) > 0 && len(read) > 0 && &checked[0] == &read[0] {
		return bytes.Clone(checked)
	}
	return checked
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
