package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/merge"
	"outpost/sync/wire"
)

const (
	kindPatient    = "patient"
	recordADLabel  = "outpost/record/v1"
	mrnTagLabel    = "outpost/mrn-tag/v1"
	maxMRNAttempts = 20
)

// recordAD binds a sealed blob to its record, version and change, so a blob
// copied onto another record or replayed as another version fails to open.
func recordAD(kind, id string, version int64, change chart.ChangeID) []byte {
	return seal.AD(recordADLabel, kind, id, strconv.FormatInt(version, 10), string(change))
}

// mrnTag is a keyed hash of the normalised MRN: equal MRNs give equal tags,
// so SQLite can enforce uniqueness, but the MRN cannot be read back.
func mrnTag(mrnKey []byte, mrn string) []byte {
	m := hmac.New(sha256.New, mrnKey)
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(mrn))))
	return m.Sum(nil)
}

func integrityError(id string) error {
	return chart.Errorf(chart.EINTEGRITY, "Patient record %s failed its integrity check: it may have been altered on disk. "+
		"Other records are unaffected; tell your practice administrator.", id)
}

func notFoundPatient() error {
	return chart.Errorf(chart.ENOTFOUND, "There is no patient with that id on this workstation.")
}

// recordRow is a row of records: the current version of one record.
type recordRow struct {
	id, kind, patientID string
	version             int64
	head                chart.ChangeID
	sealed              []byte
}

func loadRecord(ctx context.Context, q queryer, kind, id string) (recordRow, error) {
	r := recordRow{id: id}
	err := q.QueryRowContext(ctx, `SELECT kind, patient_id, version, head_change_id, sealed
		FROM records WHERE id = ? AND kind = ?`, id, kind).Scan(&r.kind, &r.patientID, &r.version, &r.head, &r.sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFoundPatient()
	}
	if err != nil {
		return r, fmt.Errorf("load record %s: %w", id, err)
	}
	return r, nil
}

// sealPatient returns the sealed JSON of p for the given change.
func sealPatient(key *seal.Keyring, p *chart.Patient, change chart.ChangeID) ([]byte, error) {
	return sealPatientResolving(key, p, change, nil)
}

// sealPatientResolving seals p with the fields it resolves (merge.ResolvesKey).
func sealPatientResolving(key *seal.Keyring, p *chart.Patient, change chart.ChangeID, resolves []string) ([]byte, error) {
	pt, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode patient: %w", err)
	}
	if pt, err = merge.WithResolves(pt, resolves); err != nil {
		return nil, err
	}
	defer clear(pt)
	return key.Seal(pt, recordAD(kindPatient, string(p.ID), p.Version, change)), nil
}

// openPatient opens a sealed patient version; a blob that fails to
// authenticate gives EINTEGRITY naming the record.
func openPatient(key *seal.Keyring, id string, version int64, change chart.ChangeID, sealed []byte) (chart.Patient, error) {
	return openPatientWith(key, id, version, change, sealed, decodePatient)
}

// openPatientWith is openPatient decoding the plaintext with decode (the
// index decodes only the fields it needs: decodeIndexed).
func openPatientWith(key *seal.Keyring, id string, version int64, change chart.ChangeID, sealed []byte,
	decode func([]byte) (chart.Patient, error)) (chart.Patient, error) {
	pt, err := key.Open(sealed, recordAD(kindPatient, id, version, change))
	if err != nil {
		return chart.Patient{}, integrityError(id)
	}
	defer clear(pt)
	p, err := decode(pt)
	if err != nil || string(p.ID) != id {
		return chart.Patient{}, integrityError(id)
	}
	return p, nil
}

func decodePatient(pt []byte) (chart.Patient, error) {
	var p chart.Patient
	err := json.Unmarshal(pt, &p)
	return p, err
}

// change is one record write: a row of changes, and the new head in records.
type change struct {
	id        chart.ChangeID
	kind      string
	recordID  string
	patientID string
	version   int64
	parents   []chart.ChangeID
	userID    chart.UserID
	sealed    []byte
	mrnTag    []byte // nil for records without an MRN
	// locked makes the new version final: a trigger refuses any later
	// UPDATE of the row (signed notes).
	locked bool
	// toReview marks a result awaiting acknowledgement.
	toReview bool
	// summary is a small sealed extract for list views (notes), or nil.
	// It is derived from sealed, so it stays local and is not a change.
	summary []byte
}

// putRecord appends c to the change log (appendLocal) and makes it the
// record's current version.
func (w *Workstation) putRecord(ctx context.Context, t *tx, key *seal.Keyring, device chart.DeviceID, c change) error {
	wire := c.wire(device)
	if err := w.appendLocal(ctx, t, key, &wire); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO records (`+recordColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version, head_change_id = excluded.head_change_id,
			sealed = excluded.sealed, mrn_tag = excluded.mrn_tag, updated_at = excluded.updated_at,
			locked = excluded.locked, to_review = excluded.to_review, sealed_summary = excluded.sealed_summary`,
		c.recordValues(t.now)...)
	if err != nil {
		return fmt.Errorf("write record %s: %w", c.recordID, err)
	}
	return nil
}

// wire is c as the change log holds it, before its clock reading and tag.
func (c *change) wire(device chart.DeviceID) wire.Change {
	return wire.Change{ChangeID: c.id, RecordID: c.recordID, Kind: c.kind, PatientID: chart.PatientID(c.patientID),
		Version: c.version, Parents: c.parents, DeviceID: device, UserID: c.userID, Sealed: c.sealed}
}

// recordColumns are the columns of a record's current row; recordValues
// gives them for c.
const recordColumns = `id, kind, patient_id, version, head_change_id, sealed, mrn_tag, updated_at, locked, to_review, sealed_summary`

func (c *change) recordValues(now time.Time) []any {
	return []any{c.recordID, c.kind, c.patientID, c.version, c.id, c.sealed, c.mrnTag, rowStamp(now), boolInt(c.locked),
		boolInt(c.toReview), c.summary}
}

// mrnOwner returns the id of the record holding tag, or "".
func mrnOwner(ctx context.Context, t *tx, tag []byte) (string, error) {
	var id string
	err := t.QueryRowContext(ctx, `SELECT id FROM records WHERE mrn_tag = ?`, tag).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("check MRN: %w", err)
	}
	return id, nil
}
