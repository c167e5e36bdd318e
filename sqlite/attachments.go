package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"outpost/chart"
	"outpost/seal"
)

const (
	// MaxAttachmentSize is the largest scanned report accepted.
	MaxAttachmentSize = 10 << 20
	attachmentADLabel = "outpost/attachment-data/v1"
)

// attachmentMagic is how each media type Outpost shows starts. Only these
// types are stored and shown: the viewer renders PDFs and images and
// nothing else, so anything else (HTML, SVG, scripts) could only be a way
// to run content in the app window.
var attachmentMagic = map[string][]byte{
	"application/pdf": []byte("%PDF-"),
	"image/png":       []byte("\x89PNG\r\n\x1a\n"),
	"image/jpeg":      {0xFF, 0xD8, 0xFF},
}

// errNotViewable is what every refused attachment says, wherever it came from.
const errNotViewable = "This file cannot be shown: it is not a PDF or image."

// CheckAttachmentContent decides whether data, declared as mediaType, is a
// file Outpost may store and show: the declared type must be one the viewer
// renders (PDF, PNG, JPEG) and the bytes must start with that type's
// signature, so a renamed executable or an HTML page is never taken for a
// "PDF". It returns the normalised media type. Pure (no I/O), so every path
// in can ask it: upload, a pulled attachment's bytes, and viewing.
func CheckAttachmentContent(mediaType string, data []byte) (string, error) {
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	magic, ok := attachmentMagic[mediaType]
	if !ok {
		return "", chart.FieldError("mediaType", "Attach a PDF, PNG or JPEG file.")
	}
	if len(data) == 0 {
		return "", chart.FieldError("file", "The file is empty.")
	}
	if len(data) > MaxAttachmentSize {
		return "", chart.FieldError("file", "The file is %.1f MB; the limit is 10 MB. Scan at a lower resolution.",
			float64(len(data))/(1<<20))
	}
	if !bytes.HasPrefix(data, magic) {
		return "", chart.FieldError("file", "The file's contents are not a %s, although its type says so.",
			strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(mediaType, "application/"), "image/")))
	}
	return mediaType, nil
}

// sniffAttachment returns the media type data starts like, if it is one
// Outpost shows (for pulled bytes, whose declared type travels separately).
func sniffAttachment(data []byte) (string, bool) {
	for media, magic := range attachmentMagic {
		if bytes.HasPrefix(data, magic) {
			return media, true
		}
	}
	return "", false
}

func attachmentAD(id string, version int64) []byte {
	return seal.AD(attachmentADLabel, id, strconv.FormatInt(version, 10))
}

func checkAttachment(fileName, mediaType string, data []byte) (string, string, error) {
	mediaType, err := CheckAttachmentContent(mediaType, data)
	if err != nil {
		return "", "", err
	}
	name := filepath.Base(strings.ReplaceAll(strings.TrimSpace(fileName), `\`, "/"))
	if name == "." || name == "/" || name == "" || len([]rune(name)) > chart.MaxShortTextLen ||
		strings.ContainsAny(name, "\x00\n\r\t") {
		return "", "", chart.FieldError("fileName", "Give the file a name of at most %d characters.", chart.MaxShortTextLen)
	}
	return name, mediaType, nil
}

// AttachToResult seals a scanned report and links it to a result. The
// metadata is a record (and a change, so sync carries it); the bytes are
// sealed in attachment_data, bound to the attachment's id and version.
func (s *Session) AttachToResult(ctx context.Context, result chart.RecordID, fileName, mediaType string, data []byte) (chart.Attachment, error) {
	var a chart.Attachment
	err := s.guarded("attach to result", chart.ActWriteClinical, func() error {
		name, media, err := checkAttachment(fileName, mediaType, data)
		if err != nil {
			return err
		}
		a, err = s.attachChecked(ctx, result, name, media, data)
		return err
	})
	if err != nil {
		return chart.Attachment{}, err
	}
	return a, nil
}

// attachChecked stores data, already checked, as an attachment of result.
func (s *Session) attachChecked(ctx context.Context, result chart.RecordID, name, media string, data []byte) (chart.Attachment, error) {
	var a chart.Attachment
	sum := sha256.Sum256(data)
	err := s.w.write(ctx, func(t *tx) error {
		row, err := loadClinicalRow(ctx, t, chart.KindResult, result)
		if err != nil {
			return err
		}
		r, err := openClinical[chart.Result](s.key, row)
		if err != nil {
			return err
		}
		if r.EnteredInError != nil {
			return errRetracted(chart.KindResult)
		}
		a = chart.Attachment{Meta: chart.Meta{PatientID: r.PatientID}, FileName: name, MediaType: media,
			Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
		if err := s.storeAttachment(ctx, t, &a, data); err != nil {
			return err
		}
		r.AttachmentIDs = append(r.AttachmentIDs, a.ID)
		r.Version, r.UpdatedAt, r.UpdatedBy = row.version+1, t.now, s.user.ID
		if err := s.storeRecord(ctx, t, chart.KindResult, &r.Meta, &r, []chart.ChangeID{row.head},
			rowFlags{toReview: row.toReview}); err != nil {
			return err
		}
		return s.audit(ctx, t, recordAudit(chart.AuditUpdate, chart.KindResult, &r.Meta,
			"attached "+media+" report "+string(a.ID)))
	})
	return a, err
}

func (s *Session) storeAttachment(ctx context.Context, t *tx, a *chart.Attachment, data []byte) error {
	if _, _, err := prepareWrite(ctx, s, t, chart.KindAttachment, a); err != nil {
		return err
	}
	if err := s.storeRecord(ctx, t, chart.KindAttachment, &a.Meta, a, nil, rowFlags{}); err != nil {
		return err
	}
	if err := s.storeAttachmentData(ctx, t, a, data); err != nil {
		return err
	}
	return s.audit(ctx, t, writeAudit(chart.KindAttachment, &a.Meta, ": "+a.MediaType))
}

// storeAttachmentData seals the bytes of attachment a (stored already) and
// sends them to the other workstations.
func (s *Session) storeAttachmentData(ctx context.Context, t *tx, a *chart.Attachment, data []byte) error {
	sealed := s.key.Seal(data, attachmentAD(string(a.ID), a.Version))
	if _, err := t.ExecContext(ctx, `INSERT INTO attachment_data (id, version, sealed) VALUES (?, ?, ?)`,
		string(a.ID), a.Version, sealed); err != nil {
		return fmt.Errorf("store attachment data: %w", err)
	}
	return s.syncAttachmentData(ctx, t, a, sealed)
}

// AttachmentData returns an attachment and its bytes, after checking them
// against the recorded SHA-256, and audits the read.
func (s *Session) AttachmentData(ctx context.Context, id chart.RecordID) (chart.Attachment, []byte, error) {
	var a chart.Attachment
	var data []byte
	err := s.guarded("read attachment", chart.ActReadClinical, func() error {
		row, err := loadClinicalRow(ctx, s.w.db, chart.KindAttachment, id)
		if err != nil {
			return err
		}
		a, data, err = s.openAttachment(ctx, row)
		return s.auditRead(ctx, chart.PatientID(row.patientID), chart.KindAttachment, row.id, "viewed attachment", err)
	})
	if err != nil {
		return chart.Attachment{}, nil, err
	}
	return a, data, nil
}

func (s *Session) openAttachment(ctx context.Context, row clinicalRow) (chart.Attachment, []byte, error) {
	a, err := openClinical[chart.Attachment](s.key, row)
	if err != nil {
		return a, nil, err
	}
	version, sealed, err := s.loadAttachmentData(ctx, row.id)
	if err != nil {
		return a, nil, err
	}
	data, err := s.key.Open(sealed, attachmentAD(row.id, version))
	if err != nil {
		return a, nil, recordIntegrityError(chart.KindAttachment, row.id)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != a.SHA256 {
		return a, nil, recordIntegrityError(chart.KindAttachment, row.id)
	}
	// Checked again at view time: a pulled attachment was never uploaded
	// here, and its details and bytes arrive separately.
	if _, err := CheckAttachmentContent(a.MediaType, data); err != nil {
		clear(data)
		return a, nil, chart.Errorf(chart.EINVALID, "%s It is kept in the chart as it arrived; "+
			"ask whoever attached it to scan it again as a PDF or image.", errNotViewable)
	}
	return a, data, nil
}
