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
	outs, errs, err := s.ImportPatients(ctx, []chart.PatientRecords{recs}, []chart.ImportOptions{opts})
	if err != nil {
		return chart.ImportOutcome{}, err
	}
	return outs[0], errs[0]
}

// ImportPatients imports several patients as ImportPatient does each, in
// one transaction, so a batch of small patients shares one commit and one
// sync of the write-ahead log (per patient they were most of a small
// patient's import). A patient still commits whole or not at all: when one
// fails (errs[i]), the transaction is rolled back, the patients before it
// are written again and committed without it, and the batch goes on after
// it. (Savepoints would keep the others' work, but SQLite then copies every
// page a statement touches into a statement journal, which made an import
// twice as slow.) err is the batch's own failure (the commit, the disk),
// and then nothing of it was written. recs and opts are parallel.
func (s *Session) ImportPatients(ctx context.Context, recs []chart.PatientRecords, opts []chart.ImportOptions) (
	outs []chart.ImportOutcome, errs []error, err error) {
	outs, errs = make([]chart.ImportOutcome, len(recs)), make([]error, len(recs))
	for pos, end := 0, len(recs); pos < len(recs); {
		failAt, perr, err := s.importTogether(ctx, recs[pos:end], opts[pos:end], outs[pos:end])
		switch {
		case err != nil:
			return nil, nil, err
		case perr == nil: // all of recs[pos:end] committed
			pos, end = end, len(recs)
		case failAt == 0: // that patient alone: nothing of it was written
			outs[pos], errs[pos] = chart.ImportOutcome{}, perr
			pos, end = pos+1, len(recs)
		default: // first commit those before it, then try it alone
			end = pos + failAt
		}
	}
	return outs, errs, nil
}

// importTogether imports recs in one transaction and commits them all, or,
// when patient failAt fails (perr), rolls everything back. err is a
// failure of the transaction itself.
func (s *Session) importTogether(ctx context.Context, recs []chart.PatientRecords, opts []chart.ImportOptions,
	outs []chart.ImportOutcome) (failAt int, perr, err error) {
	var indexed []chart.PatientID
	err = s.guardedImport("import patient", func() error {
		indexed = nil
		return s.w.write(ctx, func(t *tx) error {
			if err := useImportCache(ctx, t); err != nil {
				return err
			}
			failAt, perr = s.importAll(ctx, t, recs, opts, outs, &indexed)
			return perr
		})
	})
	if err != nil {
		s.reindex(ctx, indexed)
		if perr != nil {
			return failAt, perr, nil
		}
	}
	return 0, nil, err
}

// importAll imports recs one after the other inside t, noting in indexed
// the patients it put in the index; failAt is the patient that failed.
// Every patient is checked first, and the records of those that pass are
// sealed ahead on the spare cores while this goroutine writes
// (import_ahead.go).
func (s *Session) importAll(ctx context.Context, t *tx, recs []chart.PatientRecords, opts []chart.ImportOptions,
	outs []chart.ImportOutcome, indexed *[]chart.PatientID) (failAt int, perr error) {
	checked, bad := s.checkImports(recs)
	ahead, err := s.sealAhead(ctx, t, checked, bad, opts)
	if err != nil {
		return 0, wrapInternal("import patient", diskError(err))
	}
	defer ahead.stop()
	for i := range recs {
		var p *chart.Patient
		var err error
		if bad[i] != nil {
			return i, wrapInternal("import patient", diskError(bad[i]))
		}
		if outs[i], p, err = s.importIn(ctx, t, &checked[i], opts[i], ahead.patient(i)); err != nil {
			return i, wrapInternal("import patient", diskError(err))
		}
		if p != nil {
			s.index.Put(*p) // the batch's next patients match against it
			*indexed = append(*indexed, p.ID)
		}
	}
	return 0, nil
}

// checkImports checks each patient's records (in a copy: the caller's
// batch is never changed), bad[i] saying why patient i cannot be imported.
func (s *Session) checkImports(recs []chart.PatientRecords) (checked []chart.PatientRecords, bad []error) {
	checked, bad = make([]chart.PatientRecords, len(recs)), make([]error, len(recs))
	for i := range recs {
		checked[i] = cloneRecords(recs[i])
		bad[i] = validateImport(&checked[i], s.w.now().UTC())
	}
	return checked, bad
}

// reindex puts the patients a rolled-back batch had indexed back as the store
// holds them (or drops those it registered), so search and matching never
// show what was not committed.
func (s *Session) reindex(ctx context.Context, ids []chart.PatientID) {
	for _, id := range slices.Backward(ids) {
		row, err := loadRecord(ctx, s.w.db, kindPatient, string(id))
		if err != nil {
			s.index.Remove(id)
			continue
		}
		if p, err := openPatient(s.key, row.id, row.version, row.head, row.sealed); err == nil {
			s.index.Put(p)
		} else {
			s.index.Remove(id)
		}
	}
}

// importIn matches and writes (or holds) recs inside t, returning the
// patient to index when one was registered or changed. ahead (or nil)
// holds the records sealed ahead for the chart they were meant for.
func (s *Session) importIn(ctx context.Context, t *tx, recs *chart.PatientRecords, opts chart.ImportOptions,
	ahead *aheadPatient) (chart.ImportOutcome, *chart.Patient, error) {
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
	if err := newImportWriter(ctx, s, t, p.ID, &out, ahead).writeAll(recs); err != nil {
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
