package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"outpost/chart"
	"outpost/fhirexport"
)

// exportSource is what an export needs of a signed-in session: the
// practice and user (for the custodian and the disclosure), finding
// patients, and a patient's whole current chart, read and audited as a
// disclosure (sqlite.Session.PatientRecords).
type exportSource interface {
	User() chart.User
	Practice() chart.Practice
	FindPatients(ctx context.Context, query string, limit int) (chart.PatientSearch, error)
	PatientRecords(ctx context.Context, id chart.PatientID, purpose string) (chart.PatientRecords, error)
}

// patientLister lists every patient, however many; a store without it is
// limited to what one search lists (exportSearchLimit).
type patientLister interface {
	PatientIDs(ctx context.Context) ([]chart.PatientID, error)
}

const exportSearchLimit = 500

// cmdExport writes charts as FHIR R4: one patient (-patient MRN) or the
// whole practice, as collection Bundles (one file per patient) or as Bulk
// Data NDJSON with a manifest. Each chart read is audited as a disclosure
// by the signed-in user.
func cmdExport(ctx context.Context, args []string, out io.Writer) error {
	fs, data := flags("export")
	user := fs.String("user", "", "who exports (their username); the passphrase comes from $OUTPOST_PASSPHRASE or is asked")
	dir := fs.String("out", "", "the folder to write into (created if missing; existing files are never overwritten)")
	mrn := fs.String("patient", "", "export only the patient with this MRN")
	format := fs.String("format", "", "bundle (a FHIR Bundle per patient) or ndjson (Bulk Data); default bundle with -patient, else ndjson")
	purpose := fs.String("purpose", "FHIR export with outpostctl", "why and to whom the charts are disclosed (kept in the audit log)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *user == "" || *dir == "" {
		return fmt.Errorf("%w: give -user and -out", errUsage)
	}
	if *format == "" {
		*format = map[bool]string{true: "bundle", false: "ndjson"}[*mrn != ""]
	}
	if *format != "bundle" && *format != "ndjson" {
		return fmt.Errorf("%w: -format is bundle or ndjson", errUsage)
	}
	w, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer w.Close()
	pass, err := exportPassphrase(*user)
	if err != nil {
		return err
	}
	sess, err := w.SignIn(ctx, *user, pass)
	if err != nil {
		return err
	}
	defer sess.Lock(context.WithoutCancel(ctx))
	src, ok := sess.(exportSource)
	if !ok {
		return errors.New("this build's chart store cannot read a whole chart for export (Session.PatientRecords is missing)")
	}
	job := exportJob{src: src, dir: *dir, format: *format, purpose: *purpose, out: out}
	return job.run(ctx, *mrn)
}

// exportPassphrase is $OUTPOST_PASSPHRASE, else a line read from the
// terminal.
func exportPassphrase(user string) (string, error) {
	if p := os.Getenv("OUTPOST_PASSPHRASE"); p != "" {
		return p, nil
	}
	fmt.Fprintf(os.Stderr, "Passphrase for %s: ", user)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("no passphrase: set OUTPOST_PASSPHRASE or type it: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// exportJob is one run of the export command.
type exportJob struct {
	src     exportSource
	dir     string
	format  string
	purpose string
	out     io.Writer
	// created are the files written, removed again if the export fails so
	// that no half export is left where the person chose.
	created []string
	open    []*os.File
}

func (j *exportJob) run(ctx context.Context, mrn string) (err error) {
	ids, err := j.patients(ctx, mrn)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(j.dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the export folder %s: %w", j.dir, err)
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
	if j.format == "bundle" {
		err = j.bundles(ctx, ids, opts)
	} else {
		err = j.ndjson(ctx, ids, opts)
	}
	if err == nil {
		fmt.Fprintf(j.out, "Exported %d patient(s) as FHIR R4 %s to %s in %.1f s.\n", len(ids), j.format, j.dir, time.Since(start).Seconds())
	}
	return err
}

func (j *exportJob) options() fhirexport.Options {
	return fhirexport.OptionsFor(j.src.Practice(), j.src.User(), time.Now())
}

// patients are the ids to export: the one with mrn, or everyone.
func (j *exportJob) patients(ctx context.Context, mrn string) ([]chart.PatientID, error) {
	if mrn != "" {
		found, err := j.src.FindPatients(ctx, mrn, 20)
		if err != nil {
			return nil, err
		}
		for _, p := range found.Patients {
			if strings.EqualFold(p.MRN, strings.TrimSpace(mrn)) {
				return []chart.PatientID{p.ID}, nil
			}
		}
		return nil, fmt.Errorf("no patient has the MRN %q", mrn)
	}
	if l, ok := j.src.(patientLister); ok {
		return l.PatientIDs(ctx)
	}
	found, err := j.src.FindPatients(ctx, "", exportSearchLimit)
	if err != nil {
		return nil, err
	}
	if found.Total > len(found.Patients) {
		return nil, fmt.Errorf("the practice has %d patients and this build lists only %d at once: export them one by one with -patient",
			found.Total, len(found.Patients))
	}
	ids := make([]chart.PatientID, len(found.Patients))
	for i, p := range found.Patients {
		ids[i] = p.ID
	}
	return ids, nil
}

// bundles writes one collection Bundle per patient, named by MRN.
func (j *exportJob) bundles(ctx context.Context, ids []chart.PatientID, opts fhirexport.Options) error {
	for _, id := range ids {
		recs, err := j.src.PatientRecords(ctx, id, j.purpose)
		if err != nil {
			return err
		}
		raw, err := fhirexport.PatientBundle(recs, opts)
		var warn *fhirexport.Warnings
		if errors.As(err, &warn) {
			fmt.Fprintf(j.out, "Patient %s: %v\n", recs.Patient.MRN, warn)
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
			return fmt.Errorf("writing %s.json: %w", name, err)
		}
	}
	return j.closeAll()
}

// ndjson writes the Bulk Data files, reading one chart at a time.
func (j *exportJob) ndjson(ctx context.Context, ids []chart.PatientID, opts fhirexport.Options) error {
	i := 0
	next := func() (chart.PatientRecords, bool, error) {
		if i == len(ids) {
			return chart.PatientRecords{}, false, nil
		}
		i++
		recs, err := j.src.PatientRecords(ctx, ids[i-1], j.purpose)
		return recs, err == nil, err
	}
	m, err := fhirexport.PracticeNDJSON(j, next, opts)
	if err != nil {
		return err
	}
	if err := j.closeAll(); err != nil {
		return err
	}
	for _, o := range m.Error {
		fmt.Fprintf(j.out, "Warnings in %s (%d): some records were left out; read it before sending the export.\n", o.URL, o.Count)
	}
	return nil
}

// Create opens a new file in the export folder; it never overwrites one.
func (j *exportJob) Create(name string) (io.Writer, error) {
	path := filepath.Join(j.dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s already exists: choose an empty folder for the export", path)
	}
	if err != nil {
		return nil, err
	}
	j.created = append(j.created, path)
	j.open = append(j.open, f)
	return f, nil
}

func (j *exportJob) closeAll() error {
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
