package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"

	"outpost/chart"
	"outpost/internal/worker"
	"outpost/seal"
)

// openBatchSize is how many sealed records travel to a decrypting worker at
// once: big enough to amortise the channel, small enough to keep every core
// busy while SQLite is still reading.
const openBatchSize = 512

// unreadablePatients are the patient records that did not open when the
// index was built, each with the change that was current then: the patient
// list counts those still current (a later version may open).
type unreadablePatients map[chart.PatientID]chart.ChangeID

// openedBatch is what a worker made of one batch.
type openedBatch struct {
	entries    []snapEntry
	unreadable []recordRow
}

// snapEntry is one patient as the index needs it (decodeIndexed), with
// the version and change of the record it was opened from: what the
// sealed index snapshot keeps (index_snapshot.go).
type snapEntry struct {
	version int64
	head    chart.ChangeID
	patient chart.Patient
}

// loadPatients opens every current patient record, decoding what the index
// needs of each (decodeIndexed: the rest of each Patient is zero). Reading (one SQLite
// cursor) and opening (decrypt + JSON, CPU-bound) overlap, spread over the
// cores. A record that fails to open is left out, logged by id only and
// returned among the unreadable, so one damaged record does not keep the
// practice out of the rest of its chart, and the list can say it is missing.
func loadPatients(ctx context.Context, q queryer, key *seal.Keyring) ([]chart.Patient, unreadablePatients, error) {
	entries, unreadable, err := openPatientRecords(key, func(emit func([]recordRow)) error {
		return scanPatientRows(ctx, q, emit)
	})
	if err != nil {
		return nil, nil, err
	}
	return patientsOf(entries), unreadable, nil
}

func patientsOf(entries []snapEntry) []chart.Patient {
	out := make([]chart.Patient, len(entries))
	for i := range entries {
		out[i] = entries[i].patient
	}
	return out
}

// openPatientRecords opens the patient records scan hands over in batches
// (see loadPatients).
func openPatientRecords(key *seal.Keyring, scan func(emit func([]recordRow)) error) ([]snapEntry, unreadablePatients, error) {
	batches := make(chan []recordRow, runtime.GOMAXPROCS(0))
	opened := make(chan openedBatch, runtime.GOMAXPROCS(0))
	// A panic while opening fails the index (workers.Wait below), never
	// the app; the scan then drops its batches instead of waiting on
	// workers that may all be gone, and the collector still drains opened.
	workers, failed := worker.New(context.Background())
	for range runtime.GOMAXPROCS(0) {
		workers.Go(func() error {
			for b := range batches {
				opened <- openBatch(key, b)
			}
			return nil
		})
	}
	// Batches are kept as they come and joined once at their total size:
	// appending 50,000 patients one batch at a time copied the slice
	// (hundreds of bytes a patient) over and over as it grew.
	var parts [][]snapEntry
	unreadable := unreadablePatients{}
	collected := make(chan struct{})
	go func() {
		for b := range opened {
			parts = append(parts, b.entries)
			for _, r := range b.unreadable {
				unreadable[chart.PatientID(r.id)] = r.head
			}
		}
		close(collected)
	}()
	err := scan(func(b []recordRow) {
		select {
		case batches <- b:
		case <-failed.Done():
		}
	})
	close(batches)
	werr := workers.Wait()
	close(opened)
	<-collected
	if werr != nil {
		return nil, nil, fmt.Errorf("open patient records: %w", werr)
	}
	if err != nil {
		return nil, nil, err
	}
	return slices.Concat(parts...), unreadable, nil
}

func openBatch(key *seal.Keyring, rows []recordRow) openedBatch {
	out := openedBatch{entries: make([]snapEntry, 0, len(rows))}
	for _, r := range rows {
		p, err := openPatientWith(key, r.id, r.version, r.head, r.sealed, decodeIndexed)
		if err != nil {
			slog.Warn("patient record failed its integrity check; left out of the index", "record", r.id)
			out.unreadable = append(out.unreadable, recordRow{id: r.id, head: r.head})
			continue
		}
		out.entries = append(out.entries, snapEntry{version: r.version, head: sealStamp(r.head, r.sealed), patient: p})
	}
	return out
}

// scanPatientRows reads the current patient records and hands them to emit
// in batches.
func scanPatientRows(ctx context.Context, q queryer, emit func([]recordRow)) error {
	return scanRecordRows(ctx, q, emit, `SELECT id, version, head_change_id, sealed FROM records WHERE kind = ?`, kindPatient)
}

// scanRecordRows runs query (which selects id, version, head_change_id and
// sealed of patient records) and hands the rows to emit in batches.
func scanRecordRows(ctx context.Context, q queryer, emit func([]recordRow), query string, args ...any) error {
	rs, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("load patients: %w", err)
	}
	defer rs.Close()
	batch := make([]recordRow, 0, openBatchSize)
	for rs.Next() {
		r := recordRow{kind: kindPatient}
		if err := rs.Scan(&r.id, &r.version, &r.head, &r.sealed); err != nil {
			return fmt.Errorf("load patients: %w", err)
		}
		if batch = append(batch, r); len(batch) == openBatchSize {
			emit(batch)
			batch = make([]recordRow, 0, openBatchSize)
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("load patients: %w", err)
	}
	if len(batch) > 0 {
		emit(batch)
	}
	return nil
}

// stillUnreadable counts the patients of u whose damaged version is still
// current: one replaced since (a sync brought a version that opened, and
// the index has it) or removed from this workstation no longer counts. It
// asks SQLite only when there is any, so an intact chart's search stays an
// in-memory scan.
func stillUnreadable(ctx context.Context, q queryer, u unreadablePatients) (int, error) {
	ids := make([]any, 0, len(u))
	for id := range u {
		ids = append(ids, string(id))
	}
	n := 0
	for chunk := range slices.Chunk(ids, unreadableChunk) {
		c, err := countCurrent(ctx, q, u, chunk)
		if err != nil {
			return 0, fmt.Errorf("count unreadable patients: %w", err)
		}
		n += c
	}
	return n, nil
}

// unreadableChunk keeps each query well under SQLite's limit on parameters.
const unreadableChunk = 500

func countCurrent(ctx context.Context, q queryer, u unreadablePatients, ids []any) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, head_change_id FROM records WHERE kind = '`+kindPatient+`' AND id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var head chart.ChangeID
		if err := rows.Scan(&id, &head); err != nil {
			return 0, err
		}
		if u[chart.PatientID(id)] == head {
			n++
		}
	}
	return n, rows.Err()
}
