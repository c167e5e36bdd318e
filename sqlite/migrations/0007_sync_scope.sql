-- Partial replication (docs/SYNC.md): which patients this workstation
-- holds. It is this device's own choice and never syncs. The mode is the
-- meta key 'sync_scope' ('set'; absent or 'all' is the whole practice).
CREATE TABLE sync_scope_patients (
	patient_id     TEXT PRIMARY KEY,
	-- taken off the set: purged once its local changes are acknowledged
	leaving        INTEGER NOT NULL DEFAULT 0 CHECK (leaving IN (0, 1)),
	-- its history before the pull cursor has been fetched
	backfilled     INTEGER NOT NULL DEFAULT 0 CHECK (backfilled IN (0, 1)),
	-- server seq the backfill has reached (resumes there after a crash)
	backfill_after INTEGER NOT NULL DEFAULT 0 CHECK (backfill_after >= 0),
	added_at       TEXT NOT NULL
);

-- Patients purged from this device (ids only, opaque): they may be put back
-- on the set, and are then backfilled from the server.
CREATE TABLE sync_scope_gone (
	patient_id TEXT PRIMARY KEY,
	purged_at  TEXT NOT NULL
);

-- A purge deletes a patient's change log; the scope screen counts what
-- waits per patient.
CREATE INDEX changes_by_patient ON changes (patient_id);

-- Holds a patient id only inside the transaction that purges that patient
-- from this device: the one case where a signed (locked) record row may be
-- deleted here. The server keeps every version; the audit log is kept.
CREATE TABLE sync_purging (
	patient_id TEXT PRIMARY KEY
);

DROP TRIGGER records_locked_no_delete;

CREATE TRIGGER records_locked_no_delete BEFORE DELETE ON records
WHEN OLD.locked = 1 AND NOT EXISTS (SELECT 1 FROM sync_purging WHERE patient_id = OLD.patient_id)
BEGIN
	SELECT RAISE(ABORT, 'this record is signed and locked: it cannot be removed');
END;
