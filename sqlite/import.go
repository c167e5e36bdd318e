package sqlite

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"outpost/chart"
)

// ImportPatient writes one patient's imported records in one transaction:
// everything or nothing. The patient is matched to a chart (by identifier,
// else by names and date of birth; import_match.go) and merged into it, or
// registered; an uncertain match is held for a person (import_held.go) and
// nothing is written. A record whose id the store already holds is not
// written again (AlreadyPresent), so importing the same files twice adds
// nothing. Records go through the same sealing, versioning and change log
// as charted ones, so they sync; the import is audited once per patient.
func (s *Session) ImportPatient(ctx context.Context, recs chart.PatientRecords, opts chart.ImportOptions) (chart.ImportOutcome, error) {
	var out chart.ImportOutcome
	var indexed *chart.Patient
	err := s.guardedImport("import patient", func() error {
		recs = cloneRecords(recs)
		if err := validateImport(&recs, s.w.now().UTC()); err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error {
			var err error
			out, indexed, err = s.importIn(ctx, t, &recs, opts)
			return err
		})
	})
	if err != nil {
		return chart.ImportOutcome{}, err
	}
	if indexed != nil {
		s.index.Put(*indexed)
	}
	return out, nil
}

// importIn matches and writes (or holds) recs inside t, returning the
// patient to index when one was registered or changed.
func (s *Session) importIn(ctx context.Context, t *tx, recs *chart.PatientRecords, opts chart.ImportOptions) (
	chart.ImportOutcome, *chart.Patient, error) {
	out := chart.ImportOutcome{Imported: map[string]int{}, AlreadyPresent: map[string]int{}}
	dec, err := s.decideMatch(ctx, t, &recs.Patient, opts)
	if err != nil {
		return out, nil, err
	}
	if dec.held {
		out.Held = true
		return out, nil, s.holdImport(ctx, t, recs, opts, dec)
	}
	p, changed, err := s.importDemographics(ctx, t, recs.Patient, dec, &out)
	if err != nil {
		return out, nil, err
	}
	if err := newImportWriter(ctx, s, t, p.ID, &out).writeAll(recs); err != nil {
		return out, nil, err
	}
	if err := s.audit(ctx, t, importAudit(p.ID, opts, &out)); err != nil {
		return out, nil, err
	}
	if !changed {
		return out, nil, nil
	}
	return out, &p, nil
}

// guardedImport runs fn for someone who may import: an administrator
// (a practice's migration) or whoever writes clinical content (a lab's
// results); both also register patients.
func (s *Session) guardedImport(op string, fn func() error) error {
	return s.guarded(op, "", func() error {
		if err := s.mayImportExport(chart.ActWriteClinical); err != nil {
			return err
		}
		if err := chart.Require(s.user.Role, chart.ActWriteDemographics); err != nil {
			return err
		}
		return fn()
	})
}

// mayImportExport allows administrators (who move a practice's records in
// and out) and the roles that may act.
func (s *Session) mayImportExport(act chart.Action) error {
	if chart.Can(s.user.Role, act) || chart.Can(s.user.Role, chart.ActManagePractice) {
		return nil
	}
	return chart.Require(s.user.Role, act)
}

// importAudit is the one audit entry of a patient's import: its source
// and what it wrote.
func importAudit(patient chart.PatientID, opts chart.ImportOptions, out *chart.ImportOutcome) chart.AuditEntry {
	how := "into a new chart"
	if !out.Created {
		how = "into the existing chart (matched by " + string(out.Match) + ")"
	}
	detail := fmt.Sprintf("imported %s from %s (import %s): %s; already present: %s",
		how, fileOrUnknown(opts.File), opts.ImportID, countsText(out.Imported), countsText(out.AlreadyPresent))
	if len(out.Filled) > 0 {
		detail += "; filled " + strings.Join(out.Filled, ", ")
	}
	return chart.AuditEntry{Action: chart.AuditImport, PatientID: patient, RecordKind: kindPatient,
		RecordID: string(patient), Detail: detail}
}

func fileOrUnknown(f string) string {
	if f == "" {
		return "an unnamed file"
	}
	return f
}

// countsText is "3 encounter, 12 result" in a stable order, or "none".
func countsText(c map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(c)) {
		if c[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[k], k))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// cloneRecords copies the slices the store normalises in place, so the
// caller's batch is never changed under it.
func cloneRecords(r chart.PatientRecords) chart.PatientRecords {
	r.Patient.Identifiers = slices.Clone(r.Patient.Identifiers)
	r.Encounters, r.Problems, r.Medications = slices.Clone(r.Encounters), slices.Clone(r.Problems), slices.Clone(r.Medications)
	r.Allergies, r.Vitals, r.Results = slices.Clone(r.Allergies), slices.Clone(r.Vitals), slices.Clone(r.Results)
	r.Attachments, r.Immunizations, r.Notes = slices.Clone(r.Attachments), slices.Clone(r.Immunizations), slices.Clone(r.Notes)
	r.Procedures, r.SocialHistory, r.FamilyHistory = slices.Clone(r.Procedures), slices.Clone(r.SocialHistory), slices.Clone(r.FamilyHistory)
	r.Pregnancy, r.Sources = slices.Clone(r.Pregnancy), slices.Clone(r.Sources)
	return r
}
