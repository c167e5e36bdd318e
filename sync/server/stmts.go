package server

import (
	"context"
	"database/sql"
	"fmt"
	gosync "sync"
)

// stmtCache keeps the hot paths' statements (the push insert, the pull
// page queries) prepared for the life of the store: preparing one costs
// about as much as running it for a small page. database/sql prepares a
// statement once on each pooled connection and reuses it there, inside
// transactions too (Tx.StmtContext).
type stmtCache struct {
	mu gosync.Mutex
	m  map[string]*sql.Stmt
}

// prepared returns query prepared on db, preparing it the first time.
func (c *stmtCache) prepared(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// close closes every statement (the store is closing).
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
