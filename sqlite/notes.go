package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"outpost/chart"
)

// noteHashDomain versions the canonical encoding a signature covers.
const noteHashDomain = "outpost/note-content/v1\n"

// noteContent is exactly what a signature covers, in a fixed field order
// (encoding/json writes struct fields in declaration order).
type noteContent struct {
	Patient    chart.PatientID     `json:"patient"`
	Encounter  chart.RecordID      `json:"encounter"`
	Kind       chart.NoteKind      `json:"kind"`
	Title      string              `json:"title"`
	AddendumTo chart.RecordID      `json:"addendumTo"`
	Sections   []chart.NoteSection `json:"sections"`
}

// noteContentHash is the hex SHA-256 of the canonical encoding of n's content.
func noteContentHash(n *chart.Note) string {
	sections := n.Sections
	if sections == nil {
		sections = []chart.NoteSection{}
	}
	b, err := json.Marshal(noteContent{n.PatientID, n.EncounterID, n.Kind, n.Title, n.AddendumTo, sections})
	if err != nil {
		panic(fmt.Sprintf("encode note content: %v", err)) // plain strings and slices always encode
	}
	sum := sha256.Sum256(append([]byte(noteHashDomain), b...))
	clear(b)
	return hex.EncodeToString(sum[:])
}

// signatureHolds reports whether a signed note still has the content it
// was signed with (always true for drafts).
func signatureHolds(n *chart.Note) bool {
	return n.Signature == nil || n.Signature.ContentHash == noteContentHash(n)
}

var noteSpec = saveSpec[chart.Note, *chart.Note]{kind: chart.KindNote,
	validate: (*chart.Note).Validate, complete: completeNoteDraft}

// completeNoteDraft keeps the store-owned parts of a draft: its author and
// what it is an addendum to never change, and a draft has no signature.
func completeNoteDraft(ctx context.Context, s *Session, t *tx, n, old *chart.Note) (rowFlags, string, error) {
	n.Signature = nil
	if old == nil {
		n.AuthorID, n.AuthorName = s.user.ID, s.user.FullName
		if n.AddendumTo != "" {
			if _, err := addendumTarget(ctx, s, t, n.AddendumTo, n.PatientID); err != nil {
				return rowFlags{}, "", err
			}
		}
	} else {
		if old.AuthorID != s.user.ID {
			return rowFlags{}, "", chart.Errorf(chart.EFORBIDDEN, "This draft belongs to %s; only its author may change it. "+
				"Write your own note or ask them to finish it.", old.AuthorName)
		}
		n.AuthorID, n.AuthorName, n.AddendumTo = old.AuthorID, old.AuthorName, old.AddendumTo
	}
	if n.EncounterID != "" {
		if err := requireEncounter(ctx, t, n.EncounterID, n.PatientID); err != nil {
			return rowFlags{}, "", err
		}
	}
	return rowFlags{}, " (draft)", nil
}

// requireEncounter refuses a link to an encounter of another chart.
func requireEncounter(ctx context.Context, q queryer, id chart.RecordID, patient chart.PatientID) error {
	row, err := loadClinicalRow(ctx, q, chart.KindEncounter, id)
	if chart.ErrorCode(err) == chart.ENOTFOUND {
		return chart.FieldError("encounterId", "The encounter this refers to does not exist.")
	}
	if err != nil {
		return err
	}
	if row.patientID != string(patient) {
		return chart.FieldError("encounterId", "The encounter this refers to belongs to another patient.")
	}
	return nil
}

// addendumTarget loads the note an addendum corrects: it must be signed,
// current, and in the same chart.
func addendumTarget(ctx context.Context, s *Session, t *tx, id chart.RecordID, patient chart.PatientID) (chart.Note, error) {
	row, err := loadClinicalRow(ctx, t, chart.KindNote, id)
	if err != nil {
		return chart.Note{}, err
	}
	target, err := openClinical[chart.Note](s.key, row)
	if err != nil {
		return chart.Note{}, err
	}
	switch {
	case patient != "" && target.PatientID != patient:
		return chart.Note{}, chart.Errorf(chart.ECONFLICT, "That note belongs to another patient's chart.")
	case target.EnteredInError != nil:
		return chart.Note{}, chart.Errorf(chart.ECONFLICT, "That note was marked entered in error; it cannot have an addendum.")
	case !target.Signed():
		return chart.Note{}, chart.Errorf(chart.ECONFLICT, "That note is still a draft: edit it instead of adding an addendum.")
	}
	return target, nil
}

// SaveNoteDraft creates or autosaves a draft. A signed note is refused
// (ECONFLICT) by the store, and by a trigger beneath it.
func (s *Session) SaveNoteDraft(ctx context.Context, n chart.Note) (chart.Note, error) {
	return noteSpec.save(ctx, s, n)
}

// signAction is the permission that signing a note of kind needs.
func signAction(kind chart.NoteKind) chart.Action {
	if kind == chart.NoteNursing {
		return chart.ActSignNursingNote
	}
	return chart.ActSignNote
}

// SignNote signs the author's own draft at version and locks it. Only the
// author signs: a signature attests "I wrote this", so someone else
// finishing a colleague's draft writes their own note or an addendum.
func (s *Session) SignNote(ctx context.Context, id chart.RecordID, version int64) (chart.Note, error) {
	var n chart.Note
	err := s.guarded("sign note", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			row, err := loadClinicalRow(ctx, t, chart.KindNote, id)
			if err != nil {
				return err
			}
			if row.locked {
				return chart.Errorf(chart.ECONFLICT, "This note is already signed.")
			}
			if version != row.version {
				return errChangedUnderneath(chart.KindNote)
			}
			if n, err = openClinical[chart.Note](s.key, row); err != nil {
				return err
			}
			if err := s.maySign(&n); err != nil {
				return err
			}
			n.Version, n.UpdatedAt, n.UpdatedBy = row.version+1, t.now, s.user.ID
			n.Signature = &chart.Signature{SignerID: s.user.ID, SignerName: s.user.FullName, SignerRole: s.user.Role,
				SignedAt: t.now, ContentHash: noteContentHash(&n)}
			if err := s.storeRecord(ctx, t, chart.KindNote, &n.Meta, &n, []chart.ChangeID{row.head}, rowFlags{locked: true}); err != nil {
				return err
			}
			detail := "signed note"
			if n.AddendumTo != "" {
				detail = "signed addendum to note " + string(n.AddendumTo)
			}
			return s.audit(ctx, t, recordAudit(chart.AuditUpdate, chart.KindNote, &n.Meta, detail))
		})
	})
	if err != nil {
		return chart.Note{}, err
	}
	return n, nil
}

func (s *Session) maySign(n *chart.Note) error {
	if n.EnteredInError != nil {
		return errRetracted(chart.KindNote)
	}
	if !chart.Can(s.user.Role, signAction(n.Kind)) {
		if n.Kind == chart.NoteClinical {
			return chart.Errorf(chart.EFORBIDDEN, "Your role (%s) may not sign clinical notes: a clinician must sign this note. "+
				"Nurses sign nursing notes.", s.user.Role.Label())
		}
		return chart.Require(s.user.Role, signAction(n.Kind))
	}
	if n.AuthorID != s.user.ID {
		return chart.Errorf(chart.EFORBIDDEN, "Only the author (%s) may sign this draft.", n.AuthorName)
	}
	if !n.HasText() {
		return chart.FieldError("sections", "The note is empty; write something before signing it.")
	}
	return nil
}

// StartAddendum creates a draft addendum to a signed note. It is of the
// note's kind, unless the user may not sign that kind but may sign nursing
// notes (a nurse adding to a clinician's note writes a nursing addendum).
func (s *Session) StartAddendum(ctx context.Context, noteID chart.RecordID) (chart.Note, error) {
	var n chart.Note
	err := s.guarded("start addendum", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			var err error
			n, err = s.addAddendum(ctx, t, noteID, "")
			return err
		})
	})
	if err != nil {
		return chart.Note{}, err
	}
	return n, nil
}

// addAddendum saves a draft addendum to signed note noteID whose one
// section holds text.
func (s *Session) addAddendum(ctx context.Context, t *tx, noteID chart.RecordID, text string) (chart.Note, error) {
	target, err := addendumTarget(ctx, s, t, noteID, "")
	if err != nil {
		return chart.Note{}, err
	}
	kind := target.Kind
	if !chart.Can(s.user.Role, signAction(kind)) && chart.Can(s.user.Role, chart.ActSignNursingNote) {
		kind = chart.NoteNursing
	}
	n := chart.Note{Meta: chart.Meta{PatientID: target.PatientID}, EncounterID: target.EncounterID,
		Kind: kind, Title: clipTitle("Addendum to " + target.Title), AddendumTo: target.ID,
		Sections: []chart.NoteSection{{Key: "addendum", Label: "Addendum", Text: text}}}
	if err := noteSpec.saveIn(ctx, s, t, &n); err != nil {
		return chart.Note{}, err
	}
	return n, nil
}

func clipTitle(s string) string {
	r := []rune(s)
	if len(r) > chart.MaxShortTextLen {
		return string(r[:chart.MaxShortTextLen])
	}
	return s
}

// Note returns one note (with its signature verified) and audits the read.
func (s *Session) Note(ctx context.Context, id chart.RecordID) (chart.Note, error) {
	var n chart.Note
	err := s.guarded("read note", chart.ActReadClinical, func() error {
		row, err := loadClinicalRow(ctx, s.w.db, chart.KindNote, id)
		if err != nil {
			return err
		}
		n, err = openClinical[chart.Note](s.key, row)
		return s.auditRead(ctx, chart.PatientID(row.patientID), chart.KindNote, row.id, "viewed note", err)
	})
	if err != nil {
		return chart.Note{}, err
	}
	return n, nil
}

// Notes lists a patient's notes and addenda, oldest first.
func (s *Session) Notes(ctx context.Context, id chart.PatientID) ([]chart.Note, error) {
	return listFor[chart.Note](ctx, s, id, chart.KindNote)
}
