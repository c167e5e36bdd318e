package app

import (
	"outpost/chart"
)

// Patients is bound to the frontend: register, edit, find patients.
type Patients struct{ a *App }

const searchLimit = 50

// Search finds patients by any part of the name, date of birth, phone or MRN.
func (p *Patients) Search(query string) (res []chart.PatientSummary, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return nil, err
	}
	res, err = s.SearchPatients(p.a.ctx, query, searchLimit)
	return nonNil(res), err
}

// Find is Search with the number of patients that matched in all, so the
// list can say how many it is not showing.
func (p *Patients) Find(query string) (res chart.PatientSearch, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return res, err
	}
	res, err = s.FindPatients(p.a.ctx, query, searchLimit)
	res.Patients = nonNil(res.Patients)
	return res, err
}

// DateOrder is how the practice writes numeric dates, "dmy" or "mdy": the
// patient form reads a typed date of birth in it and says what it understood.
func (p *Patients) DateOrder() (res string, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return "", err
	}
	order, err := s.DateOrder(p.a.ctx)
	return string(order), err
}

// Register stores a new patient.
func (p *Patients) Register(pt chart.Patient) (res chart.Patient, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return res, err
	}
	return s.RegisterPatient(p.a.ctx, pt)
}

// Update stores a new version of a patient's demographics.
func (p *Patients) Update(pt chart.Patient) (res chart.Patient, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return res, err
	}
	return s.UpdatePatient(p.a.ctx, pt)
}

// Open returns a patient's current demographics (audited as a chart open).
func (p *Patients) Open(id string) (res chart.Patient, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return res, err
	}
	pid, err := patientID(id)
	if err != nil {
		return res, err
	}
	return s.OpenPatient(p.a.ctx, pid)
}

// History returns every version of a patient's demographics, newest first.
func (p *Patients) History(id string) (res []chart.PatientVersion, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return nil, err
	}
	pid, err := patientID(id)
	if err != nil {
		return nil, err
	}
	res, err = s.PatientHistory(p.a.ctx, pid)
	return nonNil(res), err
}

// Duplicates lists existing patients that look like pt.
func (p *Patients) Duplicates(pt chart.Patient) (res []chart.DuplicateCandidate, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	s, err := p.a.current()
	if err != nil {
		return nil, err
	}
	res, err = s.DuplicateCandidates(p.a.ctx, pt)
	return nonNil(res), err
}

// SuggestMRN proposes a medical record number for a new patient.
func (p *Patients) SuggestMRN() (res string, err error) {
	defer recoverTo(p.a.opts.Logger, &err)
	if _, err := p.a.current(); err != nil {
		return "", err
	}
	return chart.NewMRN(), nil
}

func patientID(s string) (chart.PatientID, error) {
	if !chart.ValidID(s) {
		return "", chart.Errorf(chart.EINVALID, "That patient link is not valid. Search for the patient again.")
	}
	return chart.PatientID(s), nil
}

// nonNil makes empty results arrive in JavaScript as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
