-- The sealed summary snapshot (issue #14, sqlite/summary_snapshot.go): the
-- timeline of one chart (what the summary reads of its encounters and
-- notes), sealed under the practice data key, so opening a chart opens only
-- the records changed since it was last opened. A local cache: never
-- synced, replaced whole in one statement, ignored when it does not open.
CREATE TABLE summary_snapshot (
	patient_id TEXT PRIMARY KEY,
	sealed     BLOB NOT NULL
);

-- A purged patient takes its snapshot along (sealed, but nothing of a
-- patient gone from this workstation is to stay).
CREATE TRIGGER summary_snapshot_purged AFTER DELETE ON records WHEN old.kind = 'patient'
BEGIN
	DELETE FROM summary_snapshot WHERE patient_id = old.id;
END;

-- What opening a chart reads to check the snapshot (id, version, change of
-- its encounters and notes), from the index alone, never stepping past the
-- sealed blobs.
CREATE INDEX records_heads_by_patient ON records (patient_id, kind, id, version, head_change_id);
