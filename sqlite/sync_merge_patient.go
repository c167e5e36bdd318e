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
	h, ok, err := s.planPatient(ctx, t, id)
	if !ok || err != nil {
		return chart.Patient{}, 0, false, err
	}
	return h.patient, len(h.conflicts), true, s.setPatientHead(ctx, t, h)
}

// patientHead is a patient record merged and not yet written: what
// setPatientHead makes current.
type patientHead struct {
	patient   chart.Patient
	head      chart.ChangeID
	sealed    []byte
	conflicts []merge.Conflict
	own       bool // sealed is the head version's own bytes, patient decoded from them
}

// planPatient merges every version of patient record id without writing
// anything; ok is false when no version can be merged yet. A batch's
// preload has planned its patients already, on every core (planPatients).
func (s *Session) planPatient(ctx context.Context, t *tx, id string) (patientHead, bool, error) {
	if p, ok := t.pre.plannedPatient(id); ok {
		return p.head, p.ready, p.err
	}
	raws, err := t.versionsOf(ctx, kindPatient, id)
	if err != nil {
		return patientHead{}, false, fmt.Errorf("load versions of patient %s: %w", id, err)
	}
	return s.planPatientFrom(id, raws)
}

// planPatientFrom is planPatient on the stored versions raws of patient
// record id: no read or write of the store, so it may run on any
// goroutine.
func (s *Session) planPatientFrom(id string, raws []rawVersion) (patientHead, bool, error) {
	versions, err := s.openPatientVersions(id, raws)
	if err != nil {
		return patientHead{}, false, err
	}
	res, ok, err := mergeVersionsOf(versions, func(v patientVersion) merge.Version { return v.merge })
	if !ok || err != nil {
		return patientHead{}, false, wrapMerge(kindPatient, id, err)
	}
	if len(res.Heads) == 1 {
		// Fast-forward; conflicts on fields the head did not write stay.
		v := versions[res.Heads[0]]
		return patientHead{patient: v.patient, head: res.Heads[0], sealed: v.sealed, conflicts: res.Conflicts, own: true}, true, nil
	}
	p, head, err := mergedPatient(versions, res)
	if err != nil {
		return patientHead{}, false, fmt.Errorf("merge patient %s: %w", id, apply.MergeFailed(err))
	}
	sealed, err := sealPatient(s.key, &p, head)
	if err != nil {
		return patientHead{}, false, err
	}
	return patientHead{patient: p, head: head, sealed: sealed, conflicts: res.Conflicts}, true, nil
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

// openPatientVersions opens the stored versions raws of patient record id.
func (s *Session) openPatientVersions(id string, raws []rawVersion) (map[chart.ChangeID]patientVersion, error) {
	out := make(map[chart.ChangeID]patientVersion, len(raws))
	for _, raw := range raws {
		cid := chart.ChangeID(raw.cid)
		v := patientVersion{version: raw.version, sealed: raw.sealed}
		v.merge.DeviceID, v.merge.UserID = chart.DeviceID(raw.device), chart.UserID(raw.user)
		if err := s.openVersion(id, cid, raw.parents, raw.stamp, &v); err != nil {
			return nil, err
		}
		out[cid] = v
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
func (s *Session) setPatientHead(ctx context.Context, t *tx, h patientHead) error {
	p, id := h.patient, string(h.patient.ID)
	tag, err := s.remoteMRNTag(ctx, t, p)
	if err != nil {
		return err
	}
	now := formatTime(t.now)
	_, err = t.exec(ctx, `INSERT INTO records (id, kind, patient_id, version, head_change_id, sealed, mrn_tag, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version, head_change_id = excluded.head_change_id,
			sealed = excluded.sealed, mrn_tag = excluded.mrn_tag, updated_at = excluded.updated_at`,
		id, kindPatient, id, p.Version, h.head, h.sealed, tag, rowStamp(t.now))
	if err != nil {
		return fmt.Errorf("write patient %s: %w", id, err)
	}
	if t.pre != nil {
		t.pre.mrn.note(id, tag)
	}
	t.indexed.note(&p, h.head, h.sealed, h.own)
	return s.keepConflicts(ctx, t, kindPatient, id, h.conflicts, now)
}

// remoteMRNTag returns the MRN tag for a pulled patient, or nil when another
// patient here already holds that MRN (two workstations gave one MRN out
// offline): the record is still stored, without the uniqueness tag.
func (s *Session) remoteMRNTag(ctx context.Context, t *tx, p chart.Patient) ([]byte, error) {
	if p.MRN == "" {
		return nil, nil
	}
	tag := mrnTag(s.mrnKey, p.MRN)
	owner, known := "", false
	if t.pre != nil {
		owner, known = t.pre.mrn.lookup(tag)
	}
	if !known {
		var err error
		if owner, err = mrnOwner(ctx, t, tag); err != nil {
			return nil, err
		}
	}
	if owner != "" && owner != string(p.ID) {
		slog.Warn("pulled patient shares an MRN with another patient", "record", p.ID, "other", owner)
		return nil, nil
	}
	return tag, nil
}
