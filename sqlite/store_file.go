package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
)

// The store file's layout (issue #12, disk). A new store gets 8 KiB pages:
// records and changes rows are 0.5-1 KB, so a 4 KiB page ends with half a
// row of space no row fits in, ~12% of the file. It also gets incremental
// auto-vacuum, so the pages a write frees (an acknowledged audit batch's
// bytes, a purged patient) go back to the file system instead of staying
// in the file as free pages.
const chartPageSize = 8192

// setNewFileLayout gives a new, empty store file its page size and
// auto-vacuum mode. SQLite fixes both with the file's first write, and
// switching to WAL (every pooled connection's first pragma) is one, so
// they are set first, on a connection of their own. A store that already
// holds data keeps its layout (changing it rewrites the whole file).
func setNewFileLayout(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if err != nil || st.Size() > 0 {
		return err
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, p := range []string{fmt.Sprintf(`PRAGMA page_size = %d`, chartPageSize),
		`PRAGMA auto_vacuum = INCREMENTAL`, `PRAGMA journal_mode = WAL`} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// reclaimFreePages gives the file system back, in t, the pages t freed:
// a store with incremental auto-vacuum keeps freed pages in the file
// until told. Every write transaction does it before committing, so the
// free list stays empty and each returns only what it freed itself (its
// own work again at most). On a store made before (no auto-vacuum) it
// does nothing: freed pages are reused by later writes, as they were.
func reclaimFreePages(ctx context.Context, t *tx) error {
	if _, err := t.ExecContext(ctx, `PRAGMA incremental_vacuum`); err != nil {
		return fmt.Errorf("return free pages: %w", err)
	}
	return nil
}
