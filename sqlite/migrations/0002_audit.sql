-- 0002: the append-only, hash-chained audit log.
--
-- Who, when, what and which record stay in clear columns so the audit viewer
-- can filter with indexes; only the free-text detail is sealed (detail_sealed
-- = 1) because it is the one column a caller might fill with health data.
-- Every column is in the hash chain (see audit.go), and meta('audit_head')
-- holds the newest seq and hash so that removing the tail is caught too.
--
-- STRICT: a stray value of the wrong type is refused here rather than
-- surfacing later as a verification failure nobody can explain.
CREATE TABLE audit_log (
	seq           INTEGER PRIMARY KEY,
	at            INTEGER NOT NULL, -- unix nanoseconds, UTC
	user_id       TEXT    NOT NULL,
	username      TEXT    NOT NULL,
	action        TEXT    NOT NULL,
	patient_id    TEXT    NOT NULL,
	record_kind   TEXT    NOT NULL,
	record_id     TEXT    NOT NULL,
	device_id     TEXT    NOT NULL,
	detail        BLOB    NOT NULL,
	detail_sealed INTEGER NOT NULL CHECK (detail_sealed IN (0, 1)),
	prev_hash     BLOB    NOT NULL,
	hash          BLOB    NOT NULL
) STRICT;

-- The viewer filters by one of these and pages newest first by seq.
CREATE INDEX audit_log_user ON audit_log (user_id, seq);
CREATE INDEX audit_log_patient ON audit_log (patient_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only: a bug in application code must not be able to rewrite or
-- erase history. Someone editing the file can drop these triggers; the hash
-- chain is what catches them.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be removed');
END;

-- The head may only move forward (appendAudit upserts it), never back or
-- away. Its value starts with the seq as 8 big-endian bytes, so comparing
-- those bytes compares the seqs.
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON meta
WHEN OLD.key = 'audit_head'
BEGIN
	SELECT RAISE(ABORT, 'the audit log head cannot be removed');
END;

CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON meta
WHEN OLD.key = 'audit_head'
	AND (NEW.key IS NOT 'audit_head' OR substr(NEW.value, 1, 8) <= substr(OLD.value, 1, 8))
BEGIN
	SELECT RAISE(ABORT, 'the audit log head can only move forward');
END;
