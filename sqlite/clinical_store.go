package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/merge"
)

// Clinical records share the patients' machinery: each write seals the whole
// record (Meta included) as one change, bound by recordAD to its kind, id,
// version and change, and makes it the current row of records. Only the
// kind, the opaque ids and the two workflow bits (locked, to_review) are in
// clear.

// recordPtr is a pointer to a clinical record type; every one embeds
// chart.Meta, whose RecordMeta method is promoted.
type recordPtr[T any] interface {
	*T
	RecordMeta() *chart.Meta
}

// clinicalRow is the current row of one clinical record.
type clinicalRow struct {
	recordRow
	locked, toReview bool
}

const clinicalColumns = `id, kind, patient_id, version, head_change_id, sealed, locked, to_review`

func scanClinical(scan func(...any) error) (clinicalRow, error) {
	var r clinicalRow
	err := scan(&r.id, &r.kind, &r.patientID, &r.version, &r.head, &r.sealed, &r.locked, &r.toReview)
	return r, err
}

// kindNouns name record kinds in messages.
var kindNouns = map[string]string{
	chart.KindEncounter: "encounter", chart.KindNote: "note", chart.KindProblem: "problem",
	chart.KindMedication: "medication", chart.KindAllergy: "allergy", chart.KindVitals: "vitals record",
	chart.KindResult: "result", chart.KindImmunization: "immunization", chart.KindAttachment: "attachment",
	chart.KindChartFlags: "chart flags record", chart.KindTemplate: "template",
	chart.KindFamily: "family history entry", chart.KindSocial: "social history entry",
	chart.KindPregnancy: "pregnancy status", chart.KindProcedure: "procedure",
	chart.KindSourceDocument: "imported original", chart.KindTask: "task",
	chart.KindCareDecision: "care decision", chart.KindRecallContact: "recall contact",
	chart.KindServiceCode: "service code", chart.KindSuperbill: "superbill",
	chart.KindAppointment: "appointment",
}

func nounFor(kind string) string {
	if n, ok := kindNouns[kind]; ok {
		return n
	}
	return "record"
}

func notFoundRecord(kind string) error {
	return chart.Errorf(chart.ENOTFOUND, "There is no %s with that id on this workstation.", nounFor(kind))
}

func recordIntegrityError(kind, id string) error {
	return chart.Errorf(chart.EINTEGRITY, "The %s %s failed its integrity check: it may have been altered on disk. "+
		"Other records are unaffected; tell your practice administrator.", nounFor(kind), id)
}

func errChangedUnderneath(kind string) error {
	return chart.Errorf(chart.ECONFLICT, "Someone else changed this %s since you opened it. "+
		"Reopen it to see their changes, then make your edit again.", nounFor(kind))
}

func errNoteSigned() error {
	return chart.Errorf(chart.ECONFLICT, "This note is signed and cannot be changed. Add an addendum to correct it.")
}

func errRetracted(kind string) error {
	return chart.Errorf(chart.ECONFLICT, "This %s was marked entered in error and can no longer be changed.", nounFor(kind))
}

func loadClinicalRow(ctx context.Context, q queryer, kind string, id chart.RecordID) (clinicalRow, error) {
	if !chart.ValidID(string(id)) {
		return clinicalRow{}, notFoundRecord(kind)
	}
	r, err := scanClinical(q.QueryRowContext(ctx, `SELECT `+clinicalColumns+` FROM records WHERE id = ? AND kind = ?`,
		string(id), kind).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFoundRecord(kind)
	}
	if err != nil {
		return r, fmt.Errorf("load %s %s: %w", kind, id, err)
	}
	return r, nil
}

// sealClinical seals rec (whose Meta is m) as change cid.
func sealClinical(key *seal.Keyring, kind string, m *chart.Meta, rec any, cid chart.ChangeID) ([]byte, error) {
	return sealClinicalResolving(key, kind, m, rec, cid, nil)
}

// sealClinicalResolving seals rec with the fields it resolves (merge.ResolvesKey).
func sealClinicalResolving(key *seal.Keyring, kind string, m *chart.Meta, rec any, cid chart.ChangeID, resolves []string) ([]byte, error) {
	pt, err := encodeRecord(rec)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", kind, err)
	}
	if pt, err = merge.WithResolves(pt, resolves); err != nil {
		return nil, err
	}
	defer clear(pt)
	return key.Seal(pt, recordAD(kind, string(m.ID), m.Version, cid)), nil
}

// openSealed opens one sealed version of a clinical record into a T and
// checks that the content agrees with where it was found.
func openSealed[T any, P recordPtr[T]](key *seal.Keyring, kind, id, patientID string, version int64, cid chart.ChangeID, sealed []byte) (T, error) {
	v, _, err := openSealedResolves[T, P](key, kind, id, patientID, version, cid, sealed)
	return v, err
}

// openSealedResolves is openSealed that also returns the fields the
// version resolves (merge.ResolvesKey), for the merge.
func openSealedResolves[T any, P recordPtr[T]](key *seal.Keyring, kind, id, patientID string, version int64, cid chart.ChangeID,
	sealed []byte) (T, []string, error) {
	var v T
	pt, err := key.Open(sealed, recordAD(kind, id, version, cid))
	if err != nil {
		return v, nil, recordIntegrityError(kind, id)
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &v); err != nil {
		return v, nil, recordIntegrityError(kind, id)
	}
	resolves, err := merge.PlaintextResolves(pt)
	if err != nil {
		return v, nil, recordIntegrityError(kind, id)
	}
	m := P(&v).RecordMeta()
	m.Damaged = "" // set only on placeholders, never by what was sealed
	if string(m.ID) != id || string(m.PatientID) != patientID || m.Version != version {
		return v, nil, recordIntegrityError(kind, id)
	}
	if n, ok := any(&v).(*chart.Note); ok && !signatureHolds(n) {
		return v, nil, recordIntegrityError(kind, id)
	}
	return v, resolves, nil
}

func openClinical[T any, P recordPtr[T]](key *seal.Keyring, r clinicalRow) (T, error) {
	return openSealed[T, P](key, r.kind, r.id, r.patientID, r.version, r.head, r.sealed)
}

// requirePatient refuses a record for a patient that is not on this
// workstation.
func requirePatient(ctx context.Context, q queryer, id chart.PatientID) error {
	if !chart.ValidID(string(id)) {
		return notFoundPatient()
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM records WHERE id = ? AND kind = ?`, string(id), kindPatient).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFoundPatient()
	}
	if err != nil {
		return fmt.Errorf("find patient: %w", err)
	}
	return nil
}

// prepareWrite fills the store-owned Meta of rec for its next version and
// returns the version it replaces (nil for a new record) and the parents of
// the new change. Input Meta is ignored except ID, PatientID (new records)
// and Version (the version the edit was based on).
func prepareWrite[T any, P recordPtr[T]](ctx context.Context, s *Session, t *tx, kind string, rec P) (P, []chart.ChangeID, error) {
	m := rec.RecordMeta()
	if m.ID == "" {
		if err := requirePatient(ctx, t, m.PatientID); err != nil {
			return nil, nil, err
		}
		*m = chart.Meta{ID: chart.NewRecordID(), PatientID: m.PatientID, Version: 1,
			CreatedAt: t.now, CreatedBy: s.user.ID, UpdatedAt: t.now, UpdatedBy: s.user.ID}
		return nil, nil, nil
	}
	row, err := loadClinicalRow(ctx, t, kind, m.ID)
	if err != nil {
		return nil, nil, err
	}
	if m.PatientID != "" && string(m.PatientID) != row.patientID {
		return nil, nil, chart.Errorf(chart.ECONFLICT, "This %s belongs to another patient's chart.", nounFor(kind))
	}
	if row.locked {
		return nil, nil, errNoteSigned()
	}
	if m.Version != row.version {
		return nil, nil, errChangedUnderneath(kind)
	}
	prev, err := openClinical[T, P](s.key, row)
	if chart.ErrorCode(err) == chart.EINTEGRITY {
		return nil, nil, errPlaceholderEdit(kind)
	}
	if err != nil {
		return nil, nil, err
	}
	pm := P(&prev).RecordMeta()
	if pm.EnteredInError != nil {
		return nil, nil, errRetracted(kind)
	}
	*m = chart.Meta{ID: pm.ID, PatientID: pm.PatientID, Version: row.version + 1,
		CreatedAt: pm.CreatedAt, CreatedBy: pm.CreatedBy, UpdatedAt: t.now, UpdatedBy: s.user.ID}
	return &prev, []chart.ChangeID{row.head}, nil
}

// rowFlags are the clear workflow bits of a record's row.
type rowFlags struct{ locked, toReview bool }

// storeRecord seals rec as a new change and makes it the current version.
// parents is nil for a new record; for an edit the change names every head
// of the record (whatever parents says) and the record is re-merged when
// it had several heads or kept conflicts.
func (s *Session) storeRecord(ctx context.Context, t *tx, kind string, m *chart.Meta, rec any, parents []chart.ChangeID, f rowFlags) error {
	return s.storeRecordResolving(ctx, t, kind, m, rec, parents, f, nil)
}

// storeRecordResolving is storeRecord for a version that also settles the
// conflicts of resolves (sealed with it, see merge.ResolvesKey).
func (s *Session) storeRecordResolving(ctx context.Context, t *tx, kind string, m *chart.Meta, rec any,
	parents []chart.ChangeID, f rowFlags, resolves []string) error {
	lw, err := prepareLocal(ctx, t, kind, string(m.ID), parents)
	if err != nil {
		return err
	}
	sr, err := sealRecord(s.key, kind, m, rec, resolves)
	if err != nil {
		return err
	}
	if err := s.putSealed(ctx, t, kind, m, sr, lw.parents, f); err != nil {
		return err
	}
	return s.finishLocal(ctx, t, kind, string(m.ID), lw)
}

// sealedRecord is one version sealed as its change, with a note's header.
type sealedRecord struct {
	cid             chart.ChangeID
	sealed, summary []byte
}

// sealRecord seals rec (whose Meta is m) as a new change. It touches no
// database, so an import seals many records at once on every core.
func sealRecord(key *seal.Keyring, kind string, m *chart.Meta, rec any, resolves []string) (sealedRecord, error) {
	sr := sealedRecord{cid: chart.NewChangeID()}
	var err error
	if sr.sealed, err = sealClinicalResolving(key, kind, m, rec, sr.cid, resolves); err != nil {
		return sr, err
	}
	if n, ok := rec.(*chart.Note); ok {
		sr.summary, err = sealNoteSummary(key, n, sr.cid)
	}
	return sr, err
}

// putSealed appends a sealed version to the change log and makes it current.
func (s *Session) putSealed(ctx context.Context, t *tx, kind string, m *chart.Meta, sr sealedRecord, parents []chart.ChangeID, f rowFlags) error {
	return s.w.putRecord(ctx, t, s.key, s.deviceID, change{id: sr.cid, kind: kind, recordID: string(m.ID),
		patientID: string(m.PatientID), version: m.Version, parents: parents, userID: s.user.ID, sealed: sr.sealed,
		locked: f.locked, toReview: f.toReview, summary: sr.summary})
}

func recordAudit(action chart.AuditAction, kind string, m *chart.Meta, detail string) chart.AuditEntry {
	return chart.AuditEntry{Action: action, PatientID: m.PatientID, RecordKind: kind, RecordID: string(m.ID), Detail: detail}
}

// writeAudit is the audit entry of a save: a create for version 1, else an
// update naming the version.
func writeAudit(kind string, m *chart.Meta, detail string) chart.AuditEntry {
	if m.Version == 1 {
		return recordAudit(chart.AuditCreate, kind, m, "added "+nounFor(kind)+detail)
	}
	return recordAudit(chart.AuditUpdate, kind, m, fmt.Sprintf("edited %s (version %d)%s", nounFor(kind), m.Version, detail))
}

// guarded runs fn with the session held shared, after the lock and role
// checks, and wraps non-domain errors for the log.
func (s *Session) guarded(op string, act chart.Action, fn func() error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(act); err != nil {
		return err
	}
	if err := fn(); err != nil {
		return wrapInternal(op, err)
	}
	return nil
}

// snapshot runs fn in a read transaction: every query inside sees the same
// committed state. ReadOnly makes the driver use a plain (deferred) BEGIN,
// so a read never takes the write lock. Its queries run on statements kept
// prepared (stmt_cache.go).
func (w *Workstation) snapshot(ctx context.Context, fn func(q queryer) error) error {
	t, err := w.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	q := &cachedTx{tx: t, cache: w.stmts}
	defer q.end()
	return fn(q)
}
