package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"outpost/chart"
)

// Billing basics (chart.BillingService). The practice's service codes are
// practice-wide records like tasks (one per code, sealed: a practice's fee
// schedule is its own business). Superbills are clinical records of their
// patient, saved through the clinical store like a problem or an allergy:
// they name diagnoses, so they are sealed, audited and synced with the
// patient, and entered in error rather than deleted.

var _ chart.BillingService = (*Session)(nil)

var serviceCodeSpec = pwSpec[chart.ServiceCode]{kind: chart.KindServiceCode,
	id:         func(c *chart.ServiceCode) string { return string(c.ID) },
	setVersion: func(c *chart.ServiceCode, v int64) { c.Version = v }}

var superbillSpec = saveSpec[chart.Superbill, *chart.Superbill]{kind: chart.KindSuperbill,
	validate: (*chart.Superbill).Validate, complete: completeSuperbill}

// ServiceCodes lists the practice's codes by code.
func (s *Session) ServiceCodes(ctx context.Context) ([]chart.ServiceCode, error) {
	var out []chart.ServiceCode
	err := s.guarded("list service codes", "", func() error {
		var err error
		out, err = serviceCodeSpec.list(ctx, s.w.db, s.key)
		slices.SortStableFunc(out, func(a, b chart.ServiceCode) int { return cmp.Compare(a.Code, b.Code) })
		return err
	})
	return out, err
}

// SaveServiceCode adds (ID "") or edits one of the practice's codes.
func (s *Session) SaveServiceCode(ctx context.Context, c chart.ServiceCode) (chart.ServiceCode, error) {
	err := s.guarded("save service code", chart.ActManagePractice, func() error {
		if err := c.Validate(); err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error {
			version, action, parents := int64(1), chart.AuditCreate, []chart.ChangeID(nil)
			if c.ID == "" {
				c.ID = chart.NewRecordID()
			} else {
				_, row, err := serviceCodeSpec.load(ctx, t, s.key, c.ID)
				if err != nil {
					return err
				}
				if row.version != c.Version {
					return errChangedUnderneath(chart.KindServiceCode)
				}
				version, action, parents = row.version+1, chart.AuditUpdate, []chart.ChangeID{row.head}
			}
			c.UpdatedAt, c.UpdatedBy = t.now, s.user.ID
			if err := serviceCodeSpec.put(ctx, s, t, &c, version, parents, nil); err != nil {
				return err
			}
			return s.audit(ctx, t, chart.AuditEntry{Action: action, RecordKind: chart.KindServiceCode, RecordID: string(c.ID),
				Detail: fmt.Sprintf("service code %s %q at %s (version %d)", c.Code, c.Description, chart.FormatCents(c.FeeCents), version)})
		})
	})
	if err != nil {
		return chart.ServiceCode{}, err
	}
	return c, nil
}

// resolveServiceCode settles a sync conflict on a service code.
var resolveServiceCode = serviceCodeSpec.resolver(func(s *Session, c *chart.ServiceCode) (string, error) {
	if err := s.check(chart.ActManagePractice); err != nil {
		return "", err
	}
	if err := c.Validate(); err != nil {
		return "", err
	}
	c.UpdatedBy = s.user.ID
	return fmt.Sprintf("service code %s", c.Code), nil
})

// completeSuperbill ties a superbill to an encounter of its patient, one
// superbill per encounter.
func completeSuperbill(ctx context.Context, s *Session, t *tx, b, old *chart.Superbill) (rowFlags, string, error) {
	if err := requireEncounter(ctx, t, b.EncounterID, b.PatientID); err != nil {
		return rowFlags{}, "", err
	}
	if old != nil {
		if old.EncounterID != b.EncounterID {
			return rowFlags{}, "", chart.FieldError("encounterId", "A superbill stays with its visit; start a new one from the other visit.")
		}
	} else {
		bills, err := listRecords[chart.Superbill](ctx, t, s.key, chartIDs{b.PatientID}, chart.KindSuperbill, false)
		if err != nil {
			return rowFlags{}, "", err
		}
		for _, other := range bills {
			if other.EncounterID == b.EncounterID {
				return rowFlags{}, "", chart.Errorf(chart.ECONFLICT, "This visit already has a superbill. Open it and edit it instead.")
			}
		}
	}
	return rowFlags{}, fmt.Sprintf(": %d services, %s", len(b.Lines), chart.FormatCents(b.TotalCents)), nil
}

// SaveSuperbill creates or edits the superbill of an encounter.
func (s *Session) SaveSuperbill(ctx context.Context, b chart.Superbill) (chart.Superbill, error) {
	return superbillSpec.save(ctx, s, b)
}

// Superbills lists a patient's superbills, oldest first.
func (s *Session) Superbills(ctx context.Context, id chart.PatientID) ([]chart.Superbill, error) {
	return listFor[chart.Superbill](ctx, s, id, chart.KindSuperbill)
}

// DayTotals sums the day's superbills per code. Clinical roles and
// administrators may see it: it names no patient and no diagnosis. A
// superbill that does not open is counted as such, never silently.
func (s *Session) DayTotals(ctx context.Context, date string) (chart.DayTotals, error) {
	out := chart.DayTotals{Date: date, ByCode: []chart.ServiceTotal{}}
	err := s.guarded("day totals", "", func() error {
		if !chart.Can(s.user.Role, chart.ActReadClinical) && !chart.Can(s.user.Role, chart.ActManagePractice) {
			return chart.Require(s.user.Role, chart.ActReadClinical)
		}
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return chart.FieldError("date", "Choose the day, written YYYY-MM-DD.")
		}
		bills, err := s.allSuperbills(ctx)
		if err != nil {
			return err
		}
		sumDay(&out, bills)
		return s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, RecordKind: chart.KindSuperbill,
				Detail: fmt.Sprintf("viewed the billing totals of %s: %d superbills", date, out.Superbills)})
		})
	})
	return out, err
}

func (s *Session) allSuperbills(ctx context.Context) ([]chart.Superbill, error) {
	rows, err := s.w.db.QueryContext(ctx, `SELECT `+clinicalColumns+` FROM records WHERE kind = ? ORDER BY id`, chart.KindSuperbill)
	if err != nil {
		return nil, fmt.Errorf("list superbills: %w", err)
	}
	var found []clinicalRow
	for rows.Next() {
		r, err := scanClinical(rows.Scan)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list superbills: %w", err)
		}
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list superbills: %w", err)
	}
	return openAll[chart.Superbill](s.key, found)
}

// sumDay adds the superbills of out.Date to out, per code (by code).
func sumDay(out *chart.DayTotals, bills []chart.Superbill) {
	byCode := map[string]*chart.ServiceTotal{}
	for _, b := range bills {
		if b.IsDamaged() {
			out.Unopened++ // its day is sealed inside it: say it exists
			continue
		}
		if b.EnteredInError != nil || b.Date != out.Date {
			continue
		}
		out.Superbills++
		out.TotalCents += b.TotalCents
		for _, l := range b.Lines {
			st := byCode[l.Code]
			if st == nil {
				st = &chart.ServiceTotal{Code: l.Code, Description: l.Description}
				byCode[l.Code] = st
			}
			st.Units += l.Units
			st.TotalCents += l.Amount()
		}
	}
	for _, st := range byCode {
		out.ByCode = append(out.ByCode, *st)
	}
	slices.SortFunc(out.ByCode, func(a, b chart.ServiceTotal) int { return cmp.Compare(a.Code, b.Code) })
}
