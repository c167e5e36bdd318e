package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/merge"
)

// Sync conflicts as people review them (chart.ConflictService). The merge
// keeps each record's conflicting fields sealed in record_conflicts; this
// file lists them for the roles that may read the record and settles them
// by writing a new version based on every head, which syncs like any edit
// and closes the conflict on every workstation. A signed note is never
// changed: its conflicts are dismissed (or kept as an addendum) through
// conflict_ack records (conflicts_signed.go).

var _ chart.ConflictService = (*Session)(nil)

// conflictReadAct is the permission that reading a conflict of kind needs
// ("" for kinds whose conflicts this service does not show).
func conflictReadAct(kind string) chart.Action {
	switch {
	case kind == kindPatient:
		return chart.ActReadDemographics
	case kind == chart.KindTemplate:
		return chart.ActWriteClinical // only those who write notes use templates
	case kind == chart.KindTask:
		return chart.ActReadDemographics // every role writes tasks
	case kind == chart.KindServiceCode:
		return chart.ActManagePractice // the practice's fee schedule
	case kind == kindConflictAck:
		return ""
	}
	if _, ok := kindMergers[kind]; ok {
		return chart.ActReadClinical
	}
	return ""
}

// conflictWriteAct is the permission that resolving a conflict of kind
// needs: the one that edits the kind.
func conflictWriteAct(kind string) chart.Action {
	switch act := conflictReadAct(kind); act {
	case chart.ActReadDemographics:
		return chart.ActWriteDemographics
	case chart.ActManagePractice:
		return chart.ActManagePractice
	case "":
		return ""
	default:
		return chart.ActWriteClinical
	}
}

// Conflicts lists every open conflict the user's role may read, one entry
// per field, sorted by patient name, then kind, then field. The listing is
// a chart read and is audited once.
func (s *Session) Conflicts(ctx context.Context) ([]chart.RecordConflict, error) {
	var out []chart.RecordConflict
	err := s.guarded("list sync conflicts", "", func() error {
		err := s.w.snapshot(ctx, func(q queryer) error {
			var err error
			out, err = s.readConflicts(ctx, q)
			return err
		})
		if err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen,
				Detail: fmt.Sprintf("reviewed sync conflicts: %d shown", len(out))})
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// conflictRow is one row of record_conflicts, opened.
type conflictRow struct {
	recordID, kind string
	patientID      chart.PatientID
	conflicts      []merge.Conflict
}

func (s *Session) readConflicts(ctx context.Context, q queryer) ([]chart.RecordConflict, error) {
	rows, err := s.conflictRows(ctx, q, "")
	if err != nil {
		return nil, err
	}
	acks, err := s.loadAcks(ctx, q)
	if err != nil {
		return nil, err
	}
	names := newConflictNames(s, q)
	out := []chart.RecordConflict{}
	for _, r := range rows {
		pname, err := names.patient(ctx, r.patientID)
		if err != nil {
			return nil, err
		}
		label, err := names.record(ctx, r.kind, r.recordID)
		if err != nil {
			return nil, err
		}
		for _, c := range r.conflicts {
			others := visibleOthers(c, acks, r.recordID)
			if len(others) == 0 {
				continue
			}
			rc := chart.RecordConflict{RecordID: r.recordID, Kind: r.kind, PatientID: r.patientID, PatientName: pname,
				RecordLabel: label, Field: c.Field, AgainstSigned: c.AgainstSigned}
			if rc.Shown, err = names.value(ctx, c.Winner); err != nil {
				return nil, err
			}
			for _, o := range others {
				v, err := names.value(ctx, o)
				if err != nil {
					return nil, err
				}
				rc.Others = append(rc.Others, v)
			}
			out = append(out, rc)
		}
	}
	slices.SortFunc(out, func(a, b chart.RecordConflict) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.PatientName), strings.ToLower(b.PatientName)),
			cmp.Compare(a.PatientID, b.PatientID), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.RecordID, b.RecordID))
	})
	return out, nil
}

// conflictRows opens the kept conflicts of every record the role may read
// (of one patient's records, unless patient is "").
func (s *Session) conflictRows(ctx context.Context, q queryer, patient chart.PatientID) ([]conflictRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.record_id, c.kind, c.sealed, coalesce(r.patient_id, '')
		FROM record_conflicts c LEFT JOIN records r ON r.id = c.record_id
		WHERE ?1 = '' OR r.patient_id = ?1 ORDER BY c.record_id`, string(patient))
	if err != nil {
		return nil, fmt.Errorf("list conflicts: %w", err)
	}
	defer rows.Close()
	var out []conflictRow
	for rows.Next() {
		var r conflictRow
		var sealed []byte
		if err := rows.Scan(&r.recordID, &r.kind, &sealed, &r.patientID); err != nil {
			return nil, fmt.Errorf("list conflicts: %w", err)
		}
		act := conflictReadAct(r.kind)
		if act == "" || !chart.Can(s.user.Role, act) {
			continue
		}
		if r.conflicts, err = s.openConflicts(r.kind, r.recordID, sealed); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Session) openConflicts(kind, id string, sealed []byte) ([]merge.Conflict, error) {
	pt, err := s.key.Open(sealed, seal.AD(conflictsADLabel, kind, id))
	if err != nil {
		return nil, recordIntegrityError(kind, id)
	}
	defer clear(pt)
	var out []merge.Conflict
	if err := json.Unmarshal(pt, &out); err != nil {
		return nil, recordIntegrityError(kind, id)
	}
	return out, nil
}

// visibleOthers are the values of c still to review: for a conflict
// against a signed note, those not yet dismissed.
func visibleOthers(c merge.Conflict, acks ackSet, recordID string) []merge.ConflictValue {
	if !c.AgainstSigned {
		return c.Others
	}
	var out []merge.ConflictValue
	for _, o := range c.Others {
		if !acks[ackKey{recordID, c.Field, o.ChangeID}] {
			out = append(out, o)
		}
	}
	return out
}

// PatientConflicts marks the records of patient id that have open
// conflicts the role may read. It shows no value, only which records and
// fields, on a chart whose opening was audited, so it is not audited again
// (the chart asks after every sync).
func (s *Session) PatientConflicts(ctx context.Context, id chart.PatientID) ([]chart.ConflictMark, error) {
	out := []chart.ConflictMark{}
	err := s.guarded("mark sync conflicts", chart.ActReadDemographics, func() error {
		if id == "" {
			return nil
		}
		return s.w.snapshot(ctx, func(q queryer) error {
			rows, err := s.conflictRows(ctx, q, id)
			if err != nil {
				return err
			}
			acks, err := s.loadAcks(ctx, q)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if m := openMark(r, acks); len(m.Fields) > 0 {
					out = append(out, m)
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// openMark is the mark of one record: its fields with values to review.
func openMark(r conflictRow, acks ackSet) chart.ConflictMark {
	m := chart.ConflictMark{RecordID: r.recordID, Kind: r.kind, Fields: []string{}}
	for _, c := range r.conflicts {
		if len(visibleOthers(c, acks, r.recordID)) > 0 {
			m.Fields = append(m.Fields, c.Field)
		}
	}
	slices.Sort(m.Fields)
	m.Fields = slices.Compact(m.Fields)
	return m
}

// conflictNames looks up and caches the patient, user and workstation
// names and the record labels a listing shows.
type conflictNames struct {
	s        *Session
	q        queryer
	patients map[chart.PatientID]string
	users    map[chart.UserID]string
	devices  map[chart.DeviceID]string
}

func newConflictNames(s *Session, q queryer) *conflictNames {
	return &conflictNames{s: s, q: q, patients: map[chart.PatientID]string{}, users: map[chart.UserID]string{},
		devices: map[chart.DeviceID]string{}}
}

func (n *conflictNames) patient(ctx context.Context, id chart.PatientID) (string, error) {
	if id == "" {
		return "", nil // a practice-wide record (a template)
	}
	if name, ok := n.patients[id]; ok {
		return name, nil
	}
	row, err := loadRecord(ctx, n.q, kindPatient, string(id))
	if chart.ErrorCode(err) == chart.ENOTFOUND {
		return "", nil // not held here (yet): list the conflict without a name
	}
	if err != nil {
		return "", err
	}
	p, err := openPatient(n.s.key, row.id, row.version, row.head, row.sealed)
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(p.GivenName + " " + p.FamilyName)
	n.patients[id] = name
	return name, nil
}

func (n *conflictNames) value(ctx context.Context, v merge.ConflictValue) (chart.ConflictValue, error) {
	name, ok := n.users[v.UserID]
	if !ok {
		err := n.q.QueryRowContext(ctx, `SELECT full_name FROM users WHERE id = ?`, string(v.UserID)).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) || name == "" {
			name, err = string(v.UserID), nil
		}
		if err != nil {
			return chart.ConflictValue{}, fmt.Errorf("find user %s: %w", v.UserID, err)
		}
		n.users[v.UserID] = name
	}
	device, ok := n.devices[v.DeviceID]
	if !ok {
		var err error
		if device, err = deviceName(ctx, n.q, v.DeviceID); err != nil {
			return chart.ConflictValue{}, err
		}
		n.devices[v.DeviceID] = device
	}
	return chart.ConflictValue{Value: v.Value, DeviceID: v.DeviceID, DeviceName: device, UserID: v.UserID,
		UserName: name, At: v.HLC.Time().UTC()}, nil
}
