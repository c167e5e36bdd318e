package sqlite

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"

	"outpost/chart"
	"outpost/seal"
	hlc "outpost/sync"
)

const conflictsADLabel = "outpost/record-conflicts/v1"

// ApplyRemote stores one page of changes pulled from the practice server and
// moves next into the pull cursor, all in one transaction: either the whole
// page is applied and the cursor moves, or nothing changes and the page is
// pulled again. Changes already held (by change id) and this workstation's
// own changes are skipped, so applying a page twice is harmless. Each
// patient record a new change touches is re-merged (sync.MergeRecord): a
// single head becomes current as is (fast-forward); concurrent heads give a
// merged version shown under the winning change and their conflicts are
// kept, sealed.
// Clinical records and templates merge the same way (mergeKind), keeping
// their derived clear columns and never rewriting a note signed here.
// It returns how many chart changes were new (audit entries, which travel
// too, are not counted) and how many field conflicts the touched records
// now hold.
func (s *Session) ApplyRemote(ctx context.Context, changes []hlc.Change, next int64) (applied, conflicts int, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return 0, 0, err
	}
	var merged []chart.Patient
	err = s.w.write(ctx, func(t *tx) error {
		touched, n, audits, err := s.storeRemote(ctx, t, changes)
		if err != nil {
			return err
		}
		applied = n - audits
		if merged, conflicts, err = s.mergeTouched(ctx, t, touched); err != nil {
			return err
		}
		return s.finishApply(ctx, t, applied, audits, next)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("apply changes from the practice server: %w", err)
	}
	for _, p := range merged {
		s.index.Put(p)
	}
	return applied, conflicts, nil
}

// mergeTouched re-merges each touched record by its kind and returns the
// patients whose current version changed (for the index) and the number of
// field conflicts the touched records hold.
func (s *Session) mergeTouched(ctx context.Context, t *tx, touched []touchedRecord) ([]chart.Patient, int, error) {
	var merged []chart.Patient
	conflicts := 0
	defer func() { t.pre = nil }()
	for i, r := range touched {
		if i%preloadBatch == 0 {
			// Read the next batch's records up front; one batch at a time
			// keeps memory flat however many records a join merges.
			pre, err := preload(ctx, t, touched[i:min(i+preloadBatch, len(touched))])
			if err != nil {
				return nil, 0, err
			}
			t.pre = pre
		}
		p, nc, err := s.mergeOne(ctx, t, r)
		if err != nil {
			return nil, 0, err
		}
		conflicts += nc
		if p != nil {
			merged = append(merged, *p)
		}
	}
	return merged, conflicts, nil
}

// mergeOne re-merges one touched record by its kind; p is the patient
// when a patient record's current version changed.
func (s *Session) mergeOne(ctx context.Context, t *tx, r touchedRecord) (p *chart.Patient, conflicts int, err error) {
	if pm, ok := practiceMergers[r.kind]; ok {
		nc, err := pm(s, ctx, t, r.id)
		return nil, nc, err
	}
	if r.kind != kindPatient {
		nc, err := s.mergeKind(ctx, t, r.kind, r.id, kindMergers[r.kind])
		return nil, nc, err
	}
	pt, nc, ok, err := s.mergePatient(ctx, t, r.id)
	if err != nil || !ok {
		return nil, 0, err
	}
	return &pt, nc, nil
}

// mergesKind reports whether pulled changes of kind are merged into a
// current record here (others stay in the change log only).
func mergesKind(kind string) bool {
	_, clinical := kindMergers[kind]
	_, practiceWide := practiceMergers[kind]
	return clinical || practiceWide || kind == kindPatient
}

// touchedRecord names a record a pulled change wrote.
type touchedRecord struct{ kind, id string }

// storeRemote appends the new changes to the change log as already
// acknowledged, and returns the records they touch that this workstation
// merges (patients and kindMergers), sorted by kind then id, with how many
// changes were new and how many of those were audit entries.
func (s *Session) storeRemote(ctx context.Context, t *tx, changes []hlc.Change) (_ []touchedRecord, n, audits int, _ error) {
	touched := map[touchedRecord]bool{}
	now := formatTime(t.now)
	for i := range changes {
		c := &changes[i]
		if c.DeviceID == s.deviceID {
			continue
		}
		added, err := insertRemoteChange(ctx, t, c, now)
		if err != nil {
			return nil, 0, 0, err
		}
		if !added {
			continue
		}
		n++
		if c.Kind == kindAudit {
			audits++
		}
		s.observe(c.HLC)
		if h, ok := remoteHooks[c.Kind]; ok {
			if err := h(s, ctx, t, c); err != nil {
				return nil, 0, 0, fmt.Errorf("store change %s: %w", c.ChangeID, err)
			}
		}
		if mergesKind(c.Kind) {
			touched[touchedRecord{c.Kind, c.RecordID}] = true
		}
	}
	out := slices.Collect(maps.Keys(touched))
	slices.SortFunc(out, func(a, b touchedRecord) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id))
	})
	return out, n, audits, nil
}

// insertRemoteChange validates a pulled change and appends it to the change
// log as already acknowledged; added is false when it was held already.
func insertRemoteChange(ctx context.Context, t *tx, c *hlc.Change, now string) (added bool, err error) {
	if err := c.Validate(); err != nil {
		return false, err
	}
	parents, err := json.Marshal(nonNilParents(c.Parents))
	if err != nil {
		return false, fmt.Errorf("change %s: parents: %w", c.ChangeID, err)
	}
	res, err := t.ExecContext(ctx, `INSERT INTO changes (change_id, record_id, kind, patient_id, version, parents,
		hlc, device_id, user_id, sealed, created_at, acked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (change_id) DO NOTHING`,
		c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, string(parents), c.HLC, c.DeviceID, c.UserID,
		c.Sealed, now, now)
	if err != nil {
		return false, fmt.Errorf("store change %s: %w", c.ChangeID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func nonNilParents(p []chart.ChangeID) []chart.ChangeID {
	if p == nil {
		return []chart.ChangeID{}
	}
	return p
}

// observe moves the clock past a remote change, so a later local edit
// orders after what this workstation has seen. A clock far ahead is
// refused by the clock and only logged: the change itself is still stored.
func (s *Session) observe(stamp string) {
	ts, err := hlc.ParseTimestamp(stamp)
	if err == nil {
		_, err = s.w.clock.Observe(ts)
	}
	if err != nil {
		slog.Warn("remote change clock not observed", "err", err)
	}
}

// finishApply persists the clock and the cursor and audits the page.
func (s *Session) finishApply(ctx context.Context, t *tx, applied, audits int, next int64) error {
	cur, err := readPullCursor(ctx, t)
	if err != nil {
		return err
	}
	if err := setMeta(ctx, t, metaPullCursor, []byte(strconv.FormatInt(max(cur, next), 10))); err != nil {
		return err
	}
	if applied+audits == 0 {
		return nil
	}
	if err := setMeta(ctx, t, metaHLC, []byte(s.w.clock.Last().String())); err != nil {
		return err
	}
	return s.auditLocal(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate, // local only: see auditLocal
		Detail: fmt.Sprintf("applied %d changes and %d audit entries from the practice server", applied, audits)})
}

// mergeVersionsOf merges the opened versions of one record. ok is false
// (with no error) while no version can be merged yet: every one waits for
// a parent that has not arrived.
func mergeVersionsOf[V any](versions map[chart.ChangeID]V, view func(V) hlc.Version) (hlc.MergeResult, bool, error) {
	list := make([]hlc.Version, 0, len(versions))
	for _, v := range versions {
		list = append(list, view(v))
	}
	res, err := hlc.MergeRecord(list)
	if errors.Is(err, hlc.MergeErrIncomplete) {
		return res, false, nil
	}
	return res, err == nil, err
}

// wrapMerge names the record a merge failed for (nil stays nil).
func wrapMerge(kind, id string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("merge %s %s: %w", kind, id, err)
}

// patientVersion is one stored version of a patient record, opened.
type patientVersion struct {
	version int64
	sealed  []byte
	patient chart.Patient
	merge   hlc.Version
}

// mergePatient re-merges every version of patient record id and makes the
// result current. ok is false when no version can be merged yet (parents
// still missing): the record is left as it was.
func (s *Session) mergePatient(ctx context.Context, t *tx, id string) (chart.Patient, int, bool, error) {
	versions, err := s.loadPatientVersions(ctx, t, id)
	if err != nil {
		return chart.Patient{}, 0, false, err
	}
	res, ok, err := mergeVersionsOf(versions, func(v patientVersion) hlc.Version { return v.merge })
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
		return chart.Patient{}, 0, false, fmt.Errorf("merge patient %s: %w", id, err)
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
func mergedPatient(versions map[chart.ChangeID]patientVersion, res hlc.MergeResult) (chart.Patient, chart.ChangeID, error) {
	var p chart.Patient
	raw, err := json.Marshal(res.Fields)
	if err != nil {
		return p, "", err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, "", err
	}
	head := res.Heads[0]
	for _, h := range res.Heads {
		v, w := versions[h], versions[head]
		if c := v.merge.HLC.Compare(w.merge.HLC); c > 0 || c == 0 && h > head {
			head = h
		}
		p.Version = max(p.Version, v.version)
	}
	return p, head, nil
}

func (s *Session) loadPatientVersions(ctx context.Context, t *tx, id string) (map[chart.ChangeID]patientVersion, error) {
	rows, err := t.QueryContext(ctx, `SELECT change_id, version, parents, hlc, device_id, user_id, sealed
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
	if err := json.Unmarshal(pt, &v.merge.Fields); err != nil {
		return integrityError(id)
	}
	if v.merge.Resolves, err = splitResolves(v.merge.Fields); err != nil {
		return integrityError(id)
	}
	if err := json.Unmarshal([]byte(parents), &v.merge.Parents); err != nil {
		return fmt.Errorf("patient %s change %s: parents: %w", id, cid, err)
	}
	ts, err := hlc.ParseTimestamp(stamp)
	if err != nil {
		return fmt.Errorf("patient %s change %s: %w", id, cid, err)
	}
	v.merge.ChangeID, v.merge.HLC = cid, ts
	return nil
}

// setPatientHead makes sealed (p under head) the record's current version
// and replaces its kept conflicts.
func (s *Session) setPatientHead(ctx context.Context, t *tx, p chart.Patient, head chart.ChangeID, sealed []byte, conflicts []hlc.Conflict) error {
	id := string(p.ID)
	tag, err := s.remoteMRNTag(ctx, t, p)
	if err != nil {
		return err
	}
	now := formatTime(t.now)
	_, err = t.ExecContext(ctx, `INSERT INTO records (id, kind, patient_id, version, head_change_id, sealed, mrn_tag, updated_at)
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

// keepConflicts replaces the sealed conflicts kept for record id of kind.
func (s *Session) keepConflicts(ctx context.Context, t *tx, kind, id string, conflicts []hlc.Conflict, now string) error {
	if len(conflicts) == 0 && t.pre != nil && t.pre.ids[id] && !t.pre.conflicts[id] {
		return nil // preloaded: it has none to clear
	}
	if len(conflicts) == 0 {
		if _, err := t.ExecContext(ctx, `DELETE FROM record_conflicts WHERE record_id = ?`, id); err != nil {
			return fmt.Errorf("clear conflicts of %s: %w", id, err)
		}
		return nil
	}
	pt, err := json.Marshal(conflicts)
	if err != nil {
		return fmt.Errorf("encode conflicts of %s: %w", id, err)
	}
	defer clear(pt)
	sealed := s.key.Seal(pt, seal.AD(conflictsADLabel, kind, id))
	_, err = t.ExecContext(ctx, `INSERT INTO record_conflicts (record_id, kind, count, sealed, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET count = excluded.count,
		sealed = excluded.sealed, updated_at = excluded.updated_at`, id, kind, len(conflicts), sealed, now)
	if err != nil {
		return fmt.Errorf("keep conflicts of %s: %w", id, err)
	}
	return nil
}
