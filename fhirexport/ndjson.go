package fhirexport

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"outpost/chart"
)

// Files opens the output file of one resource type ("Patient.ndjson"):
// the caller decides where (a folder the person chose) and closes them
// after PracticeNDJSON returns.
type Files interface {
	Create(name string) (io.Writer, error)
}

// ManifestOutput is one file of the manifest.
type ManifestOutput struct {
	Type  string `json:"type"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

// Manifest is shaped like the SMART Bulk Data $export completion manifest:
// what was exported, when, and one output line per file. URLs are the
// file names, relative to the manifest. Error lists the OperationOutcome
// files (the warnings: damaged records left out, values FHIR cannot carry).
type Manifest struct {
	TransactionTime     string           `json:"transactionTime"`
	Request             string           `json:"request"`
	RequiresAccessToken bool             `json:"requiresAccessToken"`
	Output              []ManifestOutput `json:"output"`
	Error               []ManifestOutput `json:"error"`
	// Patients is Outpost's own count: the charts exported.
	Patients int `json:"patients"`
}

// ManifestName is the manifest's file name in the export folder.
const ManifestName = "manifest.json"

// PracticeNDJSON writes the whole practice as Bulk Data NDJSON: one file
// per resource type (Patient.ndjson, Observation.ndjson…), a line per
// resource, references relative ("Patient/<id>"), each practitioner and
// the practice once. next returns one patient's chart at a time (false
// when there are no more), so only one chart is in memory. Warnings go to
// OperationOutcome.ndjson, listed under the manifest's error. It returns
// the manifest it wrote.
func PracticeNDJSON(files Files, next func() (chart.PatientRecords, bool, error), opts Options) (*Manifest, error) {
	opts.RelativeRefs = true
	w := &ndjsonWriter{files: files, out: map[string]*ndjsonFile{}, seen: map[string]bool{}}
	m := &Manifest{TransactionTime: instant(opts.now()), Request: "outpost:export?_outputFormat=application/fhir+ndjson",
		Output: []ManifestOutput{}, Error: []ManifestOutput{}}
	for {
		recs, ok, err := next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		m.Patients++
		if err := w.patient(recs, opts); err != nil {
			return nil, err
		}
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	for _, t := range w.order {
		o := ManifestOutput{Type: t, URL: t + ".ndjson", Count: w.out[t].count}
		if t == "OperationOutcome" {
			m.Error = append(m.Error, o)
		} else {
			m.Output = append(m.Output, o)
		}
	}
	sort.Slice(m.Output, func(i, j int) bool { return m.Output[i].Type < m.Output[j].Type })
	mw, err := files.Create(ManifestName)
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(mw)
	enc.SetIndent("", "  ")
	return m, enc.Encode(m)
}

type ndjsonFile struct {
	w     *bufio.Writer
	count int
}

type ndjsonWriter struct {
	files Files
	out   map[string]*ndjsonFile
	order []string
	// seen are the shared resources (practitioners, the practice) already
	// written by an earlier patient.
	seen map[string]bool
}

func (w *ndjsonWriter) patient(recs chart.PatientRecords, opts Options) error {
	entries, err := Resources(recs, opts)
	var warn *Warnings
	if err != nil && !errors.As(err, &warn) {
		return fmt.Errorf("exporting patient %s: %w", recs.Patient.MRN, err)
	}
	for _, e := range entries {
		if e.Type == "Practitioner" || e.Type == "Organization" {
			if w.seen[e.FullURL] {
				continue
			}
			w.seen[e.FullURL] = true
		}
		if err := w.write(e.Type, e.Resource); err != nil {
			return err
		}
	}
	if warn != nil {
		return w.write("OperationOutcome", warningOutcome(recs, warn))
	}
	return nil
}

func (w *ndjsonWriter) write(typ string, res any) error {
	f, ok := w.out[typ]
	if !ok {
		out, err := w.files.Create(typ + ".ndjson")
		if err != nil {
			return err
		}
		f = &ndjsonFile{w: bufio.NewWriterSize(out, 64<<10)}
		w.out[typ] = f
		w.order = append(w.order, typ)
	}
	line, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("fhirexport: writing a %s: %w", typ, err)
	}
	f.count++
	f.w.Write(line)
	return f.w.WriteByte('\n')
}

func (w *ndjsonWriter) flush() error {
	for _, t := range w.order {
		if err := w.out[t].w.Flush(); err != nil {
			return fmt.Errorf("fhirexport: writing %s.ndjson: %w", t, err)
		}
	}
	return nil
}

// operationOutcome is a warning of the export, about one patient.
type operationOutcome struct {
	ResourceType string         `json:"resourceType"`
	ID           string         `json:"id"`
	Issue        []outcomeIssue `json:"issue"`
}

type outcomeIssue struct {
	Severity    string `json:"severity"`
	Code        string `json:"code"`
	Diagnostics string `json:"diagnostics"`
}

func warningOutcome(recs chart.PatientRecords, warn *Warnings) operationOutcome {
	return operationOutcome{ResourceType: "OperationOutcome", ID: derivedID(string(recs.Patient.ID), "export-warnings"),
		Issue: []outcomeIssue{{Severity: "warning", Code: "incomplete",
			Diagnostics: fmt.Sprintf("Patient %s (MRN %s): %s", resourceID(string(recs.Patient.ID)), recs.Patient.MRN, warn.Error())}}}
}
