-- The keyed audit chain (sqlite/audit.go, docs/SECURITY.md "The audit log").
--
-- mac: HMAC-SHA256, under a subkey of the practice data key, over the
-- previous entry's mac, this entry's seq and hash, and keyed_at. NULL while
-- the entry waits for a key (written while nobody was signed in, or before
-- this version): the next write made with the key seals it into the chain.
-- keyed_at: 0 when the entry was sealed as it was written; else when it was
-- sealed later (unix nanoseconds), which verification reports.
ALTER TABLE audit_log ADD COLUMN mac BLOB;
ALTER TABLE audit_log ADD COLUMN keyed_at INTEGER NOT NULL DEFAULT 0;

-- Still append-only, with one exception: an entry waiting for a key may be
-- sealed into the chain, once, and nothing else about it may change.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.mac IS NULL AND NEW.mac IS NOT NULL
	AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at AND NEW.user_id IS OLD.user_id
	AND NEW.username IS OLD.username AND NEW.action IS OLD.action AND NEW.patient_id IS OLD.patient_id
	AND NEW.record_kind IS OLD.record_kind AND NEW.record_id IS OLD.record_id AND NEW.device_id IS OLD.device_id
	AND NEW.detail IS OLD.detail AND NEW.detail_sealed IS OLD.detail_sealed
	AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash)
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;

-- Where keying began: entries before this seq were written under the plain
-- hash chain only and are sealed into the keyed chain at the first sign-in
-- after the upgrade. History is not rewritten.
INSERT INTO meta (key, value)
	SELECT 'audit_chain_from', CAST(coalesce(max(seq), 0) + 1 AS TEXT) FROM audit_log;

-- The chain of every other workstation as this one has seen it: for each
-- (device, seq) the mac it had, and its hash when known (an entry's
-- predecessor is known by its mac only). A second, different mac for a
-- position is a fork: that workstation's log was rewritten or rolled back.
CREATE TABLE audit_remote_chain (
	device_id TEXT    NOT NULL,
	seq       INTEGER NOT NULL,
	mac       BLOB    NOT NULL,
	hash      BLOB,
	keyed_at  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;

-- A position's mac never changes; its hash may be learnt once.
CREATE TRIGGER audit_remote_chain_no_update BEFORE UPDATE ON audit_remote_chain
WHEN NEW.mac IS NOT OLD.mac OR OLD.hash IS NOT NULL OR NEW.device_id IS NOT OLD.device_id OR NEW.seq IS NOT OLD.seq
BEGIN
	SELECT RAISE(ABORT, 'a received audit chain position cannot be changed');
END;

CREATE TRIGGER audit_remote_chain_no_delete BEFORE DELETE ON audit_remote_chain
BEGIN
	SELECT RAISE(ABORT, 'a received audit chain position cannot be removed');
END;

-- Forks seen: the first position where a workstation's entries disagree
-- with what this one held, the change that showed it, and when.
CREATE TABLE audit_forks (
	device_id TEXT    NOT NULL,
	seq       INTEGER NOT NULL,
	record_id TEXT    NOT NULL,
	seen_at   INTEGER NOT NULL, -- unix nanoseconds, UTC
	PRIMARY KEY (device_id, seq)
) STRICT;

CREATE TRIGGER audit_forks_no_update BEFORE UPDATE ON audit_forks
BEGIN
	SELECT RAISE(ABORT, 'a recorded audit fork cannot be changed');
END;

CREATE TRIGGER audit_forks_no_delete BEFORE DELETE ON audit_forks
BEGIN
	SELECT RAISE(ABORT, 'a recorded audit fork cannot be removed');
END;
