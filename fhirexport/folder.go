package fhirexport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"outpost/chart"
)

// Source is what an export to a folder needs of a signed-in session: the
// practice and user (for the custodian and the disclosure), finding
// patients, and a patient's whole current chart, read and audited as a
// disclosure (sqlite.Session.PatientRecords).
type Source interface {
	User() chart.User
	Practice() chart.Practice
	// FindPatientsWith finds patients by query; with inactive it also
	// lists those out of the practice's lists (inactive, deceased): an
	// export by MRN reaches every chart.
	FindPatientsWith(ctx context.Context, query string, limit int, inactive bool) (chart.PatientSearch, error)
	// AllPatientIDs lists every chart, however many, active or not (a
	// practice export leaves none out; a chart merged into another goes
	// out with the survivor).
	AllPatientIDs(ctx context.Context) ([]chart.PatientID, error)
	PatientRecords(ctx context.Context, id chart.PatientID, purpose string) (chart.PatientRecords, error)
}

// FolderExport is one export into a folder a person named: one patient
// (by MRN) or the whole practice, as collection Bundles (one file per
// patient) or as Bulk Data NDJSON with its manifest. Each chart read is
// audited by the source as a disclosure, with Purpose.
type FolderExport struct {
	Src     Source
	Dir     string
	Format  string // bundle | ndjson
	Purpose string
	// Out receives a line per warning and the summary.
	Out io.Writer
	// Patients is how many charts were exported, once Run returns.
	Patients int
	// created are the files written, removed again if the export fails so
	// that no half export is left where the person chose.
	created []string
	open    []*os.File
}

// Run exports the patient with mrn, or everyone when mrn is "".
func (j *FolderExport) Run(ctx context.Context, mrn string) error {
	ids, err := j.patients(ctx, mrn)
	if err != nil {
		return err
	}
	return j.Export(ctx, ids)
}

// Export exports the patients with ids.
func (j *FolderExport) Export(ctx context.Context, ids []chart.PatientID) (err error) {
	if err := os.MkdirAll(j.Dir, 0o700); err != nil {
		return chart.Errorf(chart.EINVALID, "The export folder %s cannot be created (%v): choose another folder.", j.Dir, err)
	}
	defer func() {
		if err != nil {
			for _, f := range j.created {
				os.Remove(f)
			}
		}
	}()
	start := time.Now()
	opts := j.options()
	if j.Format == "bundle" {
		err = j.bundles(ctx, ids, opts)
	} else {
		err = j.ndjson(ctx, ids, opts)
	}
	if err == nil {
		j.Patients = len(ids)
		fmt.Fprintf(j.Out, "Exported %d patient(s) as FHIR R4 %s to %s in %.1f s.\n", len(ids), j.Format, j.Dir, time.Since(start).Seconds())
	}
	return err
}

func (j *FolderExport) options() Options {
	return OptionsFor(j.Src.Practice(), j.Src.User(), time.Now())
}

// patients are the ids to export: the one with mrn, or everyone.
func (j *FolderExport) patients(ctx context.Context, mrn string) ([]chart.PatientID, error) {
	if mrn == "" {
		return j.Src.AllPatientIDs(ctx)
	}
	found, err := j.Src.FindPatientsWith(ctx, mrn, 20, true)
	if err != nil {
		return nil, err
	}
	for _, p := range found.Patients {
		if strings.EqualFold(p.MRN, strings.TrimSpace(mrn)) {
			return []chart.PatientID{p.ID}, nil
		}
	}
	return nil, chart.Errorf(chart.ENOTFOUND, "No patient has the MRN %q.", mrn)
}

// bundles writes one collection Bundle per patient, named by MRN.
func (j *FolderExport) bundles(ctx context.Context, ids []chart.PatientID, opts Options) error {
	for _, id := range ids {
		recs, err := j.Src.PatientRecords(ctx, id, j.Purpose)
		if err != nil {
			return err
		}
		raw, err := PatientBundle(recs, opts)
		var warn *Warnings
		if errors.As(err, &warn) {
			fmt.Fprintf(j.Out, "Patient %s: %v\n", recs.Patient.MRN, warn)
		} else if err != nil {
			return err
		}
		name := recs.Patient.MRN
		if name == "" {
			name = string(id)
		}
		f, err := j.Create(name + ".json")
		if err != nil {
			return err
		}
		if _, err := f.Write(raw); err != nil {
			return chart.Errorf(chart.EINVALID, "%s.json could not be written (%v): check the drive has room.", name, err)
		}
	}
	return j.closeAll()
}

// ndjson writes the Bulk Data files, reading one chart at a time.
func (j *FolderExport) ndjson(ctx context.Context, ids []chart.PatientID, opts Options) error {
	i := 0
	next := func() (chart.PatientRecords, bool, error) {
		if i == len(ids) {
			return chart.PatientRecords{}, false, nil
		}
		i++
		recs, err := j.Src.PatientRecords(ctx, ids[i-1], j.Purpose)
		return recs, err == nil, err
	}
	m, err := PracticeNDJSON(j, next, opts)
	if err != nil {
		return err
	}
	if err := j.closeAll(); err != nil {
		return err
	}
	for _, o := range m.Error {
		fmt.Fprintf(j.Out, "Warnings in %s (%d): some records were left out; read it before sending the export.\n", o.URL, o.Count)
	}
	return nil
}

// Create opens a new file in the export folder; it never overwrites one.
func (j *FolderExport) Create(name string) (io.Writer, error) {
	path := filepath.Join(j.Dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, chart.Errorf(chart.EINVALID, "%s already exists: choose an empty folder for the export.", path)
	}
	if err != nil {
		return nil, err
	}
	j.created = append(j.created, path)
	j.open = append(j.open, f)
	return f, nil
}

func (j *FolderExport) closeAll() error {
	var first error
	for _, f := range j.open {
		if err := f.Sync(); err != nil && first == nil {
			first = err
		}
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	j.open = nil
	return first
}
