package sqlite

import (
	"context"
	"fmt"
	"strings"

	"outpost/chart"
)

var _ chart.AuditAnchorVerifier = (*Session)(nil)

// Audit lists audit entries (administrators only), with the names of the
// patients and workstations they name where this workstation knows them.
func (s *Session) Audit(ctx context.Context, f chart.AuditFilter) ([]chart.AuditEntry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActViewAudit); err != nil {
		return nil, err
	}
	entries, err := listAudit(ctx, s.w.db, s.key.Root(), f)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	if err := s.nameAuditEntries(ctx, entries); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return entries, nil
}

// VerifyAudit verifies the audit log without asking the practice server.
func (s *Session) VerifyAudit(ctx context.Context) (chart.AuditVerification, error) {
	return s.VerifyAuditAnchored(ctx, chart.AuditAnchor{State: chart.AuditServerNotAsked})
}

// VerifyAuditAnchored verifies this workstation's chains, the copies of the
// others' received by sync, and anchor (what the practice server returned,
// fetched by the caller: no lock is held across the network), and records
// that it did.
func (s *Session) VerifyAuditAnchored(ctx context.Context, anchor chart.AuditAnchor) (chart.AuditVerification, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActViewAudit); err != nil {
		return chart.AuditVerification{}, err
	}
	v, err := verifyPracticeAudit(ctx, s.w.db, s.key, s.deviceID, anchor)
	if err != nil {
		return v, fmt.Errorf("verify audit log: %w", err)
	}
	err = s.w.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditVerify, Detail: verificationDetail(v)})
	})
	if err != nil {
		return v, fmt.Errorf("verify audit log: %w", err)
	}
	return v, nil
}

// verificationDetail is the audit detail of a verification: what was found
// and checked, in a line.
func verificationDetail(v chart.AuditVerification) string {
	d := fmt.Sprintf("verified %d entries: intact", v.Entries)
	if v.FirstBadSeq != 0 {
		d = fmt.Sprintf("verified %d entries: first bad entry %d", v.Entries, v.FirstBadSeq)
	}
	d += fmt.Sprintf("; %d other workstations", v.Workstations)
	if v.Server.Seq != 0 {
		d += fmt.Sprintf("; practice server %s at entry %d", v.Server.State, v.Server.Seq)
	} else {
		d += "; practice server " + string(v.Server.State)
	}
	var kinds []string
	for _, b := range v.Breaks {
		kinds = append(kinds, fmt.Sprintf("%s at %d on %s", b.Kind, b.Seq, b.DeviceName))
	}
	if len(kinds) > 0 {
		d += "; breaks: " + strings.Join(kinds, ", ")
	}
	return d
}

// nameAuditEntries fills in patient and workstation names. Patient names
// come from the session's decrypted index (a patient not held here, on a
// route device, keeps only the id); workstation names from the practice's
// sealed device records.
func (s *Session) nameAuditEntries(ctx context.Context, entries []chart.AuditEntry) error {
	names, err := deviceNames(ctx, s.w.db)
	if err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		if e.PatientID != "" && s.index != nil {
			if p, ok := s.index.Summary(e.PatientID); ok {
				e.PatientName = chart.PatientDisplayName(p)
			}
		}
		if e.DeviceID == s.deviceID || e.DeviceID == "" {
			e.DeviceName = "This workstation"
		} else {
			e.DeviceName = workstationName(names, e.DeviceID)
		}
	}
	return nil
}
