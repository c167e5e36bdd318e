-- 0003: the clinical chart.
--
-- locked: a signed note (1) may never change again. The trigger below makes
-- SQLite itself refuse, so even a bug in Outpost cannot alter what a
-- clinician signed; corrections are addenda (new records).
--
-- to_review: a result nobody has acknowledged yet (1). It says only that
-- some result awaits review, never what it is, and lets the review queue and
-- the chart summary find those results without decrypting every result.
ALTER TABLE records ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1));
ALTER TABLE records ADD COLUMN to_review INTEGER NOT NULL DEFAULT 0 CHECK (to_review IN (0, 1));

-- sealed_summary: a small sealed extract of a note (title, author, status)
-- so the chart's timeline does not open 15 years of full notes. Derived from
-- sealed in the same write; sealed under its own AD label.
ALTER TABLE records ADD COLUMN sealed_summary BLOB;

-- The chart summary and every list read one patient's records of one kind;
-- ids are UUIDv7, so this order is also creation order.
CREATE INDEX records_by_patient_kind ON records (patient_id, kind, id);
CREATE INDEX records_to_review ON records (patient_id, kind, id) WHERE to_review = 1;

CREATE TRIGGER records_locked_no_update BEFORE UPDATE ON records
WHEN OLD.locked = 1
BEGIN
	SELECT RAISE(ABORT, 'this record is signed and locked: it cannot be changed');
END;

CREATE TRIGGER records_locked_no_delete BEFORE DELETE ON records
WHEN OLD.locked = 1
BEGIN
	SELECT RAISE(ABORT, 'this record is signed and locked: it cannot be removed');
END;

-- The bytes of attachments (scanned reports), sealed, apart from the small
-- sealed metadata record so that listing a chart never reads megabytes.
-- An attachment never changes once stored.
CREATE TABLE attachment_data (
	id      TEXT PRIMARY KEY REFERENCES records (id),
	version INTEGER NOT NULL,
	sealed  BLOB NOT NULL
);

CREATE TRIGGER attachment_data_no_update BEFORE UPDATE ON attachment_data
BEGIN
	SELECT RAISE(ABORT, 'attachments cannot be changed once stored');
END;

-- A change, once written, is history: what a version said, who wrote it and
-- when never changes (sync may still mark it acknowledged). Together with
-- the lock above this keeps every version of a signed note as signed.
CREATE TRIGGER changes_content_no_update
BEFORE UPDATE OF change_id, record_id, kind, patient_id, version, parents, hlc, device_id, user_id, sealed, created_at
ON changes
BEGIN
	SELECT RAISE(ABORT, 'the change log is append-only: a change cannot be rewritten');
END;
