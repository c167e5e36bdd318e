-- Sync with the practice server.
--
-- record_conflicts: the fields of a record that were edited concurrently on
-- two workstations, as merged by sync.MergeRecord, sealed (the values are
-- health data). One row per record with open conflicts; the row goes when
-- the conflicts do. The pull cursor lives in meta (sync_pull_cursor).
CREATE TABLE record_conflicts (
	record_id  TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	count      INTEGER NOT NULL CHECK (count > 0),
	sealed     BLOB NOT NULL,
	updated_at TEXT NOT NULL
);
