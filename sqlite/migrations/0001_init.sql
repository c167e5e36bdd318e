-- Outpost chart store, initial schema. Only ids, kinds, versions, clocks and
-- timestamps are in clear; patient content is in the sealed columns.

-- Practice-wide settings and this workstation's identity: practice_id,
-- practice_name, idle_lock_minutes, device_id, created_at,
-- recovery_wrapped_key, recovery_recipient, hlc.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
);

CREATE TABLE users (
	id              TEXT PRIMARY KEY,
	username        TEXT NOT NULL UNIQUE,
	full_name       TEXT NOT NULL,
	role            TEXT NOT NULL,
	active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	wrapped_key     BLOB NOT NULL, -- the data key, age-wrapped for this user's passphrase
	failed_attempts INTEGER NOT NULL DEFAULT 0,
	locked_until    TEXT,          -- sign-in throttled until then (RFC 3339, UTC)
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);

-- The local change log and outbox: one row per record write, pushed by the
-- sync module later. change_id is the idempotency key.
CREATE TABLE changes (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	change_id  TEXT NOT NULL UNIQUE,
	record_id  TEXT NOT NULL,
	kind       TEXT NOT NULL,
	patient_id TEXT NOT NULL,
	version    INTEGER NOT NULL,
	parents    TEXT NOT NULL DEFAULT '[]', -- JSON array of the change ids this version was based on
	hlc        TEXT NOT NULL,
	device_id  TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	sealed     BLOB NOT NULL,
	created_at TEXT NOT NULL,
	acked_at   TEXT
);
CREATE INDEX changes_by_record ON changes (record_id, version);
CREATE INDEX changes_outbox ON changes (seq) WHERE acked_at IS NULL;

-- The current version of each record.
CREATE TABLE records (
	id             TEXT PRIMARY KEY,
	kind           TEXT NOT NULL,
	patient_id     TEXT NOT NULL,
	version        INTEGER NOT NULL,
	head_change_id TEXT NOT NULL REFERENCES changes (change_id),
	sealed         BLOB NOT NULL,
	mrn_tag        BLOB UNIQUE, -- HMAC of the normalised MRN; NULL for records without one
	updated_at     TEXT NOT NULL
);
CREATE INDEX records_by_kind ON records (kind);
CREATE INDEX records_by_patient ON records (patient_id);
