package fhirimport

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"outpost/fhir"
)

// inputFile is one file of the import and what the first pass learned.
type inputFile struct {
	path string
	size int64
	rep  *reportFile
	// failed: the file is not valid JSON (or not FHIR at all); nothing of
	// it is imported.
	failed bool
	// single is the one patient of a Bundle that holds exactly one: every
	// resource of the file is that patient's (a Synthea or US Core
	// bundle). Files without it (NDJSON, multi-patient Bundles, lone
	// resources) are routed resource by resource by subject or patient.
	single *patientSlot
	// routes: the file holds resources to route (not only shared ones).
	routes bool
	// readAgain: the second pass has read the file at least once; the
	// resources that belong to no patient of the import are counted then.
	readAgain bool
	// about sums the bytes of a routed file's resources by the patient
	// reference they carry, to size the gathering chunks.
	about map[string]int64
	// kept are the resources (shared ones left out) of a one-patient
	// Bundle whose patient is in the first keptChunks chunks, kept from
	// the first pass so the second does not read the file again (see
	// keepFirst).
	kept []fhir.Entry
}

// patientSlot is one patient of the import, found in the first pass.
type patientSlot struct {
	key  string
	file *inputFile
	// bytes is about how much JSON the patient's resources hold.
	bytes int64
	// routed: some of the patient's resources are in routed files.
	routed bool
	// own are the files that hold only this patient (for progress).
	own   []*inputFile
	group *gathered
}

func fileSize(path string) int64 {
	if st, err := os.Stat(path); err == nil {
		return st.Size()
	}
	return 0
}

// scan is the first pass: it reads every file through, so a broken file
// is known before anything is written; indexes the shared resources; and
// finds the patients and which files hold their resources. The files are
// read and their shared resources checked on every core (readFindings);
// what they hold is taken in in the files' order (takeFindings), so the
// report and the patients' order are those of a serial run.
func (r *importRun) scan() {
	r.keeping.Store(true)
	inOrder(len(r.files), func(i int) fileFindings {
		if r.ctx.Err() != nil {
			return fileFindings{} // not taken in: the run is cancelled
		}
		path := r.files[i].path // NDJSON is routed: never one patient's alone
		return readFindings(path, r.keeping.Load() && !fhir.IsNDJSON(path))
	}, func(i int, found fileFindings) bool {
		if r.cancelled() {
			return false
		}
		f := r.files[i]
		r.progress.File = f.path
		r.takeFindings(f, found)
		r.progress.FilesDone = i + 1
		r.progress.BytesDone += f.size
		r.tell()
		return true
	})
	for _, f := range r.files {
		for ref, n := range f.about {
			if p := r.patientOf(ref); p != nil {
				p.bytes += n
				p.routed = true
			}
		}
	}
	r.keepFirst()
}

// keptChunks is how many chunks' files the first pass keeps for the
// second: those files are gunzipped and split once, not twice. The first
// chunk's were held by its gathering anyway; the second's are held
// through the first chunk's import, up to GroupBytes (64 MB of JSON) more
// at the peak: the fixtures' import peaked about 50 MB higher (about
// 405 MB) for 2% less CPU (docs/benchmarks.md, import22). A one-file
// import (the 60 MB Bundle) is one chunk and holds what it did.
const keptChunks = 2

// keepFirst drops what the first pass kept of files whose patient is not
// in the first keptChunks chunks: those are read again when their chunk
// comes, as the files of every later chunk are.
func (r *importRun) keepFirst() {
	first := map[*patientSlot]bool{}
	pending := r.patients
	for range keptChunks {
		chunk := r.nextChunk(pending)
		for _, p := range chunk {
			first[p] = true
		}
		pending = pending[len(chunk):]
	}
	for _, f := range r.files {
		if f.kept != nil && !first[f.single] {
			f.kept = nil
		}
	}
}

// fileFindings is what one file holds, kept apart until the file has been
// read through without error.
type fileFindings struct {
	info     fhir.FileInfo
	err      error
	shared   []checkedEntry
	patients []fhir.Entry
	about    map[string]int64
	// kept are the file's other resources with bytes of their own, when
	// asked for and the file is a one-patient Bundle.
	kept []fhir.Entry
}

// checkedEntry is an entry and what its checks found.
type checkedEntry struct {
	fhir.Entry
	c fhir.Checked
}

// readFindings reads one file of the first pass and checks its shared
// resources; with keep, it also keeps a copy of the others for the second
// pass. It touches nothing of the run: it runs beside the others.
func readFindings(path string, keep bool) fileFindings {
	found := fileFindings{about: map[string]int64{}}
	found.info, found.err = fhir.ScanFile(path, func(e fhir.Entry) error {
		if keep && !sharedTypes[e.Type] {
			own := e
			own.Raw = bytes.Clone(e.Raw) // the reader's buffer moves on
			found.kept = append(found.kept, own)
		}
		switch {
		case sharedTypes[e.Type]:
			e.Raw = bytes.Clone(e.Raw) // the reader's buffer moves on
			found.shared = append(found.shared, checkedEntry{Entry: e})
		case e.Type == "Patient":
			e.Raw = nil // read again in the second pass
			found.patients = append(found.patients, e)
		default:
			found.about[e.About] += int64(len(e.Raw))
		}
		return nil
	})
	if found.err != nil {
		found.shared, found.kept = nil, nil
		return found
	}
	if !onePatientBundle(found) {
		found.kept = nil // routed resource by resource: read again per chunk
	}
	for i := range found.shared {
		found.shared[i].c = fhir.Check(found.shared[i].Resource)
	}
	return found
}

// takeFindings takes in what the first pass found in f.
func (r *importRun) takeFindings(f *inputFile, found fileFindings) {
	info := found.info
	f.rep.Format = info.Format
	if found.err != nil {
		f.failed = true
		f.rep.Error = fileError(found.err)
		return
	}
	for _, w := range info.Warnings {
		f.rep.warn(problemText(w))
	}
	r.indexShared(f, found.shared)
	for _, e := range found.patients {
		r.addPatient(f, e)
	}
	if onePatientBundle(found) {
		f.single = r.patientOf(patientKey(found.patients[0].Resource))
		f.single.bytes += info.Bytes
		f.single.own = append(f.single.own, f)
		r.keepFound(f, found)
		return
	}
	f.about = found.about
	f.routes = len(found.about) > 0 || len(found.patients) > 0
	for _, e := range found.patients {
		r.patientOf(patientKey(e.Resource)).routed = true
	}
}

// onePatientBundle says whether every resource of the file is its one
// patient's: a Bundle holding exactly one Patient.
func onePatientBundle(found fileFindings) bool {
	return strings.HasPrefix(found.info.Format, "bundle:") && len(found.patients) == 1
}

// keepFound holds what the first pass kept of f while the files taken in so
// far fit the first keptChunks chunks' budget; past it, no file is kept
// any more (workers stop copying), as those chunks are a prefix of the
// files.
func (r *importRun) keepFound(f *inputFile, found fileFindings) {
	if found.kept == nil || !r.keeping.Load() {
		return
	}
	if r.keptBytes+found.info.Bytes > keptChunks*r.opts.GroupBytes {
		r.keeping.Store(false)
		return
	}
	f.kept, r.keptBytes = found.kept, r.keptBytes+found.info.Bytes
}

// fileError says why a file was refused, with its line where known.
func fileError(err error) string {
	var p *fhir.Problem
	if errors.As(err, &p) {
		return problemText(*p) + "; nothing of this file was imported"
	}
	return err.Error() + "; nothing of this file was imported"
}

// indexShared indexes a file's shared resources (checked as they were
// read) and counts them: they name people and places for other records
// and are not chart records.
func (r *importRun) indexShared(f *inputFile, entries []checkedEntry) {
	for _, e := range entries {
		f.rep.warnAll(e.c)
		if e.c.Failed() {
			f.rep.count(e.Type, Failed, failText(e.Resource, e.c.Errors()))
			continue
		}
		e.Raw = e.c.Raw
		r.shared.Add(e.Entry)
		f.rep.count(e.Type, Skipped, "read to name people, places and drugs in other records; not a chart record of its own")
	}
}

// patientKey is a patient's canonical name: "Patient/id", else fullUrl,
// else its place in the input.
func patientKey(p fhir.Resource) string {
	switch {
	case p.ID != "":
		return "Patient/" + p.ID
	case p.FullURL != "":
		return p.FullURL
	}
	return p.At.String()
}

func (r *importRun) addPatient(f *inputFile, e fhir.Entry) {
	key := patientKey(e.Resource)
	slot := r.alias[key]
	if slot == nil {
		slot = &patientSlot{key: key, file: f}
		r.patients = append(r.patients, slot)
		r.alias[key] = slot
	}
	if e.FullURL != "" {
		if _, taken := r.alias[e.FullURL]; !taken {
			r.alias[e.FullURL] = slot
		}
	}
}

// patientOf finds the import's patient a reference names, or nil.
func (r *importRun) patientOf(ref string) *patientSlot {
	if ref == "" {
		return nil
	}
	if p := r.alias[ref]; p != nil {
		return p
	}
	if strings.Contains(ref, "/") && !strings.HasPrefix(ref, "urn:") {
		return r.alias[typeAndID(ref)]
	}
	return nil
}

// source names the sending system for a patient: the file it came from.
func sourceName(path string) string {
	return filepath.Base(path)
}
