-- Audit entries travel with sync (docs/SYNC.md): each entry a signed-in
-- session writes also becomes a sealed change of kind 'audit'.
--
-- audit_sync_queue: entries written with no data key at hand (failed
-- sign-ins, a rejected recovery key) cannot be sealed then. Their seqs wait
-- here until the next successful sign-in seals and appends them; the local
-- hash chain itself is never touched.
CREATE TABLE audit_sync_queue (
	seq INTEGER PRIMARY KEY
) STRICT;

-- audit_remote: entries pulled from the other workstations of the practice,
-- for the administrator's practice-wide trail. Like audit_log, who, when,
-- what and which record stay in clear for filtering (opaque ids, no health
-- data); sealed is the change's sealed entry, whose detail is opened only
-- when shown. Append-only: an audit record is never edited.
CREATE TABLE audit_remote (
	record_id   TEXT    PRIMARY KEY, -- the change's record id
	change_id   TEXT    NOT NULL,
	device_id   TEXT    NOT NULL,
	seq         INTEGER NOT NULL, -- the entry's seq on its workstation
	at          INTEGER NOT NULL, -- unix nanoseconds, UTC
	user_id     TEXT    NOT NULL,
	username    TEXT    NOT NULL,
	action      TEXT    NOT NULL,
	patient_id  TEXT    NOT NULL,
	record_kind TEXT    NOT NULL,
	record_ref  TEXT    NOT NULL, -- the record the entry names
	sealed      BLOB    NOT NULL
) STRICT;

-- The viewer pages newest first across workstations, or by one filter.
CREATE INDEX audit_remote_at ON audit_remote (at, device_id, seq);
CREATE INDEX audit_remote_user ON audit_remote (user_id, at);
CREATE INDEX audit_remote_patient ON audit_remote (patient_id, at);
CREATE INDEX audit_remote_action ON audit_remote (action, at);

CREATE TRIGGER audit_remote_no_update BEFORE UPDATE ON audit_remote
BEGIN
	SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;

CREATE TRIGGER audit_remote_no_delete BEFORE DELETE ON audit_remote
BEGIN
	SELECT RAISE(ABORT, 'audit entries cannot be removed');
END;
