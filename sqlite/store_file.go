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

// reclaimStep is how many free pages one quiet moment hands back: a save
// arriving meanwhile waits on at most this many page moves (16 MiB at
// 8 KiB pages); what is left goes in the next quiet moment.
const reclaimStep = 2048

// readVacuumMode notes whether the file hands freed pages back when told
// (a store made before the 8 KiB layout has no auto-vacuum: its freed
// pages are reused by later writes, as they always were).
func (w *Workstation) readVacuumMode(ctx context.Context) error {
	var mode int // 0 none, 1 full, 2 incremental
	if err := w.db.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return fmt.Errorf("read auto-vacuum mode: %w", err)
	}
	w.incrementalVacuum = mode == 2
	return nil
}

// reclaimFreePages gives the file system back the pages writes freed (an
// acknowledged audit batch's bytes, a purged patient, a rewritten
// snapshot's old blob). It runs in the background checkpointer's quiet
// moment (and once more as the store closes), not inside every write: a save no longer pays for a statement
// (nor, after a delete, for moving pages), and pages one write frees are
// first reused by the next instead of handed back and asked for again.
// It does nothing when nothing is free, nor on a store without
// incremental auto-vacuum. A failure (the write lock busy past the
// timeout, the store closing) loses nothing: the pages stay free, reused
// by later writes or handed back in the next quiet moment.
func (w *Workstation) reclaimFreePages(ctx context.Context) {
	if !w.incrementalVacuum {
		return
	}
	var free int
	if err := w.db.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil || free == 0 {
		return
	}
	_ = w.writeTx(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, fmt.Sprintf(`PRAGMA incremental_vacuum(%d)`, reclaimStep))
		return err
	})
}
