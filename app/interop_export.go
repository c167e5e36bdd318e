package app

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"outpost/chart"
	"outpost/fhirexport"
)

// Exports write FHIR R4 into a folder the person names (a USB stick, a
// shared folder), never anywhere unasked, and never over an existing file.
// Each chart read is a disclosure the store audits with the purpose given.

const exportWhat = "export charts"

// ExportDone says what an export wrote.
type ExportDone struct {
	Folder   string `json:"folder"`
	Patients int    `json:"patients"`
	Format   string `json:"format"`
}

// ExportPatient writes one patient's chart as a FHIR Bundle into folder.
func (i *Interop) ExportPatient(chartID, folder, purpose string) (ExportDone, error) {
	return callAs(i.a, exportWhat, func(ctx context.Context, src fhirexport.Source) (ExportDone, error) {
		pid, err := patientID(chartID)
		if err != nil {
			return ExportDone{}, err
		}
		return runExport(ctx, src, folder, "bundle", purpose, []chart.PatientID{pid})
	})
}

// ExportPractice writes every patient's chart as Bulk Data NDJSON with a
// manifest into folder (administrators and clinicians; the store decides).
func (i *Interop) ExportPractice(folder, purpose string) (ExportDone, error) {
	return callAs(i.a, exportWhat, func(ctx context.Context, src fhirexport.Source) (ExportDone, error) {
		return runExport(ctx, src, folder, "ndjson", purpose, nil)
	})
}

// runExport checks the folder and purpose, then writes the patients with
// ids (nil: everyone).
func runExport(ctx context.Context, src fhirexport.Source, folder, format, purpose string, ids []chart.PatientID) (ExportDone, error) {
	folder, err := exportFolder(folder)
	if err != nil {
		return ExportDone{}, err
	}
	if purpose = strings.TrimSpace(purpose); purpose == "" {
		return ExportDone{}, chart.FieldError("purpose", "Say why and to whom the records go: it is kept in the audit log.")
	}
	job := fhirexport.FolderExport{Src: src, Dir: folder, Format: format, Purpose: "FHIR export: " + purpose, Out: io.Discard}
	run := func() error { return job.Export(ctx, ids) }
	if ids == nil {
		run = func() error { return job.Run(ctx, "") }
	}
	if err := run(); err != nil {
		return ExportDone{}, err
	}
	return ExportDone{Folder: folder, Patients: job.Patients, Format: format}, nil
}

// exportFolder checks the folder a person typed or chose: a full path
// that exists.
func exportFolder(folder string) (string, error) {
	folder = strings.TrimSpace(folder)
	switch {
	case folder == "":
		return "", chart.FieldError("folder", "Choose the folder to export into.")
	case !filepath.IsAbs(folder):
		return "", chart.FieldError("folder", "Give the folder's full path, for example /media/usb/export.")
	}
	if st, err := os.Stat(folder); err != nil || !st.IsDir() {
		return "", chart.FieldError("folder", "%s is not there: plug in the drive or choose another folder.", folder)
	}
	return folder, nil
}
