package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/apply"
	"outpost/sync/clock"
	"outpost/sync/merge"
)

// Clinical records (and note templates) merge like patients: every stored
// version is opened, merge.Record picks the fields, and the result is
// sealed under the winning head. What differs per kind is how a version is
// opened and checked, and the clear columns derived from the content
// (locked, to_review, sealed_summary), which must be recomputed from the
// merged record rather than copied from whichever version won.

// storedVersion is one version of a record as the change log holds it.
type storedVersion struct {
	kind, id, patientID string
	version             int64
	cid                 chart.ChangeID
	sealed              []byte
	// fastForward: this version becomes current exactly as written, so a
	// build need not seal it again (only derive its clear columns).
	fastForward bool
}

// builtRow is a merged record ready to become the current row.
type builtRow struct {
	sealed  []byte
	flags   rowFlags
	summary []byte
}

// kindMerger opens and re-seals the versions of one kind.
type kindMerger struct {
	// open decrypts v, checks it belongs where it was found, and returns
	// its top-level JSON fields, with the fields it resolves under
	// merge.ResolvesKey (the caller splits them off).
	open func(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error)
	// build seals merged fields as version of record id under head, with
	// the row's derived columns.
	build func(key *seal.Keyring, fields map[string]json.RawMessage, v storedVersion) (builtRow, error)
	// fastForward opens v with every check open makes and builds its row
	// from the record as opened, for a version that becomes current as
	// written (the delta merge, sync_merge_delta.go): its fields need no
	// splitting, merging and decoding back. nil: open, merge and build.
	fastForward func(key *seal.Keyring, v storedVersion) (builtRow, error)
	// signable: a version of this kind can be signed (a note), so its
	// merge can differ from its last version even along one line of
	// history, and it never takes the delta merge (sync_merge_delta.go).
	signable bool
}

// kindMergers are the kinds ApplyRemote merges besides patients. Others
// (none written today) are stored in the change log only.
var kindMergers = map[string]kindMerger{
	chart.KindEncounter:      clinicalMerger[chart.Encounter](),
	chart.KindNote:           clinicalMerger[chart.Note](),
	chart.KindProblem:        clinicalMerger[chart.Problem](),
	chart.KindMedication:     clinicalMerger[chart.Medication](),
	chart.KindAllergy:        clinicalMerger[chart.Allergy](),
	chart.KindVitals:         clinicalMerger[chart.VitalsRecord](),
	chart.KindResult:         clinicalMerger[chart.Result](),
	chart.KindImmunization:   clinicalMerger[chart.Immunization](),
	chart.KindAttachment:     clinicalMerger[chart.Attachment](),
	chart.KindChartFlags:     clinicalMerger[chart.ChartFlags](),
	chart.KindFamily:         clinicalMerger[chart.FamilyHistory](),
	chart.KindSocial:         clinicalMerger[chart.SocialHistory](),
	chart.KindPregnancy:      clinicalMerger[chart.PregnancyStatus](),
	chart.KindProcedure:      clinicalMerger[chart.Procedure](),
	chart.KindCareDecision:   clinicalMerger[chart.CareDecision](),
	chart.KindRecallContact:  clinicalMerger[chart.RecallContact](),
	chart.KindSourceDocument: clinicalMerger[chart.SourceDocument](),
	chart.KindTemplate:       {open: openTemplateFields, build: buildTemplate},
	chart.KindTask:           taskSpec.merger(),
	chart.KindServiceCode:    serviceCodeSpec.merger(),
	chart.KindSuperbill:      clinicalMerger[chart.Superbill](),
	chart.KindAppointment:    clinicalMerger[chart.Appointment](),
	kindConflictAck:          ackMerger,
}

func clinicalMerger[T any, P recordPtr[T]]() kindMerger {
	_, signable := any(P(new(T))).(interface{ Signed() bool })
	return kindMerger{
		signable: signable,
		open: func(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error) {
			// openSealed checks the ids, the version and a note's signature.
			rec, resolves, err := openSealedResolves[T, P](key, v.kind, v.id, v.patientID, v.version, v.cid, v.sealed)
			return mergeFields(&rec, resolves, err)
		},
		fastForward: func(key *seal.Keyring, v storedVersion) (builtRow, error) {
			// openSealed checks what build checks: the ids and the version.
			rec, _, err := openSealedResolves[T, P](key, v.kind, v.id, v.patientID, v.version, v.cid, v.sealed)
			if err != nil {
				return builtRow{}, err
			}
			out, err := derivedColumns(key, &rec, v)
			out.sealed = v.sealed
			return out, err
		},
		build: func(key *seal.Keyring, fields map[string]json.RawMessage, v storedVersion) (builtRow, error) {
			var rec T
			if err := decodeFields(fields, &rec); err != nil {
				return builtRow{}, recordIntegrityError(v.kind, v.id)
			}
			m := P(&rec).RecordMeta()
			m.Version = v.version
			if string(m.ID) != v.id || string(m.PatientID) != v.patientID {
				return builtRow{}, recordIntegrityError(v.kind, v.id)
			}
			out, err := derivedColumns(key, &rec, v)
			if err != nil || v.fastForward {
				return out, err // a fast-forward keeps the sealed version as written
			}
			out.sealed, err = sealClinical(key, v.kind, m, &rec, v.cid)
			return out, err
		},
	}
}

// derivedColumns computes the clear columns of a row from its content, as
// the clinical store does on save: a signed note is locked and every note
// keeps a sealed header; a result nobody acknowledged (and not retracted)
// awaits review.
func derivedColumns(key *seal.Keyring, rec any, v storedVersion) (builtRow, error) {
	var out builtRow
	switch r := rec.(type) {
	case *chart.Note:
		if !signatureHolds(r) {
			// merge.Record keeps a signed note's content whole; a merge that
			// breaks a signature must never be stored as signed.
			return out, recordIntegrityError(v.kind, v.id)
		}
		out.flags.locked = r.Signed()
		summary, err := sealNoteSummary(key, r, v.cid)
		if err != nil {
			return out, err
		}
		out.summary = summary
	case *chart.Result:
		out.flags.toReview = r.ReviewedAt == nil && r.EnteredInError == nil
	}
	return out, nil
}

func openTemplateFields(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error) {
	pt, err := key.Open(v.sealed, recordAD(chart.KindTemplate, v.id, v.version, v.cid))
	if err != nil {
		return nil, recordIntegrityError(v.kind, v.id)
	}
	defer clear(pt)
	var tm chart.Template
	if err := json.Unmarshal(pt, &tm); err != nil || tm.ID != v.id {
		return nil, recordIntegrityError(v.kind, v.id)
	}
	resolves, err := merge.PlaintextResolves(pt)
	if err != nil {
		return nil, recordIntegrityError(v.kind, v.id)
	}
	fields, err := recordFields(&tm)
	if err != nil {
		return nil, err
	}
	return merge.ResolvesField(fields, resolves)
}

func buildTemplate(key *seal.Keyring, fields map[string]json.RawMessage, v storedVersion) (builtRow, error) {
	var tm chart.Template
	if err := decodeFields(fields, &tm); err != nil || tm.ID != v.id {
		return builtRow{}, recordIntegrityError(v.kind, v.id)
	}
	pt, err := json.Marshal(&tm)
	if err != nil {
		return builtRow{}, fmt.Errorf("encode template: %w", err)
	}
	defer clear(pt)
	return builtRow{sealed: key.Seal(pt, recordAD(chart.KindTemplate, v.id, v.version, v.cid))}, nil
}

// mergeFields is an opened version as merging takes it: its fields by
// name, with the conflicts it resolves (err is the opening's).
func mergeFields(rec any, resolves []string, err error) (map[string]json.RawMessage, error) {
	if err != nil {
		return nil, err
	}
	fields, err := recordFields(rec)
	if err != nil {
		return nil, err
	}
	return merge.ResolvesField(fields, resolves)
}

// recordFields splits a record into its top-level JSON fields. Every
// version goes through the same encoding, so equal content compares equal.
func recordFields(rec any) (map[string]json.RawMessage, error) {
	raw, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode record for merge: %w", err)
	}
	defer clear(raw)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("split record for merge: %w", err)
	}
	return fields, nil
}

func decodeFields(fields map[string]json.RawMessage, into any) error {
	raw, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	defer clear(raw)
	return json.Unmarshal(raw, into)
}

// kindVersion is one opened version and its merge view.
type kindVersion struct {
	stored storedVersion
	merge  merge.Version
}

func (v kindVersion) view() merge.Version { return v.merge }

// mergeKind re-merges every version of record id of kind and makes the
// result current. It returns the number of field conflicts the record
// holds; a record whose versions cannot be merged yet is left as it was.
func (s *Session) mergeKind(ctx context.Context, t *tx, kind, id string, km kindMerger) (int, error) {
	h, err := s.planKind(ctx, t, kind, id, km)
	if err != nil || !h.ready {
		return 0, err
	}
	return s.writeKindHead(ctx, t, h)
}

// kindHead is a merged record ready to be written (planKind), so a batch
// can open and merge all its records before writing any (the clinical
// lane of apply.MergeTouched).
type kindHead struct {
	ready     bool // false: its versions cannot be merged yet; nothing to write
	row       storedVersion
	built     builtRow
	versions  map[chart.ChangeID]kindVersion
	fields    map[string]json.RawMessage
	conflicts []merge.Conflict
}

// planKind opens and merges every version of record id of kind (every
// trust check happens here) and builds the row to write, writing nothing.
func (s *Session) planKind(ctx context.Context, t *tx, kind, id string, km kindMerger) (kindHead, error) {
	if pl, ok := t.pre.plannedKind(apply.Record{Kind: kind, ID: id}); ok {
		return pl.head, pl.err
	}
	raws, err := t.versionsOf(ctx, kind, id)
	if err != nil {
		return kindHead{}, fmt.Errorf("load versions of %s %s: %w", kind, id, err)
	}
	return s.planKindFrom(kind, id, km, raws, func() (bool, chart.ChangeID, error) { return t.currentOf(ctx, kind, id) })
}

// planKindFrom is planKind on the stored versions raws of record id, its
// current row read through current (only when the delta merge needs it):
// with both from a preload, no read or write of the store, so it may run
// on any goroutine (planKinds).
func (s *Session) planKindFrom(kind, id string, km kindMerger, raws []rawVersion,
	current func() (bool, chart.ChangeID, error)) (kindHead, error) {
	if deltaMerge {
		if h, ok, err := s.planKindDelta(kind, id, km, raws, current); ok || err != nil {
			return h, err
		}
	}
	versions, err := s.openKindVersions(kind, id, km, raws)
	if err != nil {
		return kindHead{}, err
	}
	res, ok, err := mergeVersionsOf(versions, kindVersion.view)
	if !ok || err != nil {
		return kindHead{}, wrapMerge(kind, id, err)
	}
	head := merge.Winner(res, func(h chart.ChangeID) clock.Timestamp { return versions[h].merge.HLC })
	row := versions[head].stored
	for _, h := range res.Heads {
		row.version = max(row.version, versions[h].stored.version)
	}
	row.fastForward = len(res.Heads) == 1
	built, err := km.build(s.key, res.Fields, row)
	if err != nil {
		return kindHead{}, fmt.Errorf("merge %s %s: %w", kind, id, err)
	}
	if row.fastForward {
		built.sealed = row.sealed // fast-forward: the version exactly as it was written
	}
	return kindHead{ready: true, row: row, built: built, versions: versions, fields: res.Fields, conflicts: res.Conflicts}, nil
}

// writeKindHead makes a planned record current and keeps its conflicts.
func (s *Session) writeKindHead(ctx context.Context, t *tx, h kindHead) (int, error) {
	if err := s.setKindHead(ctx, t, h.row, h.built, h.versions, h.fields); err != nil {
		return 0, err
	}
	return len(h.conflicts), s.keepConflicts(ctx, t, h.row.kind, h.row.id, h.conflicts, formatTime(t.now))
}

func (s *Session) loadKindVersions(ctx context.Context, t *tx, kind, id string, km kindMerger) (map[chart.ChangeID]kindVersion, error) {
	raws, err := t.versionsOf(ctx, kind, id)
	if err != nil {
		return nil, fmt.Errorf("load versions of %s %s: %w", kind, id, err)
	}
	return s.openKindVersions(kind, id, km, raws)
}

// openKindVersions opens every version raws of record id.
func (s *Session) openKindVersions(kind, id string, km kindMerger, raws []rawVersion) (map[chart.ChangeID]kindVersion, error) {
	out := make(map[chart.ChangeID]kindVersion, len(raws))
	for _, raw := range raws {
		v, err := s.openKindVersion(kind, id, km, raw)
		if err != nil {
			return nil, err
		}
		out[v.stored.cid] = v
	}
	return out, nil
}

// versionsOf returns the change-log rows of record id of kind, from the
// preload when the merge has one.
func (t *tx) versionsOf(ctx context.Context, kind, id string) ([]rawVersion, error) {
	if t.pre != nil && t.pre.ids[id] {
		return t.pre.versions[apply.Record{Kind: kind, ID: id}], nil
	}
	rows, err := t.QueryContext(ctx, `SELECT change_id, patient_id, version, `+mergeParents+`, hlc, device_id, user_id, `+changeSealed("changes")+`
		FROM changes WHERE record_id = ? AND kind = ?`, id, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rawVersion
	for rows.Next() {
		var v rawVersion
		var patient sql.NullString
		if err := rows.Scan(&v.cid, &patient, &v.version, &v.parents, &v.stamp, &v.device, &v.user, &v.sealed); err != nil {
			return nil, err
		}
		v.patient = patient.String
		out = append(out, v)
	}
	return out, rows.Err()
}

// openKindVersion opens one version and fills its merge view.
func (s *Session) openKindVersion(kind, id string, km kindMerger, raw rawVersion) (kindVersion, error) {
	versionsOpened.Add(1)
	v := kindVersion{stored: storedVersion{kind: kind, id: id, patientID: raw.patient, version: raw.version,
		cid: chart.ChangeID(raw.cid), sealed: raw.sealed}}
	v.merge.DeviceID, v.merge.UserID = chart.DeviceID(raw.device), chart.UserID(raw.user)
	var err error
	if v.merge.Fields, err = km.open(s.key, v.stored); err != nil {
		return v, err
	}
	if v.merge.Resolves, err = merge.SplitResolves(v.merge.Fields); err != nil {
		return v, recordIntegrityError(kind, id)
	}
	if err := json.Unmarshal([]byte(raw.parents), &v.merge.Parents); err != nil {
		return v, fmt.Errorf("%s %s change %s: parents: %w", kind, id, v.stored.cid, err)
	}
	if v.merge.HLC, err = clock.ParseTimestamp(raw.stamp); err != nil {
		return v, fmt.Errorf("%s %s change %s: %w", kind, id, v.stored.cid, err)
	}
	v.merge.ChangeID = v.stored.cid
	return v, nil
}

// setKindHead makes the merged record the current row. A row locked here
// (a note signed on this workstation) is never rewritten: SQLite refuses
// it, and the signed content is final. The merge keeps that content, so
// the row stays as signed; concurrent edits live on as AgainstSigned
// conflicts.
func (s *Session) setKindHead(ctx context.Context, t *tx, row storedVersion, built builtRow,
	versions map[chart.ChangeID]kindVersion, merged map[string]json.RawMessage) error {
	locked, current, err := t.currentOf(ctx, row.kind, row.id)
	if err != nil {
		return fmt.Errorf("load %s %s: %w", row.kind, row.id, err)
	}
	if locked {
		if cur, ok := versions[current]; !ok || !merge.SameContent(cur.merge.Fields, merged) {
			// Only a retraction concurrent with the signing can get here;
			// a signed note cannot be retracted, so the signed row stands.
			slog.Warn("merged record differs from its signed version here; kept the signed version",
				"kind", row.kind, "record", row.id)
		}
		return nil
	}
	_, err = t.exec(ctx, `INSERT INTO records (id, kind, patient_id, version, head_change_id, sealed,
			updated_at, locked, to_review, sealed_summary)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version, head_change_id = excluded.head_change_id,
			sealed = excluded.sealed, updated_at = excluded.updated_at, locked = excluded.locked,
			to_review = excluded.to_review, sealed_summary = excluded.sealed_summary`,
		row.id, row.kind, row.patientID, row.version, row.cid, built.sealed, rowStamp(t.now),
		boolInt(built.flags.locked), boolInt(built.flags.toReview), built.summary)
	if err != nil {
		return fmt.Errorf("write %s %s: %w", row.kind, row.id, err)
	}
	return nil
}

// currentOf returns whether record id's current row is locked and its
// head, from the preload when the merge has one.
func (t *tx) currentOf(ctx context.Context, kind, id string) (bool, chart.ChangeID, error) {
	if t.pre != nil && t.pre.ids[id] {
		return t.pre.currentOf(apply.Record{Kind: kind, ID: id})
	}
	var locked bool
	var current chart.ChangeID
	err := t.QueryRowContext(ctx, `SELECT locked, head_change_id FROM records WHERE id = ? AND kind = ?`,
		id, kind).Scan(&locked, &current)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return locked, current, err
}
