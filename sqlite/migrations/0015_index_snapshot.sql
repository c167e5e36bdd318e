-- The sealed index snapshot (issue #14, sqlite/index_snapshot.go): what the
-- sign-in index needs of every patient, sealed in chunks under the practice
-- data key, so a sign-in opens only the records changed since. A local
-- cache: never synced, rewritten whole in one transaction, and ignored when
-- it does not open.
CREATE TABLE index_snapshot (
	chunk  INTEGER PRIMARY KEY,
	sealed BLOB NOT NULL
);

-- What a sign-in reads of every patient record to check the snapshot
-- (id, version, change), from the index alone: without it SQLite looked up
-- each row in the table, past its sealed blob, which cost more than the
-- rest of the sign-in's index.
CREATE INDEX records_heads_by_kind ON records (kind, id, version, head_change_id);
