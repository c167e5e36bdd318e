package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
	"outpost/printout"
)

// Print is bound to the frontend: the printable documents. Each returns the
// PDF for the frontend to show and print, written nowhere — except a
// referral (referral.go), whose letter and patient summary go into the
// folder the clinician names. Every printout is audited as an export.
type Print struct{ a *App }

// Printout is a rendered PDF.
type Printout struct {
	FileName string `json:"fileName"`
	PDF      []byte `json:"pdfBase64"` // base64 in JSON
}

const maxRouteSize = 40

// printJob is what every single-patient printout starts from: the signed-in
// session, and the patient's chart summary.
type printJob struct {
	ctx context.Context
	s   chart.Session
	pid chart.PatientID
	sum chart.ChartSummary
}

// onPrint runs one single-patient printout with the session and the
// patient's summary.
func (p *Print) onPrint(patient string, render func(j printJob) (Printout, error)) (Printout, error) {
	return onPatient(p.a, patient, func(s chart.Session, ctx context.Context, pid chart.PatientID) (Printout, error) {
		sum, err := s.ChartSummary(ctx, pid)
		if err != nil {
			return Printout{}, err
		}
		return render(printJob{ctx: ctx, s: s, pid: pid, sum: sum})
	})
}

// VisitSummary prints the summary of one encounter.
func (p *Print) VisitSummary(patient, encounterID string) (Printout, error) {
	return p.onPrint(patient, func(j printJob) (Printout, error) { return p.visitSummary(j, encounterID) })
}

func (p *Print) visitSummary(j printJob, encounterID string) (Printout, error) {
	eid, err := recordID(encounterID)
	if err != nil {
		return Printout{}, err
	}
	enc, err := findEncounter(j, eid)
	if err != nil {
		return Printout{}, err
	}
	notes, err := j.s.Notes(j.ctx, j.pid)
	if err != nil {
		return Printout{}, err
	}
	units, err := j.s.PracticeUnits(j.ctx)
	if err != nil {
		return Printout{}, err
	}
	pdf, err := printout.VisitSummary(j.s.Practice(), j.sum, enc, notesOf(notes, eid), units, time.Now())
	return finish(j, "visit summary", "visit-summary", pdf, err)
}

// ImmunizationRecord prints a patient's immunization record.
func (p *Print) ImmunizationRecord(patient string) (Printout, error) {
	return p.onPrint(patient, immunizationRecord)
}

func immunizationRecord(j printJob) (Printout, error) {
	ims, err := j.s.Immunizations(j.ctx, j.pid)
	if err != nil {
		return Printout{}, err
	}
	pdf, err := printout.ImmunizationRecord(j.s.Practice(), j.sum.Patient, ims, time.Now())
	return finish(j, "immunization record", "immunizations", pdf, err)
}

// Prescription prints a prescription for one medication.
func (p *Print) Prescription(patient, medicationID string) (Printout, error) {
	return p.onPrint(patient, func(j printJob) (Printout, error) { return prescription(j, medicationID) })
}

func prescription(j printJob, medicationID string) (Printout, error) {
	mid, err := recordID(medicationID)
	if err != nil {
		return Printout{}, err
	}
	meds, err := j.s.Medications(j.ctx, j.pid)
	if err != nil {
		return Printout{}, err
	}
	for _, m := range meds {
		if m.ID == mid {
			prescriber, err := j.s.OwnProfile(j.ctx)
			if err != nil {
				return Printout{}, err
			}
			pdf, err := printout.Prescription(j.s.Practice(), j.sum, m, prescriber, time.Now())
			return finish(j, "prescription", "prescription", pdf, err)
		}
	}
	return Printout{}, chart.Errorf(chart.ENOTFOUND, "That medication is not on this patient's chart.")
}

// HomeVisitSheet prints the day's route: one block per patient.
func (p *Print) HomeVisitSheet(patientIDs []string) (Printout, error) {
	return call(p.a, func(ctx context.Context, s chart.Session) (Printout, error) {
		return homeVisitSheet(ctx, s, patientIDs)
	})
}

func homeVisitSheet(ctx context.Context, s chart.Session, patientIDs []string) (Printout, error) {
	if len(patientIDs) == 0 || len(patientIDs) > maxRouteSize {
		return Printout{}, chart.Errorf(chart.EINVALID, "Choose between 1 and %d patients for a home-visit sheet.", maxRouteSize)
	}
	sums := make([]chart.ChartSummary, 0, len(patientIDs))
	for _, id := range patientIDs {
		pid, err := patientID(id)
		if err != nil {
			return Printout{}, err
		}
		sum, err := s.ChartSummary(ctx, pid)
		if err != nil {
			return Printout{}, err
		}
		sums = append(sums, sum)
	}
	units, err := s.PracticeUnits(ctx)
	if err != nil {
		return Printout{}, err
	}
	pdf, err := printout.HomeVisitSheet(s.Practice(), sums, units, time.Now())
	if err != nil {
		return Printout{}, fmt.Errorf("render home-visit sheet: %w", err)
	}
	for _, sum := range sums {
		if err := s.AuditExport(ctx, sum.Patient.ID, "home-visit sheet"); err != nil {
			return Printout{}, err
		}
	}
	return Printout{FileName: "home-visits-" + time.Now().Format("2006-01-02") + ".pdf", PDF: pdf}, nil
}

// finish audits a rendered single-patient printout as an export and names
// its file.
func finish(j printJob, what, slug string, pdf []byte, err error) (Printout, error) {
	if err != nil {
		return Printout{}, fmt.Errorf("render %s: %w", what, err)
	}
	if err := j.s.AuditExport(j.ctx, j.pid, what); err != nil {
		return Printout{}, err
	}
	name := strings.ToLower(slug + "-" + j.sum.Patient.MRN + "-" + time.Now().Format("2006-01-02") + ".pdf")
	return Printout{FileName: name, PDF: pdf}, nil
}

func findEncounter(j printJob, id chart.RecordID) (chart.Encounter, error) {
	encs, err := j.s.Encounters(j.ctx, j.pid)
	if err != nil {
		return chart.Encounter{}, err
	}
	for _, e := range encs {
		if e.ID == id {
			return e, nil
		}
	}
	return chart.Encounter{}, chart.Errorf(chart.ENOTFOUND, "That encounter is not on this patient's chart.")
}

func notesOf(notes []chart.Note, enc chart.RecordID) []chart.Note {
	var out []chart.Note
	for _, n := range notes {
		if n.EncounterID == enc {
			out = append(out, n)
		}
	}
	return out
}
