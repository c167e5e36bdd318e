package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/clock"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Options tune a Workstation. The zero value is production.
type Options struct {
	// WorkFactor is the scrypt work factor for passphrase wrapping;
	// 0 means seal.DefaultWorkFactor. Tests use about 10.
	WorkFactor int
	// Now is the wall clock; nil means time.Now.
	Now func() time.Time
}

// Workstation is the chart store on this machine. It implements
// chart.Workstation and is safe for concurrent use.
type Workstation struct {
	db         *sql.DB
	path       string
	workFactor int
	now        func() time.Time
	clock      *clock.Clock

	mu       gosync.Mutex
	current  *Session              // the latest sign-in, for Status
	sessions map[*Session]struct{} // every unlocked session, wiped by Close

	// live is the practice settings as last saved or merged here, which
	// every open session reports (sync_practice.go).
	live atomic.Pointer[chart.Practice]

	// decoy is a wrapped key no passphrase opens, unwrapped when a sign-in
	// finds no credential, so that a refusal takes as long either way.
	decoyOnce gosync.Once
	decoy     []byte

	// stmts keeps the statements of snapshot's and write's transactions
	// prepared (stmt_cache.go).
	stmts *stmtCache

	// background are writes a sign-in leaves running (the index snapshot,
	// index_snapshot.go); Close waits for them.
	background gosync.WaitGroup

	// checkpoints copies the write-ahead log into the database beside
	// the work (wal_background.go), after writeTx commits.
	checkpoints *walCheckpointer
	// walLeft asks the checkpointer's next quiet moment for a whole
	// Checkpoint (wal_left.go): a large write left the log to it.
	walLeft atomic.Bool
	// logLeft says a large commit left its log uncopied (wal_left.go):
	// writes until copyLeftLog (or a quiet moment) commit without the
	// automatic checkpoint; leftCopy runs those copies one at a time.
	logLeft  atomic.Bool
	leftCopy gosync.Mutex
	// joinLog says the log left is a join's, bounded by walJoinLeftMax
	// rather than walLeftMax (wal_join.go), until its copy is asked for.
	joinLog atomic.Bool
	// joinTail is what a join from heads' pages stored, for its tail
	// (sync_join_tail.go); nil when no join is noted.
	joinTail atomic.Pointer[joinTail]
	// signInMerging counts the sign-ins merging the change log
	// (materialise): quiet moments wait for them (quietMoment).
	signInMerging atomic.Int32

	// incrementalVacuum says the file hands freed pages back when told
	// (PRAGMA auto_vacuum = INCREMENTAL, store_file.go); read once at open.
	incrementalVacuum bool
}

var _ chart.Workstation = (*Workstation)(nil)

// pragmas are set on every pooled connection. synchronous=FULL makes a commit
// durable before it returns (a saved record survives a power cut);
// temp_store=MEMORY keeps sorts and temporary tables out of temp files;
// journal_size_limit cuts the write-ahead log back to walSizeLimit each
// time it starts over (wal.go), where it would otherwise keep its peak size
// (hundreds of MB after a join) for good.
var pragmas = []string{
	fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS),
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"foreign_keys(ON)",
	"temp_store(MEMORY)",
	fmt.Sprintf("wal_autocheckpoint(%d)", walAutoPages),
	fmt.Sprintf("journal_size_limit(%d)", walSizeLimit),
}

func dsn(path string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	// BEGIN IMMEDIATE: a write transaction takes the write lock up front, so
	// a read-then-write inside it never fails half-way with SQLITE_BUSY.
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}

// OpenWorkstation opens (creating if needed) the chart store at path and
// brings its schema up to date.
func OpenWorkstation(ctx context.Context, path string, opts Options) (*Workstation, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open chart store: path %q may not contain ? or #", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open chart store: create folder: %w", err)
	}
	// Create the file ourselves so that it is private to this user; SQLite
	// gives the -wal and -shm files the same permissions.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open chart store: %w", err)
	}
	f.Close()
	if err := setNewFileLayout(ctx, path); err != nil {
		return nil, fmt.Errorf("open chart store: set up the new file: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open chart store: %w", err)
	}
	w := &Workstation{db: db, stmts: newStmtCache(db), path: path, workFactor: opts.WorkFactor, now: opts.Now}
	if w.workFactor == 0 {
		w.workFactor = seal.DefaultWorkFactor
	}
	if w.now == nil {
		w.now = time.Now
	}
	if err := w.init(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open chart store %s: %w", path, err)
	}
	w.checkpoints = startCheckpointer(w.quietMoment)
	return w, nil
}

func (w *Workstation) init(ctx context.Context) error {
	if err := w.db.PingContext(ctx); err != nil {
		return err
	}
	if err := migrate(ctx, w.db, w.now()); err != nil {
		return err
	}
	if err := w.readVacuumMode(ctx); err != nil {
		return err
	}
	last, err := loadHLC(ctx, w.db)
	if err != nil {
		return err
	}
	w.clock = clock.New(w.now, last)
	return nil
}

// quietMoment is the background checkpointer's work once writes pause:
// the free pages handed back first (reclaimFreePages), so that the
// checkpoint copies that transaction too; a log a large write left
// (walLeft, logLeft: nobody asked for its copy, a pull that failed, say)
// is copied and emptied. Not while a first sign-in merges (signInMerging):
// its transaction commits nothing until it ends, so the writes look quiet,
// and a copy of the join's log beside it only slows the way to the chart;
// the moment is asked for again.
func (w *Workstation) quietMoment(ctx context.Context) {
	if w.signInMerging.Load() > 0 {
		w.checkpoints.written()
		return
	}
	w.reclaimFreePages(ctx)
	if left := w.logLeft.Swap(false); w.walLeft.Swap(false) || left {
		w.joinLog.Store(false)
		w.checkpointLeft(ctx)
		return
	}
	w.passiveCheckpoint(ctx)
}

// DefaultPath is where the chart lives for this OS user:
// $XDG_DATA_HOME/outpost/chart.db (or ~/.local/share/outpost/chart.db) on
// Linux, and <user config dir>/Outpost/chart.db elsewhere.
func DefaultPath() (string, error) {
	if runtime.GOOS == "linux" {
		if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			return filepath.Join(d, "outpost", "chart.db"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the chart folder: %w", err)
		}
		return filepath.Join(home, ".local", "share", "outpost", "chart.db"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the chart folder: %w", err)
	}
	return filepath.Join(dir, "Outpost", "chart.db"), nil
}

// Close wipes the keys of all unlocked sessions and closes the store.
func (w *Workstation) Close() error {
	w.mu.Lock()
	open := w.sessions
	w.current, w.sessions = nil, nil
	w.mu.Unlock()
	for s := range open {
		s.drop()
	}
	w.background.Wait()
	w.checkpoints.close()
	// The pages the last writes freed go back now rather than in a quiet
	// moment that will not come: a store closed right after a sync (an
	// acknowledged push frees its audit batches' bytes) otherwise kept
	// them in the file until it is next opened and written.
	w.reclaimFreePages(context.Background())
	if err := errors.Join(w.stmts.close(), w.db.Close()); err != nil {
		return fmt.Errorf("close chart store: %w", err)
	}
	return nil
}

// Status says whether a practice exists here, and who is signed in. A
// workstation that joined a practice has one (so the UI offers Sign in)
// but its name stays unknown until the first sign-in opens its settings.
func (w *Workstation) Status(ctx context.Context) (chart.WorkstationStatus, error) {
	var st chart.WorkstationStatus
	m, err := readMeta(ctx, w.db, metaPracticeName, metaPracticeID, metaDeviceID, metaJoinPending)
	if err != nil {
		return st, fmt.Errorf("workstation status: %w", err)
	}
	_, named := m[metaPracticeName]
	_, joined := m[metaPracticeID]
	_, st.NeedsFirstSignIn = m[metaJoinPending]
	st.HasPractice, st.PracticeName, st.DeviceID = named || joined, m[metaPracticeName], chart.DeviceID(m[metaDeviceID])
	w.mu.Lock()
	s := w.current
	w.mu.Unlock()
	if s != nil {
		if u, ok := s.signedInUser(); ok {
			st.SignedIn = &u
		}
	}
	return st, nil
}

func (w *Workstation) setCurrent(s *Session) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.current = s
	if w.sessions == nil {
		w.sessions = map[*Session]struct{}{}
	}
	w.sessions[s] = struct{}{}
}

func (w *Workstation) clearCurrent(s *Session) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.sessions, s)
	if w.current == s {
		w.current = nil
	}
}

// tx is one write transaction. now is read once when it begins, so every
// timestamp written by the transaction agrees.
type tx struct {
	*sql.Tx
	now time.Time
	// pre holds what a batch merge read up front (sync_preload.go); nil
	// otherwise.
	pre *preloaded
	// ahead, during mergeTouched, reads and plans the next batch of
	// patients while one writes (sync_merge_patient_ahead.go).
	ahead *mergeAhead
	// progress, when set, hears how many records a long merge has done of
	// how many (the first sign-in after a join).
	progress func(done, total int)
	// indexed, when set, collects the index entries of the patient rows
	// written (index_merged.go: the first sign-in after a join).
	indexed mergedIndex
	// stmts are the statements exec prepared in this transaction.
	stmts map[string]*sql.Stmt
	// q runs ExecContext, QueryContext and QueryRowContext on statements
	// kept prepared across transactions (stmt_cache.go).
	q *cachedTx
}

// ExecContext, QueryContext and QueryRowContext are the *sql.Tx's, run on
// statements kept prepared when the transaction has q (write's do).
func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t.q == nil {
		return t.Tx.ExecContext(ctx, query, args...)
	}
	return t.q.ExecContext(ctx, query, args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t.q == nil {
		return t.Tx.QueryContext(ctx, query, args...)
	}
	return t.q.QueryContext(ctx, query, args...)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if t.q == nil {
		return t.Tx.QueryRowContext(ctx, query, args...)
	}
	return t.q.QueryRowContext(ctx, query, args...)
}

// scanRow is QueryRowContext's Scan, on a statement the transaction
// reuses (cachedTx.scanRow).
func (t *tx) scanRow(ctx context.Context, query string, args []any, dest ...any) error {
	if t.q == nil {
		return t.Tx.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	return t.q.scanRow(ctx, query, args, dest...)
}

// exec runs query through a statement prepared once per transaction, so
// a write of many records (an import) parses each statement once. The
// statements close with the transaction.
func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// queryStmt is exec for a statement that returns rows.
func (t *tx) queryStmt(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// stmt is query prepared once in this transaction.
func (t *tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := t.stmts[query]; st != nil {
		return st, nil
	}
	st, err := t.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = st
	return st, nil
}

// write runs fn in an immediate transaction and commits if fn returns nil.
// A disk that is full or failing gives the message of diskError.
func (w *Workstation) write(ctx context.Context, fn func(t *tx) error) error {
	return diskError(w.writeTx(ctx, fn))
}

// While a large write's log waits for its copy (logLeft, wal_left.go),
// every write commits without the automatic checkpoint: a small commit
// after it (the sync's own, a clinician's save) would otherwise copy the
// whole log itself and wait on the database file's fsync. Up to
// walLeftMax (wal_pull.go; a join's log: walJoinLeftMax, wal_join.go),
// which bounds the log.
func (w *Workstation) writeTx(ctx context.Context, fn func(t *tx) error) error {
	if w.logLeft.Load() && w.logSize() < w.leftMax() {
		return w.writeWithoutAutoCheckpoint(ctx, fn)
	}
	return w.writeOn(ctx, w.db, fn)
}

// beginner is where a write transaction begins: the pool, or one
// connection of it (writeLeavingCheckpoint).
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

func (w *Workstation) writeOn(ctx context.Context, b beginner, fn func(t *tx) error) error {
	sqlTx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{Tx: sqlTx, now: w.now().UTC(), q: &cachedTx{tx: sqlTx, cache: w.stmts}}
	defer t.q.release() // after the commit or rollback below
	// A panic in fn (recovered by the caller: a worker's guard, the app's
	// bound method) must not leave the transaction open: it would hold the
	// store's write lock, and every later save would wait on it and fail.
	defer rollbackUnfinished(sqlTx)
	if err = fn(t); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	w.checkpoints.written()
	return nil
}

// rollbackUnfinished rolls back a transaction neither committed nor
// rolled back (fn panicked); otherwise it does nothing (sql.ErrTxDone).
func rollbackUnfinished(t *sql.Tx) { _ = t.Rollback() }

const timeLayout = "2006-01-02T15:04:05.000000000Z07:00" // fixed width: sorts as text

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// rowStamp is what the columns that only say when a row was written hold:
// the moment in unix seconds (10 characters under a TEXT column's
// affinity). changes.acked_at is read only for whether it is NULL (the
// outbox, the purge), changes.created_at only by History when a change's
// clock does not parse (storedTime), and records.updated_at not at all, so
// the 30-character timeLayout they held before cost 20 bytes each in every
// change and record row: 3 MB of a 2,000-patient workstation after its
// initial push (issue #12). Rows written before keep their text.
func rowStamp(now time.Time) int64 { return now.Unix() }

// storedTime is a column rowStamp writes, as RFC 3339 text: a row written
// before rowStamp already holds that text.
func storedTime(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return formatTime(time.Unix(n, 0))
	}
	return s
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s, err)
	}
	return t, nil
}
