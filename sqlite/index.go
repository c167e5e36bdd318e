package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	gosync "sync"

	"outpost/chart"
	"outpost/seal"
)

// openBatchSize is how many sealed records travel to a decrypting worker at
// once: big enough to amortise the channel, small enough to keep every core
// busy while SQLite is still reading.
const openBatchSize = 512

// loadPatients opens every current patient record. Reading (one SQLite
// cursor) and opening (decrypt + JSON, CPU-bound) overlap, spread over the
// cores. A record that fails to open is left out and logged by id only, so
// one damaged record does not keep the practice out of the rest of its chart.
func loadPatients(ctx context.Context, q queryer, key *seal.Keyring) ([]chart.Patient, error) {
	batches := make(chan []recordRow, runtime.GOMAXPROCS(0))
	opened := make(chan []chart.Patient, runtime.GOMAXPROCS(0))
	var workers gosync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		workers.Go(func() {
			for b := range batches {
				opened <- openBatch(key, b)
			}
		})
	}
	// Batches are kept as they come and joined once at their total size:
	// appending 50,000 patients one batch at a time copied the slice
	// (hundreds of bytes a patient) over and over as it grew.
	var parts [][]chart.Patient
	collected := make(chan struct{})
	go func() {
		for ps := range opened {
			parts = append(parts, ps)
		}
		close(collected)
	}()
	err := scanPatientRows(ctx, q, func(b []recordRow) { batches <- b })
	close(batches)
	workers.Wait()
	close(opened)
	<-collected
	if err != nil {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

func openBatch(key *seal.Keyring, rows []recordRow) []chart.Patient {
	out := make([]chart.Patient, 0, len(rows))
	for _, r := range rows {
		p, err := openPatient(key, r.id, r.version, r.head, r.sealed)
		if err != nil {
			slog.Warn("patient record failed its integrity check; left out of the index", "record", r.id)
			continue
		}
		out = append(out, p)
	}
	return out
}

// scanPatientRows reads the current patient records and hands them to emit
// in batches.
func scanPatientRows(ctx context.Context, q queryer, emit func([]recordRow)) error {
	rs, err := q.QueryContext(ctx, `SELECT id, version, head_change_id, sealed FROM records WHERE kind = ?`, kindPatient)
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
