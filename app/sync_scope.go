package app

import (
	"context"

	"outpost/chart"
)

// scopeService is what the signed-in session offers for partial
// replication (the SQLite session implements it).
type scopeService interface {
	SyncScope(ctx context.Context) (chart.SyncScope, error)
	SetSyncScope(ctx context.Context, all bool, ids []chart.PatientID) (chart.SyncScope, error)
}

// ScopeDTO is which patients this workstation holds: the whole practice
// (all) or a chosen set, such as a nurse's route for the day.
type ScopeDTO struct {
	All      bool              `json:"all"`
	Patients []ScopePatientDTO `json:"patients"`
	// ByDate is set when the set follows a nurse's home visits.
	ByDate *chart.RouteByDate `json:"byDate"`
}

// ScopePatientDTO is one patient of a chosen set. Leaving: taken off the
// set, kept here until pendingChanges reach 0 and a sync removes it.
// Backfilling: added, its history still being fetched.
type ScopePatientDTO struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	MRN            string `json:"mrn"`
	PendingChanges int    `json:"pendingChanges"`
	Leaving        bool   `json:"leaving"`
	Backfilling    bool   `json:"backfilling"`
}

// Scope returns which patients this workstation holds.
func (sy *Sync) Scope() (ScopeDTO, error) {
	return callAs(sy.a, scopeWhat, func(ctx context.Context, ss scopeService) (ScopeDTO, error) {
		sc, err := ss.SyncScope(ctx)
		return scopeDTO(sc), err
	})
}

// SetScope makes this workstation hold the whole practice (all) or only
// patientIDs, and starts a sync so the change takes effect.
func (sy *Sync) SetScope(all bool, patientIDs []string) (ScopeDTO, error) {
	return callAs(sy.a, scopeWhat, func(ctx context.Context, ss scopeService) (ScopeDTO, error) {
		return sy.setScope(ctx, ss, all, patientIDs)
	})
}

func (sy *Sync) setScope(ctx context.Context, ss scopeService, all bool, patientIDs []string) (ScopeDTO, error) {
	ids := make([]chart.PatientID, len(patientIDs))
	for i, id := range patientIDs {
		ids[i] = chart.PatientID(id)
	}
	sc, err := ss.SetSyncScope(ctx, all, ids)
	if err != nil {
		return ScopeDTO{}, err
	}
	if sy.a.runner != nil {
		sy.a.runner.Trigger()
	}
	return scopeDTO(sc), nil
}

// SetRouteByDate makes this workstation hold the patients of nurse's home
// visits from today for days days, recomputed at every sync, and starts a
// sync so the change takes effect.
func (sy *Sync) SetRouteByDate(nurse string, days int) (ScopeDTO, error) {
	return onUser(sy.a, nurse, func(s chart.ScheduleService, ctx context.Context, id chart.UserID) (ScopeDTO, error) {
		sc, err := s.SetRouteByDate(ctx, id, days)
		if err == nil && sy.a.runner != nil {
			sy.a.runner.Trigger()
		}
		return scopeDTO(sc), err
	})
}

// scopeWhat names partial replication in errors.
const scopeWhat = "hold part of the practice"

func scopeDTO(sc chart.SyncScope) ScopeDTO {
	d := ScopeDTO{All: sc.All, ByDate: sc.ByDate, Patients: make([]ScopePatientDTO, 0, len(sc.Patients))}
	for _, p := range sc.Patients {
		d.Patients = append(d.Patients, ScopePatientDTO{ID: string(p.ID), Name: p.Name, MRN: p.MRN,
			PendingChanges: p.PendingChanges, Leaving: p.Leaving, Backfilling: p.Backfilling})
	}
	return d
}
