package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"outpost/chart"
	"outpost/seal"
)

// The sealed summary snapshot (issue #14): opening a 15-year chart opened
// 600 encounters and note headers for its timeline, most of the summary's
// work. The snapshot keeps what the summary reads of each of them
// (summary_snapshot_format.go), with the (version, change) of the record
// it came from, sealed under the practice data key in the local table
// summary_snapshot, one row per chart (never synced). Opening a chart reads
// the (id, version, change) of the chart's current encounters and notes
// from an index, takes each entry that still matches, and opens only the
// records new or changed since; a record gone drops out, as only current
// rows are read. An entry says what one version of one record holds, which
// stays true, so a stale snapshot only costs opening. A record that does
// not open is never kept: it is opened again (and shown as its placeholder)
// every time. A snapshot that does not open is ignored (logged, naming no
// patient) and written again. The rewrite happens in the background: the
// summary never waits for it.

const summarySnapADLabel = "outpost/summary-snapshot/v1"

// summarySnapAD binds a snapshot to its chart: one chart's snapshot cannot
// be passed off as another's.
func summarySnapAD(patient chart.PatientID) []byte {
	return seal.AD(summarySnapADLabel, string(patient))
}

// timelineRecords are the chart's current encounters and notes (entries
// entered in error left out), each kind in id order, as the summary reads
// them: from the snapshot or opened.
type timelineRecords struct {
	encounters []chart.Encounter
	notes      []noteHeader
	// fresh is the snapshot to write, nil when the stored one is current.
	fresh *summarySnap
	// opened counts the records opened (not taken from the snapshot).
	opened int
}

// entryHead is the current version of one encounter or note.
type entryHead struct {
	id, kind string
	snapHead
}

// loadTimeline gathers the timeline records of patient's chart (ids).
func (s *Session) loadTimeline(ctx context.Context, q queryer, patient chart.PatientID, ids chartIDs) (timelineRecords, error) {
	snap, stale := readSummarySnap(ctx, q, s.key, patient)
	heads, err := timelineHeads(ctx, q, ids)
	if err != nil {
		return timelineRecords{}, err
	}
	var encAt snapIndex[encounterEntry]
	var noteAt snapIndex[noteEntry]
	if snap != nil {
		encAt, noteAt = indexByID(snap.encounters), indexByID(snap.notes)
	}
	var missingEnc, missingNotes []string
	for _, h := range heads {
		if h.kind == chart.KindEncounter && !encAt.holds(h) {
			missingEnc = append(missingEnc, h.id)
		} else if h.kind == chart.KindNote && !noteAt.holds(h) {
			missingNotes = append(missingNotes, h.id)
		}
	}
	var where func() (string, []any)
	if snap == nil { // everything is to be opened: the chart's rows, not a list of ids
		where = func() (string, []any) { return ids.where("patient_id") }
	}
	encs, err := s.openEncounters(ctx, q, missingEnc, where)
	if err != nil {
		return timelineRecords{}, err
	}
	notes, err := s.openNotes(ctx, q, missingNotes, where)
	if err != nil {
		return timelineRecords{}, err
	}
	var fresh summarySnap
	var out timelineRecords
	for _, h := range heads {
		switch h.kind {
		case chart.KindEncounter:
			place(h, encAt, encs, &fresh.encounters, &out.encounters)
		case chart.KindNote:
			place(h, noteAt, notes, &fresh.notes, &out.notes)
		}
	}
	out.opened = len(missingEnc) + len(missingNotes)
	if snap == nil || stale || !snap.same(&fresh) {
		out.fresh = &fresh
	}
	return out, nil
}

// place takes the entry of h from the snapshot when it holds its version,
// else from opened (nothing when the record went between the two reads).
// What opened fine goes to fresh (never a placeholder), what is current
// (not entered in error) to current.
func place[T any, P recordPtr[T]](h entryHead, ix snapIndex[timelineEntry[T]], opened map[string]T,
	fresh *[]timelineEntry[T], current *[]T) {
	e, ok := ix[h.id]
	if !ix.holds(h) {
		e.rec, ok = opened[h.id]
		e.snapHead = h.snapHead
	}
	if !ok {
		return
	}
	m := P(&e.rec).RecordMeta()
	if !m.IsDamaged() {
		*fresh = append(*fresh, e)
	}
	if m.EnteredInError == nil {
		*current = append(*current, e.rec)
	}
}

// same reports whether s holds the entries of o, in the same order.
func (s *summarySnap) same(o *summarySnap) bool {
	return sameHeads(s.encounters, o.encounters) && sameHeads(s.notes, o.notes)
}

func sameHeads[T any, P recordPtr[T]](a, b []timelineEntry[T]) bool {
	return slices.EqualFunc(a, b, func(x, y timelineEntry[T]) bool {
		return x.snapHead == y.snapHead && P(&x.rec).RecordMeta().ID == P(&y.rec).RecordMeta().ID
	})
}

// snapIndex finds a snapshot's entries by record id.
type snapIndex[T interface{ headOf() snapHead }] map[string]T

func indexByID[T any, P recordPtr[T]](es []timelineEntry[T]) snapIndex[timelineEntry[T]] {
	out := make(snapIndex[timelineEntry[T]], len(es))
	for _, e := range es {
		out[string(P(&e.rec).RecordMeta().ID)] = e
	}
	return out
}

// holds reports whether the entry of h's record is of its current version.
func (ix snapIndex[T]) holds(h entryHead) bool {
	e, ok := ix[h.id]
	return ok && e.headOf() == h.snapHead
}

func (h snapHead) headOf() snapHead { return h }

// timelineHeads reads the (id, version, change) of the chart's encounters
// and notes, each change stamped with a digest of its sealed blob
// (sealStamp), in id order. Sorted here: an ORDER BY cost SQLite a sort of its own, and with
// several patients (a merged chart) took it off the index.
func timelineHeads(ctx context.Context, q queryer, ids chartIDs) ([]entryHead, error) {
	cond, args := ids.where("patient_id")
	heads, err := queryAll(ctx, q, "chart timeline", func(scan func(...any) error) (h entryHead, err error) {
		var sealed []byte
		err = scan(&h.id, &h.kind, &h.version, &h.head, &sealed)
		h.head = sealStamp(h.head, sealed) // a blob damaged since is opened, not shown from the snapshot
		return h, err
	}, `SELECT id, kind, version, head_change_id, sealed FROM records
		WHERE `+cond+` AND kind IN (?, ?)`, append(args, chart.KindEncounter, chart.KindNote)...)
	slices.SortFunc(heads, func(a, b entryHead) int { return strings.Compare(a.id, b.id) })
	return heads, err
}

// openEncounters opens the encounters ids (or all whole selects), by id; a
// placeholder for one that does not open.
func (s *Session) openEncounters(ctx context.Context, q queryer, ids []string,
	whole func() (string, []any)) (map[string]chart.Encounter, error) {
	return openByID(ids, whole, func(e chart.Encounter) string { return string(e.ID) },
		func(cond string, args []any) ([]chart.Encounter, error) {
			sealed, err := queryAll(ctx, q, "chart timeline", scanClinical, `SELECT `+clinicalColumns+` FROM records
				WHERE `+cond+` AND kind = ? ORDER BY id`, append(args, chart.KindEncounter)...)
			if err != nil {
				return nil, err
			}
			return openAll[chart.Encounter](s.key, sealed)
		})
}

// openNotes opens the headers of the notes ids (or all whole selects).
func (s *Session) openNotes(ctx context.Context, q queryer, ids []string,
	whole func() (string, []any)) (map[string]noteHeader, error) {
	return openByID(ids, whole, func(n noteHeader) string { return string(n.ID) },
		func(cond string, args []any) ([]noteHeader, error) {
			return noteHeadersWhere(ctx, q, s.key, cond, args...)
		})
}

// openByID opens the records ids, a chunk of ids at a time, or at once all
// that whole selects when it is not nil; it returns them by id.
func openByID[T any](ids []string, whole func() (string, []any), idOf func(T) string,
	open func(cond string, args []any) ([]T, error)) (map[string]T, error) {
	out := map[string]T{}
	add := func(cond string, args []any) error {
		opened, err := open(cond, args)
		for _, v := range opened {
			out[idOf(v)] = v
		}
		return err
	}
	if whole != nil {
		cond, args := whole()
		return out, add(cond, args)
	}
	for chunk := range slices.Chunk(ids, unreadableChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := add(`id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readSummarySnap opens patient's stored snapshot: nil when there is none
// or it does not open (logged, naming no patient). stale says it was
// sealed under an epoch other than the current one.
func readSummarySnap(ctx context.Context, q queryer, key *seal.Keyring, patient chart.PatientID) (*summarySnap, bool) {
	var sealed []byte
	err := q.QueryRowContext(ctx, `SELECT sealed FROM summary_snapshot WHERE patient_id = ?`, string(patient)).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, true
	}
	if err != nil {
		slog.Warn("summary snapshot not read; opening the chart's records", "err", err)
		return nil, true
	}
	snap, err := openSnapshotBlob(key, "summary snapshot", sealed, summarySnapAD(patient), decodeSummarySnap)
	if err != nil {
		slog.Warn("summary snapshot unusable; opening the chart's records", "reason", err)
		return nil, true
	}
	current, _ := key.Current()
	return snap, seal.EpochOf(sealed) != current
}

// refreshSummarySnap writes patient's snapshot in the background: the
// summary never waits for it.
func (w *Workstation) refreshSummarySnap(s *Session, patient chart.PatientID, snap *summarySnap) {
	w.sealInBackground(s, "summary snapshot not written; the next chart open opens more records",
		func(key *seal.Keyring) (func(*tx) error, error) {
			pt, err := encodeSummarySnap(snap)
			if err != nil {
				return nil, err
			}
			sealed := key.Seal(pt, summarySnapAD(patient))
			clear(pt)
			return func(t *tx) error {
				_, err := t.ExecContext(context.Background(), `INSERT INTO summary_snapshot (patient_id, sealed)
					VALUES (?, ?) ON CONFLICT (patient_id) DO UPDATE SET sealed = excluded.sealed`, string(patient), sealed)
				if err != nil {
					return fmt.Errorf("write summary snapshot: %w", err)
				}
				return nil
			}, nil
		})
}

// openFullEncounter replaces the open visit, as the timeline holds it
// (what the snapshot keeps of it), with the whole record.
func (s *Session) openFullEncounter(ctx context.Context, q queryer, sum *chart.ChartSummary) error {
	if sum.OpenEncounter == nil {
		return nil
	}
	row, err := loadClinicalRow(ctx, q, chart.KindEncounter, sum.OpenEncounter.ID)
	if err != nil {
		return err
	}
	e, err := openListed(row, func(r clinicalRow) (chart.Encounter, error) { return openClinical[chart.Encounter](s.key, r) })
	if err != nil {
		return err
	}
	if e.IsDamaged() { // it opened when the snapshot was written: shown on the timeline, not as the visit
		sum.OpenEncounter = nil
		return nil
	}
	sum.OpenEncounter = &e
	return nil
}
