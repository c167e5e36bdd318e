package sqlite

import (
	"context"
	"fmt"
	"strings"

	"outpost/chart"
	"outpost/sync/clock"
)

// importRowsChunk is how many new records one statement writes: a record a
// statement paid the statement's overhead (and the statement journal its
// trigger opens, a copy of every page it touches) per record; 64 rows of 12
// columns stay far under SQLite's limit of bound values.
const importRowsChunk = 64

// importRows gathers an import's new records and writes them a chunk at a
// time: the change log's rows in one INSERT, the records' in another.
type importRows struct {
	s       *Session
	pending []change
}

// add queues one new sealed record; it is written by the add that fills a
// chunk or by flush.
func (r *importRows) add(ctx context.Context, t *tx, kind string, m *chart.Meta, sr sealedRecord, f rowFlags) error {
	r.pending = append(r.pending, change{id: sr.cid, kind: kind, recordID: string(m.ID), patientID: string(m.PatientID),
		version: m.Version, userID: r.s.user.ID, sealed: sr.sealed, locked: f.locked, toReview: f.toReview,
		summary: sr.summary})
	if len(r.pending) < importRowsChunk {
		return nil
	}
	return r.flush(ctx, t)
}

// flush writes the queued records as putRecord writes each (a stamped,
// tagged change and the record's current row), but with the change's
// bytes left empty from the start: the record's row holds the same bytes,
// which is what migration 0017's trigger would otherwise make of it after
// writing them twice. The clock's last reading is persisted once.
func (r *importRows) flush(ctx context.Context, t *tx) error {
	if len(r.pending) == 0 {
		return nil
	}
	changes := make([]any, 0, len(r.pending)*12)
	records := make([]any, 0, len(r.pending)*11)
	var last clock.Timestamp
	for i := range r.pending {
		c := &r.pending[i]
		wc := c.wire(r.s.deviceID)
		last = r.s.w.clock.Now()
		signChange(r.s.key, &wc, last)
		row, err := changeValues(&wc, []byte{}, t.now)
		if err != nil {
			return err
		}
		changes = append(changes, row...)
		records = append(records, c.recordValues(t.now)...)
	}
	n := len(r.pending)
	r.pending = r.pending[:0]
	if err := insertRows(ctx, t, "changes", changeColumns, n, changes); err != nil {
		return fmt.Errorf("append %d imported changes: %w", n, err)
	}
	if err := insertRows(ctx, t, "records", recordColumns, n, records); err != nil {
		return fmt.Errorf("write %d imported records: %w", n, err)
	}
	return setMeta(ctx, t, metaHLC, []byte(last.String()))
}

// insertRows inserts n rows of columns into table in one statement, prepared
// once per transaction for each n.
func insertRows(ctx context.Context, t *tx, table, columns string, n int, values []any) error {
	_, err := t.exec(ctx, "INSERT INTO "+table+" ("+columns+") VALUES "+valueRows(n, len(values)/n), values...)
	return err
}

// valueRows is n rows of cols placeholders: "(?, ?), (?, ?)".
func valueRows(n, cols int) string {
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return row + strings.Repeat(", "+row, n-1)
}

// importCacheKiB is the page cache an import works with (SQLite's
// default is 2 MB; 32 MB measured no faster and held more memory). A batch
// of patients dirties more pages than the default holds: SQLite then
// spills them to the write-ahead log in the middle of the transaction and
// reads them back for the next insert into the same index (the ids are
// random, so every index is touched all over).
const importCacheKiB = 16 << 10

// useImportCache gives the transaction's connection a page cache of
// importCacheKiB. It is left so: putting the default back in the
// transaction frees the pages above it one by one at the commit (1.4 s of
// a whole import's CPU), and the next batch allocates them again; the
// cache is a bound, so a connection holds that memory only once it has
// written that much.
func useImportCache(ctx context.Context, t *tx) error {
	if _, err := t.exec(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, -importCacheKiB)); err != nil {
		return fmt.Errorf("set the page cache size: %w", err)
	}
	return nil
}
