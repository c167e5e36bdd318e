package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/merge"
)

// Conflicts against a signed note. A signed note never gets a new version,
// so a concurrent edit it refused cannot be settled by writing the note:
// the reviewer dismisses it, or keeps its text as an unsigned addendum and
// dismisses it. A dismissal must reach every workstation, so it is a record
// of its own, kind conflict_ack, bound to the note's patient (it syncs with
// the chart), naming the note, the field and the change ids it dismisses.
// Acks are written once and never edited; Conflicts hides a value whose
// change id an ack names for that note and field.

const kindConflictAck = "conflict_ack"

// conflictAck is the sealed content of a conflict_ack record.
type conflictAck struct {
	ID        string           `json:"id"`
	PatientID chart.PatientID  `json:"patientId"`
	RecordID  string           `json:"recordId"`
	Field     string           `json:"field"`
	ChangeIDs []chart.ChangeID `json:"changeIds"`
}

type ackKey struct {
	recordID, field string
	change          chart.ChangeID
}

// ackSet holds every dismissed (record, field, change).
type ackSet map[ackKey]bool

// settleSigned dismisses (ResolveKeepShown) every value still shown
// against the signed note, or keeps one as an addendum (ResolveAddendum)
// and dismisses it.
func (s *Session) settleSigned(ctx context.Context, t *tx, r chart.Resolution, c merge.Conflict, patient chart.PatientID) error {
	acks, err := s.loadAcks(ctx, t)
	if err != nil {
		return err
	}
	others := visibleOthers(c, acks, r.RecordID)
	if len(others) == 0 {
		return errNotInConflict()
	}
	var ids []chart.ChangeID
	var detail string
	switch r.Choice {
	case chart.ResolveKeepShown:
		for _, o := range others {
			ids = append(ids, o.ChangeID)
		}
		detail = fmt.Sprintf("dismissed %d edits of %s made as the note was signed", len(ids), r.Field)
	case chart.ResolveAddendum:
		if r.OtherIndex < 0 || r.OtherIndex >= len(others) {
			return chart.FieldError("otherIndex", "Choose one of the other values listed.")
		}
		o := others[r.OtherIndex]
		n, err := s.addAddendum(ctx, t, chart.RecordID(r.RecordID), conflictText(o.Value))
		if err != nil {
			return err
		}
		ids = []chart.ChangeID{o.ChangeID}
		detail = fmt.Sprintf("kept an edit of %s made as the note was signed as addendum %s", r.Field, n.ID)
	default:
		return chart.FieldError("choice", "A signed note cannot be changed. Keep it as signed, "+
			"or keep the other text as an addendum.")
	}
	if err := s.writeAck(ctx, t, conflictAck{PatientID: patient, RecordID: r.RecordID, Field: r.Field, ChangeIDs: ids}); err != nil {
		return err
	}
	return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate, PatientID: patient, RecordKind: chart.KindNote,
		RecordID: r.RecordID, Detail: "resolved a sync conflict with a signed note: " + detail})
}

// conflictText renders a refused value for an addendum: a note's sections
// as their text, a string as itself, anything else as its JSON.
func conflictText(v json.RawMessage) string {
	var str string
	if json.Unmarshal(v, &str) == nil {
		return str
	}
	var sections []chart.NoteSection
	if json.Unmarshal(v, &sections) == nil && len(sections) > 0 {
		var parts []string
		for _, sec := range sections {
			if strings.TrimSpace(sec.Text) == "" {
				continue
			}
			parts = append(parts, strings.TrimSpace(sec.Label+"\n"+sec.Text))
		}
		return strings.Join(parts, "\n\n")
	}
	return string(v)
}

// writeAck stores a dismissal as a new conflict_ack record (one version).
func (s *Session) writeAck(ctx context.Context, t *tx, a conflictAck) error {
	a.ID = string(chart.NewRecordID())
	pt, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode conflict dismissal: %w", err)
	}
	defer clear(pt)
	cid := chart.NewChangeID()
	sealed := s.key.Seal(pt, recordAD(kindConflictAck, a.ID, 1, cid))
	return s.w.putRecord(ctx, t, s.key, s.deviceID, change{id: cid, kind: kindConflictAck, recordID: a.ID,
		patientID: string(a.PatientID), version: 1, userID: s.user.ID, sealed: sealed})
}

// loadAcks opens every dismissal held here.
func (s *Session) loadAcks(ctx context.Context, q queryer) (ackSet, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(patient_id, ''), version, head_change_id, sealed
		FROM records WHERE kind = ?`, kindConflictAck)
	if err != nil {
		return nil, fmt.Errorf("load conflict dismissals: %w", err)
	}
	defer rows.Close()
	out := ackSet{}
	for rows.Next() {
		var v storedVersion
		if err := rows.Scan(&v.id, &v.patientID, &v.version, &v.cid, &v.sealed); err != nil {
			return nil, fmt.Errorf("load conflict dismissals: %w", err)
		}
		v.kind = kindConflictAck
		a, err := openAck(s.key, v)
		if err != nil {
			return nil, err
		}
		for _, c := range a.ChangeIDs {
			out[ackKey{a.RecordID, a.Field, c}] = true
		}
	}
	return out, rows.Err()
}

func openAck(key *seal.Keyring, v storedVersion) (conflictAck, error) {
	var a conflictAck
	pt, err := key.Open(v.sealed, recordAD(kindConflictAck, v.id, v.version, v.cid))
	if err != nil {
		return a, recordIntegrityError(v.kind, v.id)
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &a); err != nil || a.ID != v.id || string(a.PatientID) != v.patientID {
		return conflictAck{}, recordIntegrityError(v.kind, v.id)
	}
	return a, nil
}

// ackMerger merges conflict_ack records like any kind; they have one
// version each, so the merge only makes a pulled one current here.
var ackMerger = kindMerger{
	open: func(key *seal.Keyring, v storedVersion) (map[string]json.RawMessage, error) {
		a, err := openAck(key, v)
		if err != nil {
			return nil, err
		}
		return recordFields(&a)
	},
	build: func(key *seal.Keyring, fields map[string]json.RawMessage, v storedVersion) (builtRow, error) {
		var a conflictAck
		if err := decodeFields(fields, &a); err != nil || a.ID != v.id || string(a.PatientID) != v.patientID {
			return builtRow{}, recordIntegrityError(v.kind, v.id)
		}
		pt, err := json.Marshal(&a)
		if err != nil {
			return builtRow{}, fmt.Errorf("encode conflict dismissal: %w", err)
		}
		defer clear(pt)
		return builtRow{sealed: key.Seal(pt, recordAD(kindConflictAck, v.id, v.version, v.cid))}, nil
	},
}
