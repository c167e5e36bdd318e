-- The merge behind a join (sqlite/sync_join_behind.go) lists the charts'
-- records a batch at a time, in (record id, kind) order after a cursor.
-- changes_by_record is in record id order only, so SQLite read and sorted
-- every change after the cursor for each batch of 500: the whole merge
-- read the change log once per batch (0.9 s a batch at 2,000 patients on
-- a loaded machine; quadratic in the practice's size). In (record id,
-- kind) order a batch reads its own records' changes and stops.
CREATE INDEX changes_behind ON changes (record_id, kind) WHERE patient_id != '';
