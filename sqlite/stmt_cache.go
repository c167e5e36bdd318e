package sqlite

import (
	"context"
	"database/sql"
	"errors"
	gosync "sync"
)

// The statements of the read transactions (snapshot) and of the write
// transactions (write) are kept prepared here. modernc.org/sqlite parses
// the SQL of every query anew; a chart summary runs a dozen or so queries,
// and its audit entry four more, and parsing them cost about 1 ms of CPU
// an open (issue #14's profile). A *sql.Stmt prepared on the pool is
// prepared once per connection and kept there by database/sql; a
// transaction takes it onto its own connection with Tx.StmtContext.
//
// One *sql.Stmt is one SQLite statement per connection: two Rows open at
// once from it on one connection would step the same statement, each
// resetting the other (runOverlapped reads a transaction's kinds at once,
// several with the same SQL). So a statement is leased to one transaction
// at a time, for the whole transaction (its Rows are all closed once the
// transaction ends), and a query run again while its first lease is held
// leases another statement. An Exec, and a one-row query run by scanRow,
// leave no Rows: the statement is reused by the next Exec or scanRow of
// the same SQL in the transaction.
//
// A statement is prepared on the pool and then again on the transaction's
// connection: two parses where an unprepared query pays one. So a query is
// kept only from its second run on; one run once (an IN list of a length
// not seen again) costs what it did before the cache.
const (
	// stmtCacheQueries bounds the distinct SQL texts kept: queries with an
	// IN list of each length are different texts. Past it, a query is run
	// unprepared, as before the cache.
	stmtCacheQueries = 128
	// stmtSeenQueries bounds the SQL texts remembered as run once; when
	// full it starts again empty.
	stmtSeenQueries = 1024
	// stmtLeasesPerTx bounds the statements one transaction holds for one
	// SQL text: a loop that runs a query many times in one transaction
	// runs the rest unprepared instead of preparing one per run.
	stmtLeasesPerTx = 16
)

// stmtCache holds, per SQL text, the statements no transaction holds.
type stmtCache struct {
	db *sql.DB

	mu     gosync.Mutex
	free   map[string][]*sql.Stmt
	seen   map[string]bool // run once, unprepared
	all    []*sql.Stmt     // every statement prepared, closed by close
	closed bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, free: map[string][]*sql.Stmt{}, seen: map[string]bool{}}
}

// lease takes a statement for query, preparing one when none is free; it
// returns nil (run the query unprepared) the first time query is seen, when
// the cache is full or closed, or when the statement does not prepare (the
// query itself then reports why).
func (c *stmtCache) lease(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	free, known := c.free[query]
	if n := len(free); n > 0 {
		st := free[n-1]
		c.free[query] = free[:n-1]
		c.mu.Unlock()
		return st
	}
	if !known && !c.seen[query] {
		if len(c.seen) >= stmtSeenQueries {
			clear(c.seen)
		}
		c.seen[query] = true
		c.mu.Unlock()
		return nil
	}
	if !known && len(c.free) >= stmtCacheQueries {
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	// Prepared outside the lock: it may wait for a connection.
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		st.Close()
		return nil
	}
	if _, known := c.free[query]; !known {
		c.free[query] = nil
		delete(c.seen, query)
	}
	c.all = append(c.all, st)
	return st
}

// release hands back statements leased for query.
func (c *stmtCache) release(query string, sts []*sql.Stmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.free[query] = append(c.free[query], sts...)
	}
}

// prepared counts the statements prepared so far (for tests).
func (c *stmtCache) prepared() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.all)
}

// close closes every statement; later leases run their queries unprepared.
func (c *stmtCache) close() error {
	c.mu.Lock()
	all := c.all
	c.all, c.free, c.seen, c.closed = nil, nil, nil, true
	c.mu.Unlock()
	var errs []error
	for _, st := range all {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// rowScanner runs a query of one row and scans it at once: a *tx, a
// *cachedTx (see cachedTx.scanRow).
type rowScanner interface {
	scanRow(ctx context.Context, query string, args []any, dest ...any) error
}

// scanRow is q.QueryRowContext(ctx, query, args...).Scan(dest...), on a
// statement the transaction reuses when q keeps them prepared.
func scanRow(ctx context.Context, q queryer, query string, args []any, dest ...any) error {
	if s, ok := q.(rowScanner); ok {
		return s.scanRow(ctx, query, args, dest...)
	}
	return q.QueryRowContext(ctx, query, args...).Scan(dest...)
}

// execQueryer is a transaction that also writes: a *sql.Tx, a *tx.
type execQueryer interface {
	queryer
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// cachedTx is a transaction whose queries run on leased statements. It is
// safe for concurrent use, as a *sql.Tx is.
type cachedTx struct {
	tx    *sql.Tx
	cache *stmtCache

	mu     gosync.Mutex
	leased map[string][]*sql.Stmt
	// idle are statements (bound to tx) whose last use left no Rows open
	// (an Exec, a scanRow): free for the next Exec or scanRow of their SQL.
	idle map[string][]*sql.Stmt
}

var _ execQueryer = (*cachedTx)(nil)

// stmt returns query's statement bound to the transaction, or nil to run
// query unprepared.
func (t *cachedTx) stmt(ctx context.Context, query string) *sql.Stmt {
	t.mu.Lock()
	if len(t.leased[query]) >= stmtLeasesPerTx {
		t.mu.Unlock()
		return nil
	}
	t.mu.Unlock()
	st := t.cache.lease(ctx, query)
	if st == nil {
		return nil
	}
	t.mu.Lock()
	if t.leased == nil {
		t.leased = map[string][]*sql.Stmt{}
	}
	t.leased[query] = append(t.leased[query], st)
	t.mu.Unlock()
	// Closed with the transaction; a prepare error on this connection is
	// returned by the query.
	return t.tx.StmtContext(ctx, st)
}

func (t *cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st := t.reuse(ctx, query)
	if st == nil {
		return t.tx.ExecContext(ctx, query, args...)
	}
	res, err := st.ExecContext(ctx, args...)
	t.putIdle(query, st)
	return res, err
}

// scanRow runs a query of one row and scans it into dest. Scan closes the
// row, so its statement is free again at once and, like an Exec's, is
// reused by the next run of the query in the transaction. Through
// QueryRowContext, which cannot know when its row is scanned, each run
// leases another statement, and past stmtLeasesPerTx the query runs
// unprepared: 800 audit entries in one transaction parsed the audit
// position's query anew 784 times (issue #14's profile of
// BenchmarkPackAuditBatches).
func (t *cachedTx) scanRow(ctx context.Context, query string, args []any, dest ...any) error {
	st := t.reuse(ctx, query)
	if st == nil {
		return t.tx.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	err := st.QueryRowContext(ctx, args...).Scan(dest...)
	t.putIdle(query, st)
	return err
}

// reuse returns query's statement bound to the transaction, an idle one
// when there is one, or nil to run query unprepared.
func (t *cachedTx) reuse(ctx context.Context, query string) *sql.Stmt {
	t.mu.Lock()
	var st *sql.Stmt
	if idle := t.idle[query]; len(idle) > 0 {
		st, t.idle[query] = idle[len(idle)-1], idle[:len(idle)-1]
	}
	t.mu.Unlock()
	if st == nil {
		st = t.stmt(ctx, query)
	}
	return st
}

// putIdle marks st, whose last use left no Rows open, free for the next
// Exec or scanRow of query in the transaction.
func (t *cachedTx) putIdle(query string, st *sql.Stmt) {
	t.mu.Lock()
	if t.idle == nil {
		t.idle = map[string][]*sql.Stmt{}
	}
	t.idle[query] = append(t.idle[query], st)
	t.mu.Unlock()
}

func (t *cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// end rolls the (read-only) transaction back, which closes its Rows, and
// then hands its statements back for the next transaction.
func (t *cachedTx) end() {
	t.tx.Rollback() // read-only: nothing to commit; closes the Rows first
	t.release()
}

// release hands the statements back for the next transaction. Only once
// the transaction has ended: its Rows are closed then.
func (t *cachedTx) release() {
	t.mu.Lock()
	leased := t.leased
	t.leased, t.idle = nil, nil
	t.mu.Unlock()
	for query, sts := range leased {
		t.cache.release(query, sts)
	}
}
