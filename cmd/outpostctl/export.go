package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"outpost/fhirexport"
)

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
	sess, done, err := signIn(ctx, *data, *user)
	if err != nil {
		return err
	}
	defer done()
	src, ok := sess.(fhirexport.Source)
	if !ok {
		return errors.New("this build's chart store cannot read a whole chart for export (Session.PatientRecords is missing)")
	}
	job := fhirexport.FolderExport{Src: src, Dir: *dir, Format: *format, Purpose: *purpose, Out: out}
	return job.Run(ctx, *mrn)
}
