package sqlite

// An attachment's bytes travel as their own change (kind attachment_data):
// record id = the attachment's id, version = the attachment's version, the
// blob exactly as sealed in attachment_data (no re-encryption, so the server
// never sees plaintext). Its metadata travels as the attachment record.
// Until the bytes arrive, opening the attachment says "not yet synced".

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"outpost/chart"
	"outpost/sync/wire"
)

const kindAttachmentData = "attachment_data"

// syncAttachmentData appends the sealed bytes of a to the change log.
func (s *Session) syncAttachmentData(ctx context.Context, t *tx, a *chart.Attachment, sealed []byte) error {
	return s.appendSideChange(ctx, t, sideChange{id: chart.NewChangeID(), kind: kindAttachmentData,
		recordID: string(a.ID), patientID: a.PatientID, version: a.Version, sealed: sealed})
}

// storeRemoteAttachmentData is the remoteHook of kind attachment_data: bytes
// that open under the attachment's own AD and are a PDF or image
// (CheckAttachmentContent's types) are stored in attachment_data. Anything
// else is held back (quarantine.go), never failing the page; opening an
// attachment re-checks the bytes against the declared type too.
//
// attachment_data references records, and the attachment's record row is
// written after the hooks run (by the merge, in this same transaction), so
// the foreign key check is deferred to the commit. That is safe only when
// the row will exist by then: the record is already current here, or its
// first version (no parents: it always merges) is in the change log.
// Otherwise the bytes stay in the change log, where loadAttachmentData also
// looks.
func storeRemoteAttachmentData(s *Session, ctx context.Context, t *tx, c *wire.Change) error {
	if len(c.Parents) > 0 {
		return refuseRemote(c, "attachment bytes never change")
	}
	pt, err := s.key.Open(c.Sealed, attachmentAD(c.RecordID, c.Version))
	if err != nil {
		return refuseRemote(c, "does not open as this attachment's bytes")
	}
	_, viewable := sniffAttachment(pt)
	clear(pt)
	if !viewable {
		// Not a PDF or image: held back (quarantine), never stored as
		// viewable; viewing checks again and says "this file cannot be
		// shown". The page goes on.
		return refuseRemote(c, "the attached file is not a PDF, PNG or JPEG, so it cannot be shown safely")
	}
	var known bool
	err = t.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM records WHERE id = ?1 AND kind = ?2)
		OR EXISTS (SELECT 1 FROM changes WHERE record_id = ?1 AND kind = ?2 AND parents = '[]')`,
		c.RecordID, chart.KindAttachment).Scan(&known)
	if err != nil {
		return fmt.Errorf("store attachment bytes %s: %w", c.RecordID, err)
	}
	if !known {
		return nil
	}
	if _, err := t.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return fmt.Errorf("store attachment bytes %s: %w", c.RecordID, err)
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO attachment_data (id, version, sealed) VALUES (?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, c.RecordID, c.Version, c.Sealed); err != nil {
		return fmt.Errorf("store attachment bytes %s: %w", c.RecordID, err)
	}
	return nil
}

// loadAttachmentData returns the sealed bytes of attachment id and the
// version they are bound to: from attachment_data, else from a received
// attachment_data change. Neither means they have not arrived yet, unless
// the attachment was made here (then the bytes are missing: integrity).
func (s *Session) loadAttachmentData(ctx context.Context, id string) (int64, []byte, error) {
	var version int64
	var sealed []byte
	err := s.w.db.QueryRowContext(ctx, `SELECT version, sealed FROM attachment_data WHERE id = ?`, id).Scan(&version, &sealed)
	if err == nil {
		return version, sealed, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("load attachment data: %w", err)
	}
	err = s.w.db.QueryRowContext(ctx, `SELECT version, `+changeSealed("changes")+` FROM changes WHERE record_id = ? AND kind = ?
		ORDER BY seq LIMIT 1`, id, kindAttachmentData).Scan(&version, &sealed)
	if err == nil {
		return version, sealed, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("load attachment data: %w", err)
	}
	var here bool
	if err := s.w.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM changes WHERE record_id = ? AND kind = ?
		AND device_id = ?)`, id, chart.KindAttachment, s.deviceID).Scan(&here); err != nil {
		return 0, nil, fmt.Errorf("load attachment data: %w", err)
	}
	if here {
		return 0, nil, recordIntegrityError(chart.KindAttachment, id)
	}
	var held bool
	if err := s.w.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM quarantine WHERE record_id = ? AND kind = ?)`,
		id, kindAttachmentData).Scan(&held); err != nil {
		return 0, nil, fmt.Errorf("load attachment data: %w", err)
	}
	if held {
		return 0, nil, chart.Errorf(chart.EINVALID, "%s Its contents were held back from sync (an administrator "+
			"sees them under Admin, Held back).", errNotViewable)
	}
	return 0, nil, chart.Errorf(chart.ENOTFOUND, "This file has not synced to this workstation yet: its details arrived "+
		"but its contents did not. Sync again, or open it on the workstation where it was scanned.")
}
