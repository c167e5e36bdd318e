package app

import (
	"fmt"
	"strings"
	"time"

	"outpost/chart"
	"outpost/printout"
)

// Print is bound to the frontend: the printable documents. Each returns the
// PDF for the frontend to show and print; nothing is written to disk, and
// every printout is audited as an export.
type Print struct{ a *App }

// Printout is a rendered PDF.
type Printout struct {
	FileName string `json:"fileName"`
	PDF      []byte `json:"pdfBase64"` // base64 in JSON
}

const maxRouteSize = 40

// printJob is what every single-patient printout starts from: the signed-in
// session, its chart service, and the patient's chart summary.
type printJob struct {
	s   chart.Session
	cs  chart.ChartService
	pid chart.PatientID
	sum chart.ChartSummary
}

// begin looks up the session and the patient's summary for one printout.
func (p *Print) begin(patient string) (printJob, error) {
	s, cs, err := p.services()
	if err != nil {
		return printJob{}, err
	}
	pid, err := patientID(patient)
	if err != nil {
		return printJob{}, err
	}
	sum, err := cs.ChartSummary(p.a.ctx, pid)
	if err != nil {
		return printJob{}, err
	}
	return printJob{s: s, cs: cs, pid: pid, sum: sum}, nil
}

// VisitSummary prints the summary of one encounter for the patient.
func (p *Print) VisitSummary(patient, encounterID string) (res Printout, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	eid, err := recordID(encounterID)
	if err != nil {
		return res, err
	}
	j, err := p.begin(patient)
	if err != nil {
		return res, err
	}
	enc, err := findEncounter(p, j.cs, j.pid, eid)
	if err != nil {
		return res, err
	}
	notes, err := j.cs.Notes(p.a.ctx, j.pid)
	if err != nil {
		return res, err
	}
	units, err := j.cs.PracticeUnits(p.a.ctx)
	if err != nil {
		return res, err
	}
	pdf, err := printout.VisitSummary(j.s.Practice(), j.sum, enc, notesOf(notes, eid), units, time.Now())
	return p.finish(j, "visit summary", "visit-summary", pdf, err)
}

// ImmunizationRecord prints a patient's immunization record.
func (p *Print) ImmunizationRecord(patient string) (res Printout, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	j, err := p.begin(patient)
	if err != nil {
		return res, err
	}
	ims, err := j.cs.Immunizations(p.a.ctx, j.pid)
	if err != nil {
		return res, err
	}
	pdf, err := printout.ImmunizationRecord(j.s.Practice(), j.sum.Patient, ims, time.Now())
	return p.finish(j, "immunization record", "immunizations", pdf, err)
}

// Prescription prints a prescription for one medication.
func (p *Print) Prescription(patient, medicationID string) (res Printout, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	mid, err := recordID(medicationID)
	if err != nil {
		return res, err
	}
	j, err := p.begin(patient)
	if err != nil {
		return res, err
	}
	meds, err := j.cs.Medications(p.a.ctx, j.pid)
	if err != nil {
		return res, err
	}
	for _, m := range meds {
		if m.ID == mid {
			// The clinician who prints a prescription signs the paper, so
			// they are the prescriber named on it (printout refuses anyone
			// who is not an active clinician).
			pdf, err := printout.Prescription(j.s.Practice(), j.sum.Patient, m, j.s.User(), time.Now())
			return p.finish(j, "prescription", "prescription", pdf, err)
		}
	}
	return res, chart.Errorf(chart.ENOTFOUND, "That medication is not on this patient's chart.")
}

// HomeVisitSheet prints a nurse's route: the chosen patients in order.
func (p *Print) HomeVisitSheet(patientIDs []string) (res Printout, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, cs, err := p.services()
	if err != nil {
		return res, err
	}
	if len(patientIDs) == 0 || len(patientIDs) > maxRouteSize {
		return res, chart.Errorf(chart.EINVALID, "Choose between 1 and %d patients for a home-visit sheet.", maxRouteSize)
	}
	sums := make([]chart.ChartSummary, 0, len(patientIDs))
	for _, id := range patientIDs {
		pid, err := patientID(id)
		if err != nil {
			return res, err
		}
		sum, err := cs.ChartSummary(p.a.ctx, pid)
		if err != nil {
			return res, err
		}
		sums = append(sums, sum)
	}
	units, err := cs.PracticeUnits(p.a.ctx)
	if err != nil {
		return res, err
	}
	pdf, err := printout.HomeVisitSheet(s.Practice(), sums, units, time.Now())
	if err != nil {
		return res, fmt.Errorf("render home-visit sheet: %w", err)
	}
	for _, sum := range sums {
		if err := cs.AuditExport(p.a.ctx, sum.Patient.ID, "home-visit sheet"); err != nil {
			return res, err
		}
	}
	return Printout{FileName: "home-visits-" + time.Now().Format("2006-01-02") + ".pdf", PDF: pdf}, nil
}

func (p *Print) services() (chart.Session, chart.ChartService, error) {
	s, err := p.a.current()
	if err != nil {
		return nil, nil, err
	}
	cs, err := p.a.chartService()
	return s, cs, err
}

// finish audits the export and names the file.
func (p *Print) finish(j printJob, what, slug string, pdf []byte, err error) (Printout, error) {
	if err != nil {
		return Printout{}, fmt.Errorf("render %s: %w", what, err)
	}
	if err := j.cs.AuditExport(p.a.ctx, j.pid, what); err != nil {
		return Printout{}, err
	}
	name := strings.ToLower(slug + "-" + j.sum.Patient.MRN + "-" + time.Now().Format("2006-01-02") + ".pdf")
	return Printout{FileName: name, PDF: pdf}, nil
}

func findEncounter(p *Print, cs chart.ChartService, pid chart.PatientID, id chart.RecordID) (chart.Encounter, error) {
	encs, err := cs.Encounters(p.a.ctx, pid)
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
