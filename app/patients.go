package app

import (
	"context"

	"outpost/chart"
)

// Patients is bound to the frontend: register, edit, find patients.
type Patients struct{ a *App }

const searchLimit = 50

// ps names the patient service in method expressions below.
type ps = chart.PatientService

// Search finds patients by any part of the name, date of birth, phone or MRN.
func (p *Patients) Search(query string) ([]chart.PatientSummary, error) {
	return list(with(p.a, query, func(s ps, ctx context.Context, q string) ([]chart.PatientSummary, error) {
		return s.SearchPatients(ctx, q, searchLimit)
	}))
}

// Find is Search with the number of patients that matched in all, so the
// list can say how many it is not showing.
func (p *Patients) Find(query string) (chart.PatientSearch, error) {
	return with(p.a, query, func(s ps, ctx context.Context, q string) (chart.PatientSearch, error) {
		res, err := s.FindPatients(ctx, q, searchLimit)
		res.Patients = nonNil(res.Patients)
		return res, err
	})
}

// DateOrder is how the practice writes numeric dates, "dmy" or "mdy": the
// patient form reads a typed date of birth in it and says what it understood.
func (p *Patients) DateOrder() (string, error) {
	return get(p.a, func(s ps, ctx context.Context) (string, error) {
		order, err := s.DateOrder(ctx)
		return string(order), err
	})
}

// Register stores a new patient.
func (p *Patients) Register(pt chart.Patient) (chart.Patient, error) {
	return with(p.a, pt, ps.RegisterPatient)
}

// Update stores a new version of a patient's demographics.
func (p *Patients) Update(pt chart.Patient) (chart.Patient, error) {
	return with(p.a, pt, ps.UpdatePatient)
}

// Open returns a patient's current demographics (audited as a chart open).
func (p *Patients) Open(id string) (chart.Patient, error) {
	return onPatient(p.a, id, ps.OpenPatient)
}

// History returns every version of a patient's demographics, newest first.
func (p *Patients) History(id string) ([]chart.PatientVersion, error) {
	return list(onPatient(p.a, id, ps.PatientHistory))
}

// Duplicates lists existing patients that look like pt.
func (p *Patients) Duplicates(pt chart.Patient) ([]chart.DuplicateCandidate, error) {
	return list(with(p.a, pt, ps.DuplicateCandidates))
}

// SuggestMRN proposes a medical record number for a new patient.
func (p *Patients) SuggestMRN() (string, error) {
	return call(p.a, func(context.Context, chart.Session) (string, error) { return chart.NewMRN(), nil })
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

// pm names the merge service in method expressions below.
type pm = chart.PatientMerger

// FindWith is Find that, with inactive, also lists inactive, deceased and
// merged patients (the list's "show inactive").
func (p *Patients) FindWith(query string, inactive bool) (chart.PatientSearch, error) {
	return callAs(p.a, "list inactive patients", func(ctx context.Context, s pm) (chart.PatientSearch, error) {
		res, err := s.FindPatientsWith(ctx, query, searchLimit, inactive)
		res.Patients = nonNil(res.Patients)
		return res, err
	})
}

// PreviewMerge shows the two patients before retired is merged into survivor.
func (p *Patients) PreviewMerge(survivor, retired string) (chart.MergePreview, error) {
	return onPair(p.a, survivor, retired, pm.PreviewMerge)
}

// Merge retires patient retired into survivor (administrators).
func (p *Patients) Merge(survivor, retired string) (chart.Patient, error) {
	return onPair(p.a, survivor, retired, pm.MergePatients)
}

// UndoMerge gives a retired patient its own chart back (administrators).
func (p *Patients) UndoMerge(retired string) (chart.Patient, error) {
	return onPatient(p.a, retired, pm.UndoMerge)
}

// onPair is onPatient for two patient ids.
func onPair[T any](a *App, first, second string, fn func(pm, context.Context, chart.PatientID, chart.PatientID) (T, error)) (T, error) {
	return onPatient(a, first, func(s pm, ctx context.Context, one chart.PatientID) (T, error) {
		two, err := patientID(second)
		if err != nil {
			var zero T
			return zero, err
		}
		return fn(s, ctx, one, two)
	})
}
