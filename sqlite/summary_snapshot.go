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
// patient) and written again. A current one is rewritten only once enough
// of it differs (snapRewriteAt): until then a reopen opens the few records
// it lacks. The rewrite happens in the background: the summary never waits
// for it.

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
	// The snapshot opens (inflate, decode: CPU) while the heads are read
	// from SQLite; q serialises the two reads, not the opening.
	read := readSnapshotAside("summary snapshot", func() (*summarySnap, bool) {
		return readSummarySnap(ctx, q, s.key, patient)
	})
	heads, err := timelineHeads(ctx, q, ids)
	st := read()
	if err != nil {
		return timelineRecords{}, err
	}
	snap := st.snap
	if snap == nil {
		snap = &summarySnap{}
	}
	m := matchHeads(heads, snap)
	var where func() (string, []any)
	if st.snap == nil { // everything is to be opened: the chart's rows, not a list of ids
		where = func() (string, []any) { return ids.where("patient_id") }
	}
	encs, err := s.openEncounters(ctx, q, m.missingEnc, where)
	if err != nil {
		return timelineRecords{}, err
	}
	notes, err := s.openNotes(ctx, q, m.missingNotes, where)
	if err != nil {
		return timelineRecords{}, err
	}
	out := timelineRecords{encounters: make([]chart.Encounter, 0, len(snap.encounters)+len(m.missingEnc)),
		notes: make([]noteHeader, 0, len(snap.notes)+len(m.missingNotes))}
	// The snapshot is rebuilt (copied entry by entry) only when it may be
	// rewritten: not on the usual reopen, with little or nothing new.
	var fresh *summarySnap
	if st.snap == nil || st.stale || m.changedAtMost(snap) >= snapRewriteAt(len(heads)) {
		fresh = &summarySnap{encounters: make([]encounterEntry, 0, cap(out.encounters)),
			notes: make([]noteEntry, 0, cap(out.notes))}
	}
	for i, h := range heads {
		switch h.kind {
		case chart.KindEncounter:
			place(h, snap.encounters, m.from[i], encs, fresh.encountersOrNil(), &out.encounters)
		case chart.KindNote:
			place(h, snap.notes, m.from[i], notes, fresh.notesOrNil(), &out.notes)
		}
	}
	out.opened = len(m.missingEnc) + len(m.missingNotes)
	if fresh != nil && (st.snap == nil || st.stale || m.changed(snap, fresh) >= snapRewriteAt(fresh.len())) {
		out.fresh = fresh
	}
	return out, nil
}

// snapRewriteAt is how many entries must differ (records opened that
// could be kept, entries no longer current) before a reopen rewrites the
// snapshot. Until then a reopen opens the few records the snapshot lacks
// (~30 µs each) instead of the chart's ~600 entries being encoded, sealed
// and written again (~2.7 ms of CPU, every reopen that found something
// new); a 32nd of the chart, at least 8, roughly balances the two for a
// chart that gains a visit or two between opens.
func snapRewriteAt(entries int) int { return max(8, entries/32) }

// changedAtMost bounds from above how many entries a snapshot rebuilt
// from the heads would differ by from snap: every record it lacks (some
// may not open, and are never kept) and every entry no longer current.
func (m *headMatch) changedAtMost(snap *summarySnap) int {
	return len(m.missingEnc) + len(m.missingNotes) + m.dropped(snap)
}

// changed is how many entries fresh, rebuilt from the heads, differs by
// from snap: the records opened and kept, and the entries no longer
// current. A record that does not open is never kept, so it never makes
// a rewrite (which would find it again the next time).
func (m *headMatch) changed(snap, fresh *summarySnap) int {
	return fresh.len() - m.matchedEnc - m.matchedNote + m.dropped(snap)
}

// dropped is how many of snap's entries matched no head.
func (m *headMatch) dropped(snap *summarySnap) int {
	return snap.len() - m.matchedEnc - m.matchedNote
}

func (s *summarySnap) len() int { return len(s.encounters) + len(s.notes) }

// headMatch is how a chart's heads match its snapshot's entries.
type headMatch struct {
	from                     []int // the snapshot entry of each head, or -1
	missingEnc, missingNotes []string
	matchedEnc, matchedNote  int
}

// matchHeads matches heads to snap's entries: both are in id order, so one
// walk does it, without maps.
func matchHeads(heads []entryHead, snap *summarySnap) headMatch {
	encAt := snapCursor[chart.Encounter, *chart.Encounter]{es: snap.encounters}
	noteAt := snapCursor[noteHeader, *noteHeader]{es: snap.notes}
	m := headMatch{from: make([]int, len(heads))}
	for i, h := range heads {
		m.from[i] = -1
		switch h.kind {
		case chart.KindEncounter:
			if m.from[i] = encAt.match(h); m.from[i] < 0 {
				m.missingEnc = append(m.missingEnc, h.id)
			} else {
				m.matchedEnc++
			}
		case chart.KindNote:
			if m.from[i] = noteAt.match(h); m.from[i] < 0 {
				m.missingNotes = append(m.missingNotes, h.id)
			} else {
				m.matchedNote++
			}
		}
	}
	return m
}

func (s *summarySnap) encountersOrNil() *[]encounterEntry {
	if s == nil {
		return nil
	}
	return &s.encounters
}

func (s *summarySnap) notesOrNil() *[]noteEntry {
	if s == nil {
		return nil
	}
	return &s.notes
}

// place takes the entry of h from the snapshot (es[at]) when it holds its
// version (at >= 0), else from opened (nothing when the record went between
// the two reads). What opened fine goes to fresh (never a placeholder;
// nil: no snapshot is being rebuilt), what is current (not entered in
// error) to current.
func place[T any, P recordPtr[T]](h entryHead, es []timelineEntry[T], at int, opened map[string]T,
	fresh *[]timelineEntry[T], current *[]T) {
	var e timelineEntry[T]
	if at >= 0 {
		e = es[at]
	} else {
		rec, ok := opened[h.id]
		if !ok {
			return
		}
		e = timelineEntry[T]{snapHead: h.snapHead, rec: rec}
	}
	m := P(&e.rec).RecordMeta()
	if fresh != nil && !m.IsDamaged() {
		*fresh = append(*fresh, e)
	}
	if m.EnteredInError == nil {
		*current = append(*current, e.rec)
	}
}

// snapCursor walks a snapshot's entries (in id order, as written)
// alongside the heads (in id order). An entry out of order is only missed:
// its record is opened and the snapshot rewritten, never a wrong entry
// taken (a match needs the same id, version and stamp).
type snapCursor[T any, P recordPtr[T]] struct {
	es []timelineEntry[T]
	i  int
}

// match returns the position of the entry of h's record when it is of
// h's version, else -1. Calls come in increasing id order.
func (c *snapCursor[T, P]) match(h entryHead) int {
	for c.i < len(c.es) && c.id() < h.id {
		c.i++
	}
	if c.i < len(c.es) && c.id() == h.id && c.es[c.i].snapHead == h.snapHead {
		return c.i
	}
	return -1
}

func (c *snapCursor[T, P]) id() string { return string(P(&c.es[c.i].rec).RecordMeta().ID) }

// timelineHeads reads the (id, version, change) of the chart's encounters
// and notes, each change stamped with a digest of its sealed blob
// (sealStamp), in id order. Sorted here: an ORDER BY cost SQLite a sort of its own, and with
// several patients (a merged chart) took it off the index.
func timelineHeads(ctx context.Context, q queryer, ids chartIDs) ([]entryHead, error) {
	cond, args := ids.where("patient_id")
	heads, err := queryAll(ctx, q, "chart timeline", func(scan func(...any) error) (h entryHead, err error) {
		var kind, head, sealed sql.RawBytes // not copied: only compared and hashed
		err = scan(&h.id, &kind, &h.version, &head, &sealed)
		h.kind = timelineKind(kind)
		h.head = sealStamp(head, sealed) // a blob damaged since is opened, not shown from the snapshot
		return h, err
	}, `SELECT id, kind, version, head_change_id, sealed FROM records
		WHERE `+cond+` AND kind IN (?, ?)`, append(args, chart.KindEncounter, chart.KindNote)...)
	slices.SortFunc(heads, func(a, b entryHead) int { return strings.Compare(a.id, b.id) })
	return heads, err
}

// timelineKind is kind as one of the constants (no string made per row).
func timelineKind(kind []byte) string {
	switch string(kind) {
	case chart.KindEncounter:
		return chart.KindEncounter
	case chart.KindNote:
		return chart.KindNote
	}
	return string(kind)
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
