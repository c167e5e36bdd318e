package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"outpost/chart"
	"outpost/seal"
)

const recordSummaryADLabel = "outpost/record-summary/v1"

// summaryAD binds a sealed summary to its record version, like recordAD,
// under its own label so a summary can never be opened as a record.
func summaryAD(kind, id string, version int64, cid chart.ChangeID) []byte {
	return seal.AD(recordSummaryADLabel, kind, id, fmt.Sprint(version), string(cid))
}

// noteHeader is the part of a note the timeline shows.
type noteHeader struct {
	chart.Meta
	EncounterID chart.RecordID   `json:"encounterId"`
	Title       string           `json:"title"`
	AuthorName  string           `json:"authorName"`
	AddendumTo  chart.RecordID   `json:"addendumTo,omitempty"`
	Signature   *chart.Signature `json:"signature,omitempty"`
	Kind        chart.NoteKind   `json:"kind,omitempty"` // "" in summaries written before kinds were kept
}

func sealNoteSummary(key *seal.Keyring, n *chart.Note, cid chart.ChangeID) ([]byte, error) {
	h := noteHeader{Meta: n.Meta, EncounterID: n.EncounterID, Title: n.Title, AuthorName: n.AuthorName,
		AddendumTo: n.AddendumTo, Signature: n.Signature, Kind: n.Kind}
	pt, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encode note summary: %w", err)
	}
	defer clear(pt)
	return key.Seal(pt, summaryAD(chart.KindNote, string(n.ID), n.Version, cid)), nil
}

// listNoteHeaders opens the sealed summaries of a patient's current notes,
// leaving out notes entered in error. A row without a summary (none is
// expected) falls back to opening the whole note. A note that does not open
// is its placeholder.
func listNoteHeaders(ctx context.Context, q queryer, key *seal.Keyring, patients chartIDs) ([]noteHeader, error) {
	cond, args := patients.where("patient_id")
	all, err := noteHeadersWhere(ctx, q, key, cond, args...)
	return slices.DeleteFunc(all, func(h noteHeader) bool { return h.EnteredInError != nil }), err
}

// noteHeadersWhere opens the sealed summaries of the notes where selects
// (entered in error included), in id order; a note that does not open is
// its placeholder.
func noteHeadersWhere(ctx context.Context, q queryer, key *seal.Keyring, where string, args ...any) ([]noteHeader, error) {
	// Not the full sealed note: reading its pages is most of the cost.
	rows, err := q.QueryContext(ctx, `SELECT id, patient_id, version, head_change_id, sealed_summary FROM records
		WHERE `+where+` AND kind = ? ORDER BY id`, append(args, chart.KindNote)...)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	defer rows.Close()
	type sealedHeader struct {
		row     clinicalRow
		summary []byte
	}
	var sealed []sealedHeader
	for rows.Next() {
		r := clinicalRow{recordRow: recordRow{kind: chart.KindNote}}
		var summary []byte
		if err := rows.Scan(&r.id, &r.patientID, &r.version, &r.head, &summary); err != nil {
			return nil, fmt.Errorf("list notes: %w", err)
		}
		sealed = append(sealed, sealedHeader{r, summary})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	rows.Close()
	// Opening is most of a chart summary's work: spread over the cores. A
	// note without a summary needs the database and is opened after. A
	// note that does not open is its placeholder.
	headers, err := openEach(len(sealed), func(i int) (noteHeader, error) {
		if sealed[i].summary == nil {
			return noteHeader{}, nil
		}
		return openListed(sealed[i].row, func(r clinicalRow) (noteHeader, error) {
			return openNoteHeader(ctx, nil, key, r, sealed[i].summary)
		})
	})
	if err != nil {
		return nil, err
	}
	var out []noteHeader
	for i, h := range headers {
		if sealed[i].summary == nil {
			h, err = openListed(sealed[i].row, func(r clinicalRow) (noteHeader, error) { return openNoteHeader(ctx, q, key, r, nil) })
			if err != nil {
				return nil, err
			}
		}
		out = append(out, h)
	}
	return out, nil
}

func openNoteHeader(ctx context.Context, q queryer, key *seal.Keyring, r clinicalRow, summary []byte) (noteHeader, error) {
	if summary == nil {
		full, err := loadClinicalRow(ctx, q, chart.KindNote, chart.RecordID(r.id))
		if err != nil {
			return noteHeader{}, err
		}
		return openClinical[noteHeader](key, full)
	}
	var h noteHeader
	pt, err := key.Open(summary, summaryAD(r.kind, r.id, r.version, r.head))
	if err != nil {
		return h, recordIntegrityError(r.kind, r.id)
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &h); err != nil || string(h.ID) != r.id || string(h.PatientID) != r.patientID || h.Version != r.version {
		return noteHeader{}, recordIntegrityError(r.kind, r.id)
	}
	h.Damaged = "" // set only on placeholders
	return h, nil
}

// closesEncounter reports whether this note closes its visit.
func (h *noteHeader) closesEncounter() bool {
	return !h.IsDamaged() && chart.ClosesEncounter(h.Kind, h.Signature != nil, h.AddendumTo != "")
}

// closedEncounters maps each visit closed by a signed note to that note.
func closedEncounters(notes []noteHeader) map[chart.RecordID]*noteHeader {
	out := map[chart.RecordID]*noteHeader{}
	for i := range notes {
		if n := &notes[i]; n.EncounterID != "" && n.closesEncounter() {
			out[n.EncounterID] = n
		}
	}
	return out
}

// summarisedNotes opens the summaries of the notes that where selects
// (what names the query in errors). A note written before summaries were
// kept is left out; one that does not open is its placeholder.
func (s *Session) summarisedNotes(ctx context.Context, q queryer, what, where string, args ...any) ([]noteHeader, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, patient_id, version, head_change_id, sealed_summary FROM records
		WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []noteHeader
	for rows.Next() {
		r := clinicalRow{recordRow: recordRow{kind: chart.KindNote}}
		var summary []byte
		if err := rows.Scan(&r.id, &r.patientID, &r.version, &r.head, &summary); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if summary == nil {
			continue
		}
		h, err := openListed(r, func(r clinicalRow) (noteHeader, error) { return openNoteHeader(ctx, nil, s.key, r, summary) })
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
