package sqlite

import (
	"context"
	"fmt"
	"strings"

	"outpost/chart"
)

const (
	defaultSearchLimit = 50
	maxSearchLimit     = 500
)

// RegisterPatient validates and stores a new patient at version 1.
func (s *Session) RegisterPatient(ctx context.Context, p chart.Patient) (chart.Patient, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActWriteDemographics); err != nil {
		return chart.Patient{}, err
	}
	err := s.w.write(ctx, func(t *tx) error {
		if err := s.validatePatient(ctx, t, &p); err != nil {
			return err
		}
		p.ID, p.Version, p.Merged = chart.NewPatientID(), 1, nil
		p.CreatedAt, p.UpdatedAt, p.UpdatedBy = t.now, t.now, s.user.ID
		tag, err := s.claimMRN(ctx, t, &p)
		if err != nil {
			return err
		}
		if err := s.savePatient(ctx, t, &p, nil, tag); err != nil {
			return err
		}
		return s.audit(ctx, t, patientAudit(chart.AuditCreate, p.ID, "registered patient"))
	})
	if err != nil {
		return chart.Patient{}, wrapInternal("register patient", err)
	}
	s.index.Put(p)
	return p, nil
}

// UpdatePatient stores a new version of a patient. p.Version must be the
// version the edit started from.
func (s *Session) UpdatePatient(ctx context.Context, p chart.Patient) (chart.Patient, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActWriteDemographics); err != nil {
		return chart.Patient{}, err
	}
	if !chart.ValidID(string(p.ID)) {
		return chart.Patient{}, notFoundPatient()
	}
	err := s.w.write(ctx, func(t *tx) error {
		if err := s.validatePatient(ctx, t, &p); err != nil {
			return err
		}
		cur, err := loadRecord(ctx, t, kindPatient, string(p.ID))
		if err != nil {
			return err
		}
		if p.Version != cur.version {
			return chart.Errorf(chart.ECONFLICT, "Someone else changed this patient since you opened it. "+
				"Reopen the chart to see their changes, then make your edit again.")
		}
		old, err := openPatient(s.key, cur.id, cur.version, cur.head, cur.sealed)
		if err != nil {
			return err
		}
		if p.MRN == "" {
			p.MRN = old.MRN // an MRN can be corrected, not removed
		}
		p.Merged = old.Merged // only MergePatients and UndoMerge move the pointer
		tag, err := s.claimMRN(ctx, t, &p)
		if err != nil {
			return err
		}
		p.Version, p.CreatedAt, p.UpdatedAt, p.UpdatedBy = cur.version+1, old.CreatedAt, t.now, s.user.ID
		if err := s.savePatient(ctx, t, &p, []chart.ChangeID{cur.head}, tag); err != nil {
			return err
		}
		return s.audit(ctx, t, patientAudit(chart.AuditUpdate, p.ID, fmt.Sprintf("edited demographics (version %d)", p.Version)))
	})
	if err != nil {
		return chart.Patient{}, wrapInternal("update patient", err)
	}
	s.index.Put(p)
	return p, nil
}

// claimMRN returns the tag for p's MRN after checking no other patient holds
// it, generating a fresh MRN when p has none.
func (s *Session) claimMRN(ctx context.Context, t *tx, p *chart.Patient) ([]byte, error) {
	if p.MRN != "" {
		tag := mrnTag(s.mrnKey, p.MRN)
		owner, err := mrnOwner(ctx, t, tag)
		if err != nil {
			return nil, err
		}
		if owner != "" && owner != string(p.ID) {
			return nil, &chart.Error{Code: chart.ECONFLICT, Field: "mrn", Message: fmt.Sprintf(
				"The medical record number %s already belongs to another patient. "+
					"Search for it, or leave the field empty to generate a new one.", p.MRN)}
		}
		return tag, nil
	}
	for range maxMRNAttempts {
		mrn := chart.NewMRN()
		tag := mrnTag(s.mrnKey, mrn)
		owner, err := mrnOwner(ctx, t, tag)
		if err != nil {
			return nil, err
		}
		if owner == "" {
			p.MRN = mrn
			return tag, nil
		}
	}
	return nil, fmt.Errorf("no free MRN after %d attempts", maxMRNAttempts)
}

// savePatient seals p as a new change and makes it current. parents is nil
// for a new patient; for an edit the change names every head of the
// record (whatever parents says) and the record is re-merged when it had
// several heads or kept conflicts.
func (s *Session) savePatient(ctx context.Context, t *tx, p *chart.Patient, parents []chart.ChangeID, tag []byte) error {
	return s.savePatientResolving(ctx, t, p, parents, tag, nil)
}

// savePatientResolving is savePatient for a version that also settles the
// conflicts of resolves (sealed with it, see merge.ResolvesKey).
func (s *Session) savePatientResolving(ctx context.Context, t *tx, p *chart.Patient, parents []chart.ChangeID,
	tag []byte, resolves []string) error {
	lw, err := prepareLocal(ctx, t, kindPatient, string(p.ID), parents)
	if err != nil {
		return err
	}
	cid := chart.NewChangeID()
	sealed, err := sealPatientResolving(s.key, p, cid, resolves)
	if err != nil {
		return err
	}
	err = s.w.putRecord(ctx, t, s.key, s.deviceID, change{id: cid, kind: kindPatient, recordID: string(p.ID),
		patientID: string(p.ID), version: p.Version, parents: lw.parents, userID: s.user.ID, sealed: sealed, mrnTag: tag})
	if err != nil {
		return err
	}
	return s.finishLocal(ctx, t, kindPatient, string(p.ID), lw)
}

// OpenPatient returns a patient's current version and audits the chart open.
// A record that fails its integrity check is audited too, then reported.
func (s *Session) OpenPatient(ctx context.Context, id chart.PatientID) (chart.Patient, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActReadDemographics); err != nil {
		return chart.Patient{}, err
	}
	if !chart.ValidID(string(id)) {
		return chart.Patient{}, notFoundPatient()
	}
	row, err := loadRecord(ctx, s.w.db, kindPatient, string(id))
	if err != nil {
		return chart.Patient{}, wrapInternal("open patient", err)
	}
	p, openErr := openPatient(s.key, row.id, row.version, row.head, row.sealed)
	detail := "opened chart"
	if openErr != nil {
		detail = "opened chart: record failed its integrity check"
	}
	err = s.w.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, patientAudit(chart.AuditChartOpen, id, detail))
	})
	if err != nil {
		return chart.Patient{}, wrapInternal("open patient", err)
	}
	if openErr != nil {
		return chart.Patient{}, openErr
	}
	return p, nil
}

// PatientHistory returns every version of a patient, newest first.
func (s *Session) PatientHistory(ctx context.Context, id chart.PatientID) ([]chart.PatientVersion, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActReadDemographics); err != nil {
		return nil, err
	}
	if !chart.ValidID(string(id)) {
		return nil, notFoundPatient()
	}
	versions, err := s.loadHistory(ctx, id)
	if err != nil {
		return nil, wrapInternal("patient history", err)
	}
	err = s.w.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, patientAudit(chart.AuditChartOpen, id, "viewed demographic history"))
	})
	if err != nil {
		return nil, wrapInternal("patient history", err)
	}
	return versions, nil
}

func (s *Session) loadHistory(ctx context.Context, id chart.PatientID) ([]chart.PatientVersion, error) {
	versions, err := s.historyOf(ctx, kindPatient, string(id))
	if err != nil {
		return nil, err
	}
	if len(versions) == 0 {
		return nil, notFoundPatient()
	}
	out := make([]chart.PatientVersion, 0, len(versions))
	for _, hv := range versions {
		v := chart.PatientVersion{ChangeID: hv.change, Version: hv.version, Concurrent: hv.concurrent,
			DeviceName: hv.deviceName, ChangedBy: hv.user, ChangedByName: hv.userName}
		if v.ChangedAt, err = parseTime(hv.writtenAt); err != nil {
			return nil, err
		}
		if v.Patient, err = openPatient(s.key, string(id), hv.version, hv.change, hv.sealed); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SearchPatients searches the in-memory index. The hits are chart reads, so
// every search is audited (the query is sealed with the detail).
func (s *Session) SearchPatients(ctx context.Context, query string, limit int) ([]chart.PatientSummary, error) {
	found, err := s.searchIndex(ctx, query, limit, false, false)
	return found.Patients, err
}

// FindPatients is SearchPatients with the count of every match, so the list
// can say "50 of 137 shown" instead of stopping silently at 50.
func (s *Session) FindPatients(ctx context.Context, query string, limit int) (chart.PatientSearch, error) {
	return s.searchIndex(ctx, query, limit, true, false)
}

// FindPatientsWith is FindPatients that, with inactive, also lists the
// patients out of the lists by default (inactive, deceased, merged away).
func (s *Session) FindPatientsWith(ctx context.Context, query string, limit int, inactive bool) (chart.PatientSearch, error) {
	return s.searchIndex(ctx, query, limit, true, inactive)
}

// searchIndex runs and audits one search; count scans every patient to
// count the matches (PatientIndex.Find), else the scan may stop early.
func (s *Session) searchIndex(ctx context.Context, query string, limit int, count, inactive bool) (chart.PatientSearch, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActReadDemographics); err != nil {
		return chart.PatientSearch{}, err
	}
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	limit = min(limit, maxSearchLimit)
	var found chart.PatientSearch
	if count {
		found = s.index.FindWith(query, limit, inactive)
	} else {
		hits := s.index.Search(query, limit)
		found = chart.PatientSearch{Patients: hits, Total: len(hits)}
	}
	unreadable, err := stillUnreadable(ctx, s.w.db, s.unreadable)
	if err != nil {
		return chart.PatientSearch{}, wrapInternal("search patients", err)
	}
	found.Unreadable = unreadable
	detail := fmt.Sprintf("listed recent patients: %d shown", len(found.Patients))
	if q := strings.TrimSpace(query); q != "" {
		detail = fmt.Sprintf("searched patients for %q: %d results", q, found.Total)
		if found.Total > len(found.Patients) {
			detail += fmt.Sprintf(", %d shown", len(found.Patients))
		}
	}
	if inactive {
		detail += ", inactive included"
	}
	if unreadable > 0 {
		detail += "; " + countOf(int64(unreadable), "patient record", "patient records") + " could not be opened"
	}
	err = s.w.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditSearch, Detail: detail})
	})
	if err != nil {
		return chart.PatientSearch{}, wrapInternal("search patients", err)
	}
	return found, nil
}

// DuplicateCandidates lists existing patients that look like p. Showing
// them is a chart read, so a non-empty answer is audited.
func (s *Session) DuplicateCandidates(ctx context.Context, p chart.Patient) ([]chart.DuplicateCandidate, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActReadDemographics); err != nil {
		return nil, err
	}
	// The form may send the date of birth as typed ("12 Mar 1980"); compare
	// it as it will be stored.
	if order, err := s.dateOrder(ctx, s.w.db); err == nil {
		if iso, err := chart.ParseDate("birthDate", "Date of birth", p.BirthDate, order); err == nil {
			p.BirthDate = iso
		}
	}
	dups := s.index.Duplicates(p)
	if len(dups) > 0 {
		err := s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditSearch,
				Detail: fmt.Sprintf("checked for duplicates: %d possible", len(dups))})
		})
		if err != nil {
			return nil, wrapInternal("duplicate check", err)
		}
	}
	return dups, nil
}

// birthDateOf reads a patient's date of birth from the current sealed
// version (vitals are judged against the ranges for the patient's age).
func (s *Session) birthDateOf(ctx context.Context, q queryer, id chart.PatientID) (string, error) {
	if !chart.ValidID(string(id)) {
		return "", notFoundPatient()
	}
	row, err := loadRecord(ctx, q, kindPatient, string(id))
	if err != nil {
		return "", err
	}
	p, err := openPatient(s.key, row.id, row.version, row.head, row.sealed)
	if err != nil {
		return "", err
	}
	return p.BirthDate, nil
}

// validatePatient validates p in place, reading a typed date of birth in
// the practice's date order.
func (s *Session) validatePatient(ctx context.Context, t *tx, p *chart.Patient) error {
	order, err := s.dateOrder(ctx, t)
	if err != nil {
		return err
	}
	return p.ValidateFor(t.now, order)
}

func (s *Session) dateOrder(ctx context.Context, q queryer) (chart.DateOrder, error) {
	units, err := loadPracticeUnits(ctx, q)
	if err != nil {
		return "", err
	}
	return units.DateOrderOrDefault(), nil
}

// DateOrder returns how this practice writes numeric dates: its setting,
// else month/day/year when it weighs in pounds and day/month/year
// otherwise. Everyone who registers patients needs it.
func (s *Session) DateOrder(ctx context.Context) (chart.DateOrder, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActReadDemographics); err != nil {
		return "", err
	}
	order, err := s.dateOrder(ctx, s.w.db)
	if err != nil {
		return "", wrapInternal("date order", err)
	}
	return order, nil
}
