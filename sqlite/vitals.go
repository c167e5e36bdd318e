package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"outpost/chart"
)

// metaPracticeUnits holds the practice's display units as JSON. They are a
// setting, not health data, so they are kept in clear.
const metaPracticeUnits = "practice_units"

func loadPracticeUnits(ctx context.Context, q queryer) (chart.PracticeUnits, error) {
	m, err := readMeta(ctx, q, metaPracticeUnits)
	if err != nil {
		return chart.PracticeUnits{}, fmt.Errorf("load practice units: %w", err)
	}
	raw, ok := m[metaPracticeUnits]
	if !ok {
		return chart.MetricUnits(), nil
	}
	var u chart.PracticeUnits
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		return chart.PracticeUnits{}, fmt.Errorf("load practice units: %w", err)
	}
	return withMetricDefaults(u), nil
}

// withMetricDefaults fills empty choices with the metric unit (what
// Validate means by an empty choice).
func withMetricDefaults(u chart.PracticeUnits) chart.PracticeUnits {
	m := chart.MetricUnits()
	if u.Weight == "" {
		u.Weight = m.Weight
	}
	if u.Height == "" {
		u.Height = m.Height
	}
	if u.Temperature == "" {
		u.Temperature = m.Temperature
	}
	return u
}

// PracticeUnits returns the practice's display units (metric by default).
// Clinical staff need them to chart vitals, administrators to set them.
func (s *Session) PracticeUnits(ctx context.Context) (chart.PracticeUnits, error) {
	var u chart.PracticeUnits
	err := s.guarded("practice units", "", func() error {
		if !chart.Can(s.user.Role, chart.ActReadClinical) {
			if err := chart.Require(s.user.Role, chart.ActManagePractice); err != nil {
				return err
			}
		}
		var err error
		u, err = loadPracticeUnits(ctx, s.w.db)
		return err
	})
	return u, err
}

// SetPracticeUnits changes the display units (administrators).
func (s *Session) SetPracticeUnits(ctx context.Context, u chart.PracticeUnits) (chart.PracticeUnits, error) {
	err := s.guarded("set practice units", chart.ActManagePractice, func() error {
		if err := u.Validate(); err != nil {
			return err
		}
		u = withMetricDefaults(u)
		raw, err := json.Marshal(u)
		if err != nil {
			return fmt.Errorf("encode practice units: %w", err)
		}
		return s.w.write(ctx, func(t *tx) error {
			if err := setMeta(ctx, t, metaPracticeUnits, raw); err != nil {
				return err
			}
			if err := s.pw().syncPractice(ctx, t); err != nil {
				return err
			}
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPracticeSetting,
				Detail: fmt.Sprintf("set vitals units: weight %s, height %s, temperature %s", u.Weight, u.Height, u.Temperature)})
		})
	})
	if err != nil {
		return chart.PracticeUnits{}, err
	}
	return u, nil
}

// RecordVitals converts an entry typed in the practice's units into
// canonical values, refuses impossible ones, and stores the set with its
// flags. takenAt defaults to now.
func (s *Session) RecordVitals(ctx context.Context, id chart.PatientID, encounter chart.RecordID, takenAt string, e chart.VitalsEntry) (chart.VitalsRecord, error) {
	v := chart.VitalsRecord{Meta: chart.Meta{PatientID: id}, EncounterID: encounter}
	err := s.guarded("record vitals", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			units, err := loadPracticeUnits(ctx, t)
			if err != nil {
				return err
			}
			if v.TakenAt, err = chart.ValidateLocalDateTime("takenAt", "The time taken", takenAt, t.now, false); err != nil {
				return err
			}
			if v.TakenAt == "" {
				v.TakenAt = t.now.Local().Format(chart.LocalDateTimeLayout)
			}
			born, err := s.birthDateOf(ctx, t, id)
			if err != nil {
				return err
			}
			if v.Signs, v.Flags, err = e.NormalizeAt(units, born, v.TakenAt[:len(time.DateOnly)]); err != nil {
				return err
			}
			if v.Flags == nil {
				v.Flags = []chart.VitalFlag{}
			}
			if encounter != "" {
				if err := requireEncounter(ctx, t, encounter, id); err != nil {
					return err
				}
			}
			if _, _, err := prepareWrite(ctx, s, t, chart.KindVitals, &v); err != nil {
				return err
			}
			v.TakenBy, v.TakenByName = s.user.ID, s.user.FullName
			if err := s.storeRecord(ctx, t, chart.KindVitals, &v.Meta, &v, nil, rowFlags{}); err != nil {
				return err
			}
			return s.audit(ctx, t, writeAudit(chart.KindVitals, &v.Meta, fmt.Sprintf(" (%d flagged)", len(v.Flags))))
		})
	})
	if err != nil {
		return chart.VitalsRecord{}, err
	}
	return v, nil
}

// Vitals lists a patient's vitals, oldest taken first, for trends.
func (s *Session) Vitals(ctx context.Context, id chart.PatientID) ([]chart.VitalsRecord, error) {
	vs, err := listFor[chart.VitalsRecord](ctx, s, id, chart.KindVitals)
	if err != nil {
		return nil, err
	}
	sortVitalsByTakenAt(vs)
	return vs, nil
}
