package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"outpost/chart"
	"outpost/internal/worker"
	"outpost/seal"
)

// The sealed index snapshot (issue #14): opening 50,000 patient records
// was most of a sign-in. The snapshot keeps what the index needs of each
// patient (snapEntry), with the version and change of the record it came
// from, sealed under the practice data key like any record, in the local
// table index_snapshot (never synced). A sign-in reads the (id, version,
// change) of every current patient record, takes from the snapshot each
// entry whose version and change still match, and opens only the records
// new or changed since; patients gone (purged, removed from the route) are
// not in the records and drop out. The index is the same as from opening
// every record: an entry says what one version of one record decodes to,
// which stays true, so even an old snapshot put back only costs opening.
// A snapshot that does not open (damaged, of an epoch this keyring lacks,
// of an unknown layout) is ignored: every record is opened, and the
// snapshot rewritten after the sign-in.

// snapshotChunkSize is how many entries one sealed chunk holds: chunks
// open in parallel, and stay far below seal.MaxOpened however large the
// practice.
const snapshotChunkSize = 4096

const snapshotADLabel = "outpost/index-snapshot/v1"

func snapshotAD(chunk int) []byte { return seal.AD(snapshotADLabel, strconv.Itoa(chunk)) }

// indexBuild is what a sign-in builds its index from.
type indexBuild struct {
	entries    []snapEntry
	unreadable unreadablePatients
	// stale: the stored snapshot differs from entries (or is sealed under
	// an older epoch), so it is to be written again.
	stale bool
	// opened counts the records opened (not taken from the snapshot).
	opened int
}

// rowHead is the current version of one patient record, without its blob.
type rowHead struct {
	id      string
	version int64
	head    chart.ChangeID
}

// buildIndex gathers what the index needs of every current patient record,
// from the snapshot where it is current, opening the other records.
func (w *Workstation) buildIndex(ctx context.Context, key *seal.Keyring) (indexBuild, error) {
	return w.buildIndexWith(ctx, key, nil)
}

// buildIndexWith is buildIndex with the entries a merge just wrote
// (index_merged.go) taken as snapshot entries.
func (w *Workstation) buildIndexWith(ctx context.Context, key *seal.Keyring, merged mergedIndex) (indexBuild, error) {
	snapDone := readSnapshotAside("index snapshot", func() (map[chart.PatientID]*snapEntry, bool) {
		snap, stale := readIndexSnapshot(ctx, w.db, key)
		return withMerged(snap, stale, merged)
	})
	// One read transaction: the heads and the records opened are of the
	// same moment, whatever a sync writes meanwhile.
	rtx, err := w.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		snapDone()
		return indexBuild{}, fmt.Errorf("load patients: %w", err)
	}
	defer rtx.Rollback()
	heads, err := patientHeads(ctx, rtx)
	s := snapDone()
	if err != nil {
		return indexBuild{}, err
	}
	b, err := mergeSnapshot(ctx, rtx, key, heads, s.snap)
	b.stale = b.stale || s.stale
	return b, err
}

// mergeSnapshot takes the entries of snap that match heads and opens the
// records of the others.
func mergeSnapshot(ctx context.Context, q queryer, key *seal.Keyring, heads []rowHead,
	snap map[chart.PatientID]*snapEntry) (indexBuild, error) {
	entries := make([]snapEntry, len(heads))
	missing := map[string]int{} // id -> position in heads
	for i, h := range heads {
		e, ok := snap[chart.PatientID(h.id)]
		if ok && e.version == h.version && e.head == h.head {
			entries[i] = *e
			continue
		}
		missing[h.id] = i
	}
	if snap == nil { // every record is to be opened: one scan of them all
		opened, unreadable, err := openPatientRecords(key, func(emit func([]recordRow)) error {
			return scanPatientRows(ctx, q, emit)
		})
		return indexBuild{entries: opened, unreadable: unreadable, stale: true, opened: len(opened)}, err
	}
	opened, unreadable, err := openPatientRecords(key, func(emit func([]recordRow)) error {
		return scanPatientsByID(ctx, q, slices.Collect(mapKeys(missing)), emit)
	})
	if err != nil {
		return indexBuild{}, err
	}
	for _, e := range opened {
		entries[missing[string(e.patient.ID)]] = e
	}
	// What did not open, or went between the two reads, is left out.
	entries = slices.DeleteFunc(entries, func(e snapEntry) bool { return e.patient.ID == "" })
	used := len(heads) - len(missing)
	return indexBuild{entries: entries, unreadable: unreadable, stale: len(opened) > 0 || used != len(snap),
		opened: len(opened)}, nil
}

func mapKeys[K comparable, V any](m map[K]V) func(yield func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// patientHeads reads the id, version and change of every current patient
// record, stamped with a digest of its sealed blob (sealStamp).
func patientHeads(ctx context.Context, q queryer) ([]rowHead, error) {
	return queryAll(ctx, q, "load patients", func(scan func(...any) error) (h rowHead, err error) {
		var head, sealed sql.RawBytes // only hashed: not copied
		err = scan(&h.id, &h.version, &head, &sealed)
		h.head = sealStamp(head, sealed)
		return h, err
	}, `SELECT id, version, head_change_id, sealed FROM records WHERE kind = ?`, kindPatient)
}

// sealStamp is a record's head change with a digest of its sealed blob. A
// snapshot entry is taken only while its record's blob is byte for byte
// the one it was opened from: a blob damaged or altered on disk since
// (same version, same change) no longer matches, so it is opened, and
// reported, as at a sign-in without a snapshot. Hashing the blobs costs a
// fraction of opening them. head is a string or the bytes of one (a
// sql.RawBytes, not copied: a sign-in stamps 50,000 heads).
func sealStamp[H ~string | ~[]byte](head H, sealed []byte) chart.ChangeID {
	sum := sha256.Sum256(sealed)
	var b strings.Builder
	b.Grow(len(head) + 1 + hex.EncodedLen(16))
	for i := range len(head) { // a string(head) would copy the bytes first
		b.WriteByte(head[i])
	}
	b.WriteByte('#')
	var digest [32]byte
	hex.Encode(digest[:], sum[:16])
	b.Write(digest[:])
	return chart.ChangeID(b.String())
}

// queryAll runs query and scans every row with scan (what names the read
// in errors). The snapshots read their heads with it.
func queryAll[T any](ctx context.Context, q queryer, what string, scan func(func(...any) error) (T, error),
	query string, args ...any) ([]T, error) {
	rs, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rs.Close()
	var out []T
	for rs.Next() {
		v, err := scan(rs.Scan)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// scanPatientsByID hands the current records of ids to emit in batches.
func scanPatientsByID(ctx context.Context, q queryer, ids []string, emit func([]recordRow)) error {
	for chunk := range slices.Chunk(ids, unreadableChunk) {
		args := make([]any, 0, len(chunk)+1)
		args = append(args, kindPatient)
		for _, id := range chunk {
			args = append(args, id)
		}
		err := scanRecordRows(ctx, q, emit, `SELECT id, version, head_change_id, sealed FROM records
			WHERE kind = ? AND id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return err
		}
	}
	return nil
}

// readIndexSnapshot opens the stored snapshot: nil when there is none or
// it does not open (logged, without health data). stale says it was
// sealed under an epoch other than the current one.
func readIndexSnapshot(ctx context.Context, q queryer, key *seal.Keyring) (map[chart.PatientID]*snapEntry, bool) {
	sealed, err := readSnapshotChunks(ctx, q)
	if err != nil {
		slog.Warn("index snapshot not read; opening every patient record", "err", err)
		return nil, true
	}
	if len(sealed) == 0 {
		return nil, true
	}
	current, _ := key.Current()
	chunks, err := openEach(len(sealed), func(i int) ([]snapEntry, error) { return openSnapshotChunk(key, i, sealed[i]) })
	if err != nil {
		slog.Warn("index snapshot unusable; opening every patient record", "reason", err)
		return nil, true
	}
	snap := make(map[chart.PatientID]*snapEntry, len(chunks)*snapshotChunkSize)
	stale := false
	for i, c := range chunks {
		stale = stale || seal.EpochOf(sealed[i]) != current
		for j := range c {
			snap[c[j].patient.ID] = &c[j]
		}
	}
	return snap, stale
}

func readSnapshotChunks(ctx context.Context, q queryer) ([][]byte, error) {
	rs, err := q.QueryContext(ctx, `SELECT chunk, sealed FROM index_snapshot ORDER BY chunk`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out [][]byte
	for rs.Next() {
		var n int
		var b []byte
		if err := rs.Scan(&n, &b); err != nil {
			return nil, err
		}
		if n != len(out) {
			return nil, errors.New("index snapshot: a chunk is missing")
		}
		out = append(out, b)
	}
	return out, rs.Err()
}

func openSnapshotChunk(key *seal.Keyring, n int, sealed []byte) ([]snapEntry, error) {
	return openSnapshotBlob(key, "index snapshot", sealed, snapshotAD(n), decodeSnapshotChunk)
}

// openSnapshotBlob opens a sealed snapshot (what names it in errors, which
// name no patient) and decodes it. The index and summary snapshots share it.
func openSnapshotBlob[T any](key *seal.Keyring, what string, sealed, ad []byte, decode func([]byte) (T, error)) (T, error) {
	var zero T
	pt, err := key.Open(sealed, ad)
	if errors.Is(err, seal.ErrUnknownEpoch) {
		return zero, errors.New(what + " sealed under a key not held here")
	}
	if err != nil {
		return zero, errors.New(what + " failed its integrity check")
	}
	defer clear(pt)
	return decode(pt)
}

// sealIndexSnapshot seals entries in chunks under the current epoch.
func sealIndexSnapshot(key *seal.Keyring, entries []snapEntry) ([][]byte, error) {
	var out [][]byte
	for c := range slices.Chunk(entries, snapshotChunkSize) {
		pt, err := encodeSnapshotChunk(c)
		if err != nil {
			return nil, err
		}
		out = append(out, key.Seal(pt, snapshotAD(len(out))))
		clear(pt)
	}
	return out, nil
}

// refreshIndexSnapshot writes the snapshot of entries in the background,
// so it never holds up the sign-in.
func (w *Workstation) refreshIndexSnapshot(s *Session, entries []snapEntry) {
	w.sealInBackground(s, "index snapshot not written; the next sign-in opens more records",
		func(key *seal.Keyring) (func(*tx) error, error) {
			sealed, err := sealIndexSnapshot(key, entries)
			if err != nil {
				return nil, err
			}
			return func(t *tx) error { return replaceIndexSnapshot(context.Background(), t, sealed) }, nil
		})
}

// writeIndexSnapshot replaces the stored snapshot with sealed, in one
// transaction: a crash leaves the old one whole.
func (w *Workstation) writeIndexSnapshot(ctx context.Context, sealed [][]byte) error {
	return w.write(ctx, func(t *tx) error { return replaceIndexSnapshot(ctx, t, sealed) })
}

func replaceIndexSnapshot(ctx context.Context, t *tx, sealed [][]byte) error {
	if _, err := t.ExecContext(ctx, `DELETE FROM index_snapshot`); err != nil {
		return fmt.Errorf("write index snapshot: %w", err)
	}
	for i, b := range sealed {
		if _, err := t.ExecContext(ctx, `INSERT INTO index_snapshot (chunk, sealed) VALUES (?, ?)`, i, b); err != nil {
			return fmt.Errorf("write index snapshot: %w", err)
		}
	}
	return nil
}

// sealInBackground seals a snapshot and writes it, in the background, so
// it never holds up what read it: sealing takes the session's key under
// its read lock (a Lock meanwhile waits for it, and after a Lock nothing
// is sealed), the write is one short transaction. A failure is logged
// (failed: what it costs, naming no patient) and only costs the next read
// some opening.
func (w *Workstation) sealInBackground(s *Session, failed string, sealWith func(*seal.Keyring) (func(*tx) error, error)) {
	w.background.Add(1)
	go func() {
		defer w.background.Done()
		// A panic here costs what a failure does, not the app: nothing
		// else on this goroutine would recover it.
		err := worker.Guard(func() error {
			write, err := s.sealUnlocked(sealWith)
			if err == nil && write != nil {
				err = w.write(context.Background(), write)
			}
			return err
		})
		if err != nil {
			slog.Warn(failed, "err", err)
		}
	}()
}

// sealUnlocked calls sealWith with the session's key under its read lock:
// nil once locked.
func (s *Session) sealUnlocked(sealWith func(*seal.Keyring) (func(*tx) error, error)) (func(*tx) error, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.key == nil {
		return nil, nil
	}
	return sealWith(s.key)
}
