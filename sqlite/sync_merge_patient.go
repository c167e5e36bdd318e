package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"outpost/chart"
	"outpost/sync/apply"
	"outpost/sync/clock"
	"outpost/sync/merge"
)

// Merging a patient's demographic record after a pull: its versions
// opened, merged field by field, the winner made current with its clear
// columns (MRN tag, index) and its conflicts kept.

// patientVersion is one stored version of a patient record, opened.
type patientVersion struct {
	version int64
	sealed  []byte
	patient chart.Patient
	merge   merge.Version
}

// mergePatient re-merges every version of patient record id and makes the
// result current. ok is false when no version can be merged yet (parents
// still missing): the record is left as it was.
func (s *Session) mergePatient(ctx context.Context, t *tx, id string) (chart.Patient, int, bool, error) {
	versions, err := s.loadPatientVersions(ctx, t, id)
	if err != nil {
		return chart.Patient{}, 0, false, err
	}
	res, ok, err := mergeVersionsOf(versions, func(v patientVersion) merge.Version { return v.merge })
	if !ok || err != nil {
		return chart.Patient{}, 0, false, wrapMerge(kindPatient, id, err)
	}
	if len(res.Heads) == 1 {
		// Fast-forward; conflicts on fields the head did not write stay.
		v := versions[res.Heads[0]]
		err := s.setPatientHead(ctx, t, v.patient, res.Heads[0], v.sealed, res.Conflicts)
		return v.patient, len(res.Conflicts), true, err
	}
	p, head, err := mergedPatient(versions, res)
	if err != nil {
		return chart.Patient{}, 0, false, fmt.Errorf("merge patient %s: %w", id, apply.MergeFailed(err))
	}
	sealed, err := sealPatient(s.key, &p, head)
	if err != nil {
		return chart.Patient{}, 0, false, err
	}
	return p, len(res.Conflicts), true, s.setPatientHead(ctx, t, p, head, sealed, res.Conflicts)
}

// mergedPatient builds the merged patient, shown under the winning head
// (latest HLC, then change id) at the highest version among the heads, so
// the next local edit numbers after every head.
func mergedPatient(versions map[chart.ChangeID]patientVersion, res merge.Result) (chart.Patient, chart.ChangeID, error) {
	var p chart.Patient
	raw, err := json.Marshal(res.Fields)
	if err != nil {
		return p, "", err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, "", err
	}
	for _, h := range res.Heads {
		p.Version = max(p.Version, versions[h].version)
	}
	return p, merge.Winner(res, func(h chart.ChangeID) clock.Timestamp { return versions[h].merge.HLC }), nil
}

func (s *Session) loadPatientVersions(ctx context.Context, t *tx, id string) (map[chart.ChangeID]patientVersion, error) {
	rows, err := t.QueryContext(ctx, `SELECT change_id, version, `+mergeParents+`, hlc, device_id, user_id, `+changeSealed("changes")+`
		FROM changes WHERE record_id = ? AND kind = ?`, id, kindPatient)
	if err != nil {
		return nil, fmt.Errorf("load versions of patient %s: %w", id, err)
	}
	defer rows.Close()
	out := map[chart.ChangeID]patientVersion{}
	for rows.Next() {
		var cid chart.ChangeID
		var parents, stamp string
		var v patientVersion
		if err := rows.Scan(&cid, &v.version, &parents, &stamp, &v.merge.DeviceID, &v.merge.UserID, &v.sealed); err != nil {
			return nil, fmt.Errorf("load versions of patient %s: %w", id, err)
		}
		if err := s.openVersion(id, cid, parents, stamp, &v); err != nil {
			return nil, err
		}
		out[cid] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load versions of patient %s: %w", id, err)
	}
	return out, nil
}

// openVersion decrypts one version and fills its merge view.
func (s *Session) openVersion(id string, cid chart.ChangeID, parents, stamp string, v *patientVersion) error {
	pt, err := s.key.Open(v.sealed, recordAD(kindPatient, id, v.version, cid))
	if err != nil {
		return integrityError(id)
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &v.patient); err != nil || string(v.patient.ID) != id {
		return integrityError(id)
	}
	if err := v.patient.NamesShowAsStored(); err != nil {
		return apply.Hold(apply.ReasonContent, "the patient's name in it would display differently from what is stored (%s)",
			chart.ErrorMessage(err))
	}
	if err := json.Unmarshal(pt, &v.merge.Fields); err != nil {
		return integrityError(id)
	}
	if v.merge.Resolves, err = merge.SplitResolves(v.merge.Fields); err != nil {
		return integrityError(id)
	}
	if err := json.Unmarshal([]byte(parents), &v.merge.Parents); err != nil {
		return fmt.Errorf("patient %s change %s: parents: %w", id, cid, err)
	}
	ts, err := clock.ParseTimestamp(stamp)
	if err != nil {
		return fmt.Errorf("patient %s change %s: %w", id, cid, err)
	}
	v.merge.ChangeID, v.merge.HLC = cid, ts
	return nil
}

// setPatientHead makes sealed (p under head) the record's current version
// and replaces its kept conflicts.
func (s *Session) setPatientHead(ctx context.Context, t *tx, p chart.Patient, head chart.ChangeID, sealed []byte, conflicts []merge.Conflict) error {
	id := string(p.ID)
	tag, err := s.remoteMRNTag(ctx, t, p)
	if err != nil {
		return err
	}
	now := formatTime(t.now)
	_, err = t.exec(ctx, `INSERT INTO records (id, kind, patient_id, version, head_change_id, sealed, mrn_tag, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version, head_change_id = excluded.head_change_id,
			sealed = excluded.sealed, mrn_tag = excluded.mrn_tag, updated_at = excluded.updated_at`,
		id, kindPatient, id, p.Version, head, sealed, tag, now)
	if err != nil {
		return fmt.Errorf("write patient %s: %w", id, err)
	}
	return s.keepConflicts(ctx, t, kindPatient, id, conflicts, now)
}

// remoteMRNTag returns the MRN tag for a pulled patient, or nil when another
// patient here already holds that MRN (two workstations gave one MRN out
// offline): the record is still stored, without the uniqueness tag.
func (s *Session) remoteMRNTag(ctx context.Context, t *tx, p chart.Patient) ([]byte, error) {
	if p.MRN == "" {
		return nil, nil
	}
	tag := mrnTag(s.mrnKey, p.MRN)
	owner, err := mrnOwner(ctx, t, tag)
	if err != nil {
		return nil, err
	}
	if owner != "" && owner != string(p.ID) {
		slog.Warn("pulled patient shares an MRN with another patient", "record", p.ID, "other", owner)
		return nil, nil
	}
	return tag, nil
}
