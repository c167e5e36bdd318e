package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/merge"
)

// Practice-wide sealed records (tasks, the practice's service codes) are
// stored like note templates: kind in clear, patient id "", content sealed
// under the practice key, merged field by field. pwSpec is what one such
// kind needs: how to find its id and carry its version. Templates predate
// this and keep their own code (they have no version field).
type pwSpec[T any] struct {
	kind       string
	id         func(*T) string
	setVersion func(*T, int64)
}

// open decrypts one version and checks it is the record it claims to be;
// it also returns the fields the version resolves.
func (sp pwSpec[T]) open(key *seal.Keyring, id string, version int64, cid chart.ChangeID, sealed []byte) (T, []string, error) {
	var rec T
	pt, err := key.Open(sealed, recordAD(sp.kind, id, version, cid))
	if err != nil {
		return rec, nil, recordIntegrityError(sp.kind, id)
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &rec); err != nil || sp.id(&rec) != id {
		var zero T
		return zero, nil, recordIntegrityError(sp.kind, id)
	}
	resolves, err := merge.PlaintextResolves(pt)
	if err != nil {
		var zero T
		return zero, nil, recordIntegrityError(sp.kind, id)
	}
	sp.setVersion(&rec, version)
	return rec, resolves, nil
}

// merger merges this kind's versions on a pull.
func (sp pwSpec[T]) merger() kindMerger {
	return kindMerger{
		open: func(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error) {
			rec, resolves, err := sp.open(key, v.id, v.version, v.cid, v.sealed)
			return mergeFields(&rec, resolves, err)
		},
		build: func(key *seal.Keyring, fields map[string]json.RawMessage, v storedVersion) (builtRow, error) {
			var rec T
			if err := decodeFields(fields, &rec); err != nil || sp.id(&rec) != v.id || v.patientID != "" {
				return builtRow{}, recordIntegrityError(v.kind, v.id)
			}
			if v.fastForward {
				return builtRow{}, nil // kept as written
			}
			sp.setVersion(&rec, v.version)
			pt, err := json.Marshal(&rec)
			if err != nil {
				return builtRow{}, fmt.Errorf("encode %s: %w", nounFor(sp.kind), err)
			}
			defer clear(pt)
			return builtRow{sealed: key.Seal(pt, recordAD(sp.kind, v.id, v.version, v.cid))}, nil
		},
	}
}

// load opens the current version of record id.
func (sp pwSpec[T]) load(ctx context.Context, q queryer, key *seal.Keyring, id chart.RecordID) (T, clinicalRow, error) {
	row, err := loadClinicalRow(ctx, q, sp.kind, id)
	if err != nil {
		var zero T
		return zero, row, err
	}
	rec, _, err := sp.open(key, row.id, row.version, row.head, row.sealed)
	return rec, row, err
}

// list opens every current record of the kind, oldest first. One that
// does not open is logged and left out, so it never hides the rest.
func (sp pwSpec[T]) list(ctx context.Context, q queryer, key *seal.Keyring) ([]T, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+clinicalColumns+` FROM records WHERE kind = ? AND patient_id = '' ORDER BY id`, sp.kind)
	if err != nil {
		return nil, fmt.Errorf("list %ss: %w", nounFor(sp.kind), err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, err := scanClinical(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list %ss: %w", nounFor(sp.kind), err)
		}
		rec, _, err := sp.open(key, r.id, r.version, r.head, r.sealed)
		if err != nil {
			slog.Warn("a practice-wide record does not open", "kind", sp.kind, "id", r.id, "err", err)
			continue
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// put seals rec as version, a new change by the session's user, and makes
// it current. An edit (parents not nil) names every head of the record and
// re-merges it when it had several; resolves are the fields whose conflict
// it settles.
func (sp pwSpec[T]) put(ctx context.Context, s *Session, t *tx, rec *T, version int64, parents []chart.ChangeID, resolves []string) error {
	id := sp.id(rec)
	lw, err := prepareLocal(ctx, t, sp.kind, id, parents)
	if err != nil {
		return err
	}
	sp.setVersion(rec, version)
	pt, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode %s: %w", nounFor(sp.kind), err)
	}
	if pt, err = merge.WithResolves(pt, resolves); err != nil {
		return err
	}
	defer clear(pt)
	cid := chart.NewChangeID()
	sealed := s.key.Seal(pt, recordAD(sp.kind, id, version, cid))
	if err := s.w.putRecord(ctx, t, s.key, s.deviceID, change{id: cid, kind: sp.kind, recordID: id,
		version: version, parents: lw.parents, userID: s.user.ID, sealed: sealed}); err != nil {
		return err
	}
	return s.finishLocal(ctx, t, sp.kind, id, lw)
}

// resolver writes a resolved sync conflict: the current record with field
// set to val, checked by check (which also says what the audit records).
func (sp pwSpec[T]) resolver(check func(s *Session, rec *T) (string, error)) resolveWriter {
	return func(s *Session, ctx context.Context, t *tx, id, field string, val json.RawMessage) (*chart.Patient, chart.AuditEntry, error) {
		cur, row, err := sp.load(ctx, t, s.key, chart.RecordID(id))
		if err != nil {
			return nil, chart.AuditEntry{}, err
		}
		fields, err := withField(&cur, field, val)
		if err != nil {
			return nil, chart.AuditEntry{}, err
		}
		var rec T
		if err := decodeFields(fields, &rec); err != nil || sp.id(&rec) != id {
			return nil, chart.AuditEntry{}, errValueDoesNotFit(field)
		}
		detail, err := check(s, &rec)
		if err != nil {
			return nil, chart.AuditEntry{}, err
		}
		if err := sp.put(ctx, s, t, &rec, row.version+1, []chart.ChangeID{row.head}, []string{field}); err != nil {
			return nil, chart.AuditEntry{}, err
		}
		return nil, chart.AuditEntry{Action: chart.AuditUpdate, RecordKind: sp.kind, RecordID: id, Detail: detail}, nil
	}
}
