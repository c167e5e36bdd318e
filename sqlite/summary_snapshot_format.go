package sqlite

import (
	"encoding/binary"
	"fmt"
	"time"

	"outpost/chart"
)

// The plaintext of a summary snapshot: summarySnapMagic, the number of
// encounter entries (uvarint) and each of them, then the number of note
// entries and each of them. An entry starts with its record's id, head
// change, version (uvarint) and a flags byte, then what the timeline and
// the open visit read of the record (see timelineEncounter, timelineNote).
// Strings are the index snapshot's (length, bytes); a new layout takes a
// new magic, and a blob of an unknown one is ignored like a damaged one.
const summarySnapMagic = "outpost/summary-snapshot/v1\x00"

const (
	entryRetracted = 1 << iota // entered in error: left out of the summary
	entrySigned                // a note with a signature
)

// snapHead is the (version, change) of the record an entry came from.
type snapHead struct {
	version int64
	head    chart.ChangeID
}

// timelineEntry is what the summary reads of one version of one record.
type timelineEntry[T any] struct {
	snapHead
	rec T
}

type (
	encounterEntry = timelineEntry[chart.Encounter]
	noteEntry      = timelineEntry[noteHeader]
)

// summarySnap is the timeline of one chart as the summary last opened it.
type summarySnap struct {
	encounters []encounterEntry
	notes      []noteEntry
}

func encodeSummarySnap(s *summarySnap) ([]byte, error) {
	b := make([]byte, 0, 64+(len(s.encounters)+len(s.notes))*160)
	b = append(b, summarySnapMagic...)
	b = binary.AppendUvarint(b, uint64(len(s.encounters)))
	for i := range s.encounters {
		b = appendEncounterEntry(b, &s.encounters[i])
	}
	b = binary.AppendUvarint(b, uint64(len(s.notes)))
	for i := range s.notes {
		var err error
		if b, err = appendNoteEntry(b, &s.notes[i]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func appendEntryHead(b []byte, m *chart.Meta, h chart.ChangeID, flags byte) []byte {
	if m.EnteredInError != nil {
		flags |= entryRetracted
	}
	b = appendString(b, string(m.ID))
	b = appendString(b, string(h))
	b = binary.AppendUvarint(b, uint64(m.Version))
	b = append(b, flags)
	return appendString(b, string(m.PatientID))
}

func appendEncounterEntry(b []byte, x *encounterEntry) []byte {
	e := &x.rec
	b = appendEntryHead(b, &e.Meta, x.head, 0)
	for _, s := range []string{string(e.Type), e.Start, e.Reason, e.ClinicianName, e.Location} {
		b = appendString(b, s)
	}
	return b
}

func appendNoteEntry(b []byte, x *noteEntry) ([]byte, error) {
	n := &x.rec
	var flags byte
	if n.Signature != nil {
		flags = entrySigned
	}
	created, err := n.CreatedAt.MarshalText()
	if err != nil {
		return nil, fmt.Errorf("summary snapshot: createdAt: %w", err)
	}
	b = appendEntryHead(b, &n.Meta, x.head, flags)
	for _, s := range []string{string(created), string(n.EncounterID), n.Title, n.AuthorName, string(n.AddendumTo), string(n.Kind)} {
		b = appendString(b, s)
	}
	return b, nil
}

// decodeSummarySnap reads what encodeSummarySnap wrote.
func decodeSummarySnap(pt []byte) (*summarySnap, error) {
	r, err := newSnapReader(pt, summarySnapMagic)
	if err != nil {
		return nil, err
	}
	var s summarySnap
	s.encounters = make([]encounterEntry, r.count())
	for i := range s.encounters {
		r.encounterEntry(&s.encounters[i])
	}
	s.notes = make([]noteEntry, r.count())
	for i := range s.notes {
		if err := r.noteEntry(&s.notes[i]); err != nil {
			return nil, err
		}
	}
	if r.bad || r.i != len(r.s) {
		return nil, errSnapshotFormat
	}
	return &s, nil
}

// entryHead reads what appendEntryHead wrote and returns its flags.
func (r *snapReader) entryHead(m *chart.Meta, h *snapHead) byte {
	m.ID, h.head = chart.RecordID(r.str()), chart.ChangeID(r.str())
	h.version = int64(r.uvarint())
	m.Version = h.version
	flags := r.byte()
	m.PatientID = chart.PatientID(r.str())
	if flags&entryRetracted != 0 {
		m.EnteredInError = &chart.EnteredInError{} // only "retracted" is kept
	}
	return flags
}

func (r *snapReader) encounterEntry(x *encounterEntry) {
	e := &x.rec
	r.entryHead(&e.Meta, &x.snapHead)
	e.Type, e.Start, e.Reason, e.ClinicianName, e.Location = chart.EncounterType(r.str()), r.str(), r.str(), r.str(), r.str()
}

func (r *snapReader) noteEntry(x *noteEntry) error {
	n := &x.rec
	if r.entryHead(&n.Meta, &x.snapHead)&entrySigned != 0 {
		n.Signature = &chart.Signature{} // only "signed" is kept
	}
	created := r.str()
	n.EncounterID, n.Title, n.AuthorName = chart.RecordID(r.str()), r.str(), r.str()
	n.AddendumTo, n.Kind = chart.RecordID(r.str()), chart.NoteKind(r.str())
	if r.bad {
		return errSnapshotFormat
	}
	var at time.Time
	if err := at.UnmarshalText([]byte(created)); err != nil {
		return errSnapshotFormat
	}
	n.CreatedAt = at
	return nil
}
