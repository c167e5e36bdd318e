package app

import (
	"bytes"
	"context"
	"fmt"
	"outpost/cdsi"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"outpost/chart"
	"outpost/chart/care"
	"outpost/printout"
)

// Care is bound to the frontend: what a patient is due for, the
// clinician's decisions about it, the chronic-care registries and the
// practice's recall lists (printed, exported as CSV, contacts noted).
type Care struct{ a *App }

// careSvc names the care service in method expressions below.
type careSvc = chart.CareService

// careEngines produce the due items: the screening rules, and the CDSi
// immunization forecast (with the clinician's decisions applied to it).
var careEngines = []care.Engine{care.Screenings, care.WithDecisions(cdsi.DueItems)}

// enginesFor leaves out the engine whose every item a recall list's rule
// filter would drop: the forecast's rules are "cdsi-" ones and the
// screenings' never are, so a list of one screening needs no forecast (a
// whole immunization forecast a patient) and a list of one vaccine no
// screening.
func enginesFor(f care.RecallFilter) []care.Engine {
	switch {
	case f.RuleID == "":
		return careEngines
	case strings.HasPrefix(f.RuleID, cdsi.RuleID("")):
		return careEngines[1:]
	}
	return careEngines[:1]
}

// today is the day the rules evaluate on: the workstation's local date.
func today() time.Time { return time.Now() }

// Due lists what a patient is due for, most urgent first.
func (c *Care) Due(patientID string) ([]chart.DueItem, error) {
	return list(onPatient(c.a, patientID, func(s careSvc, ctx context.Context, id chart.PatientID) ([]chart.DueItem, error) {
		cc, err := s.CareChart(ctx, id)
		if err != nil {
			return nil, err
		}
		return care.DueWith(cc, today(), careEngines...), nil
	}))
}

// Decide records a due item done elsewhere, declined or not applicable
// (withdrawn with Chart.MarkEnteredInError, kind "care-decision").
func (c *Care) Decide(d chart.CareDecision) (chart.CareDecision, error) {
	return with(c.a, d, careSvc.SaveCareDecision)
}

// Contacted records a recall contact with a patient.
func (c *Care) Contacted(r chart.RecallContact) (chart.RecallContact, error) {
	return with(c.a, r, careSvc.SaveRecallContact)
}

// Registries lists the chronic-care registries offered.
func (c *Care) Registries() []care.Registry { return care.Registries }

// RegistryList is one registry's patients.
type RegistryList struct {
	Registry care.Registry      `json:"registry"`
	Settings care.Settings      `json:"settings"`
	Rows     []care.RegistryRow `json:"rows"`
}

// registrySvc is what a registry list needs of the session: the charts,
// and the practice whose targets judge them.
type registrySvc interface {
	chart.CareService
	Practice() chart.Practice
}

// Registry lists the patients of a registry with what is out of range or
// overdue (those first), judged on the practice's registry targets
// (Admin.SetRegistryTargets).
func (c *Care) Registry(id string) (RegistryList, error) {
	return with(c.a, id, func(s registrySvc, ctx context.Context, id string) (RegistryList, error) {
		return registry(ctx, s, id, s.Practice().Registry, today())
	})
}

func registry(ctx context.Context, s careSvc, id string, settings care.Settings, asOf time.Time) (RegistryList, error) {
	reg, ok := care.RegistryFor(id)
	if !ok {
		return RegistryList{}, chart.FieldError("registry", "There is no registry %q.", id)
	}
	settings = settings.WithDefaults()
	out := RegistryList{Registry: reg, Settings: settings, Rows: []care.RegistryRow{}}
	_, err := s.PracticeCare(ctx, "listed on the "+reg.Title+" registry", care.Keep(func(cc chart.CareChart) bool {
		row, ok := reg.Row(cc, settings, asOf)
		ok = ok && care.Listed(cc.Patient)
		if ok {
			out.Rows = append(out.Rows, row)
		}
		return ok
	}))
	sortRegistry(out.Rows)
	return out, err
}

// sortRegistry puts the rows asking for attention first, then by name.
func sortRegistry(rows []care.RegistryRow) {
	slices.SortStableFunc(rows, func(a, b care.RegistryRow) int {
		if a.Attention != b.Attention {
			return map[bool]int{true: -1, false: 1}[a.Attention]
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// RecallList is a recall list as a screen shows it: the first Limit
// patients, longest due first, of Total.
type RecallList struct {
	Rows  []care.RecallRow `json:"rows"`
	Total int              `json:"total"`
}

// Recalls lists the patients due (this month, overdue, or both) with
// their items and last contact.
func (c *Care) Recalls(f care.RecallFilter) (RecallList, error) {
	return with(c.a, f, func(s careSvc, ctx context.Context, f care.RecallFilter) (RecallList, error) {
		if f.Limit == 0 {
			f.Limit = care.DefaultRecallLimit
		}
		return recalls(ctx, s, f, "listed on the recall list", today())
	})
}

// recalls evaluates every chart, sorts those with items due, and returns
// the first f.Limit (all when 0), only those audited as listed.
func recalls(ctx context.Context, s careSvc, f care.RecallFilter, what string, asOf time.Time) (RecallList, error) {
	out := RecallList{Rows: []care.RecallRow{}}
	if err := f.Validate(); err != nil {
		return out, err
	}
	_, err := s.PracticeCare(ctx, what, func(all []chart.CareChart) []chart.CareChart {
		byID := map[chart.PatientID]chart.CareChart{}
		due := care.DueAll(all, asOf, enginesFor(f)...)
		for i, cc := range all {
			if row, ok := care.RecallRowFor(cc, due[i], f, asOf); ok {
				out.Rows = append(out.Rows, row)
				byID[cc.Patient.ID] = cc
			}
		}
		care.SortRecalls(out.Rows)
		out.Total = len(out.Rows)
		if f.Limit > 0 && len(out.Rows) > f.Limit {
			out.Rows = out.Rows[:f.Limit]
		}
		shown := make([]chart.CareChart, len(out.Rows))
		for i, r := range out.Rows {
			shown[i] = byID[r.PatientID]
		}
		return shown
	})
	return out, err
}

// RecallSaved says where a recall list was written.
type RecallSaved struct {
	Path     string `json:"path"`
	Patients int    `json:"patients"`
}

// ChooseExportFolder asks where to save a recall list ("" when cancelled).
func (c *Care) ChooseExportFolder() (string, error) {
	return ready(c.a, func(ctx context.Context) (string, error) {
		return c.a.dialogs().ChooseFolder(ctx, "Choose where to save the recall list")
	})
}

// ExportRecallsCSV writes the recall list as CSV into folder (each
// patient listed audited as exported on it).
func (c *Care) ExportRecallsCSV(f care.RecallFilter, folder string) (RecallSaved, error) {
	return with(c.a, f, func(s careSvc, ctx context.Context, f care.RecallFilter) (RecallSaved, error) {
		dir, err := exportFolder(folder)
		if err != nil {
			return RecallSaved{}, err
		}
		f.Limit = 0 // an export takes the whole list
		list, err := recalls(ctx, s, f, "exported on the recall list (CSV)", today())
		if err != nil {
			return RecallSaved{}, err
		}
		var b bytes.Buffer
		if err := care.WriteCSV(&b, list.Rows); err != nil {
			return RecallSaved{}, err
		}
		path := filepath.Join(dir, fmt.Sprintf("recall-%s%s.csv", today().Format("2006-01-02"), suffix(f.Status)))
		if err := writeWhole(path, b.Bytes()); err != nil {
			return RecallSaved{}, chart.FieldError("folder", "The recall list could not be saved there (%v). Check that the folder is writable and the disk not full.", err)
		}
		return RecallSaved{Path: path, Patients: len(list.Rows)}, nil
	})
}

// PrintRecalls renders the recall list as a PDF (each patient listed
// audited as printed on it).
func (c *Care) PrintRecalls(f care.RecallFilter) (Printout, error) {
	return callAs(c.a, "print the recall list", func(ctx context.Context, s chart.Session) (Printout, error) {
		svc, ok := s.(chart.CareService)
		if !ok {
			return Printout{}, chart.Errorf(chart.EINTERNAL, "This workstation cannot print the recall list.")
		}
		if f.Limit == 0 {
			f.Limit = care.DefaultRecallLimit
		}
		list, err := recalls(ctx, svc, f, "printed on the recall list", today())
		if err != nil {
			return Printout{}, err
		}
		units, err := s.PracticeUnits(ctx)
		if err != nil {
			return Printout{}, err
		}
		title := "Recall list" + map[string]string{care.RecallOverdue: ": overdue", care.RecallThisMonth: ": due this month"}[f.Status]
		if list.Total > len(list.Rows) {
			title += fmt.Sprintf(" (the first %d of %d)", len(list.Rows), list.Total)
		}
		pdf, err := printout.RecallList(s.Practice(), title, list.Rows, units, time.Now())
		if err != nil {
			return Printout{}, fmt.Errorf("render recall list: %w", err)
		}
		return Printout{FileName: "recall-" + today().Format("2006-01-02") + suffix(f.Status) + ".pdf", PDF: pdf}, nil
	})
}

func suffix(status string) string {
	if status == "" {
		return ""
	}
	return "-" + status
}
