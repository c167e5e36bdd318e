-- Outpost practice server store. It relays sealed changes; it never holds
-- the practice data key, so nothing here is health data in clear.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE devices (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	public_key   BLOB NOT NULL,
	enrolled_at  TEXT NOT NULL,
	last_seen_at TEXT,
	revoked_at   TEXT
);

-- Only a SHA-256 of each enrolment token is kept: a copy of this file does
-- not let anyone enrol.
CREATE TABLE enrol_codes (
	token_hash BLOB PRIMARY KEY,
	expires_at TEXT NOT NULL,
	used_at    TEXT
);

-- seq is the pull cursor: AUTOINCREMENT so a seq is never reused, even
-- after a rolled-back push.
CREATE TABLE changes (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	change_id   TEXT NOT NULL UNIQUE,
	record_id   TEXT NOT NULL,
	kind        TEXT NOT NULL,
	patient_id  TEXT NOT NULL,
	version     INTEGER NOT NULL,
	parents     TEXT NOT NULL,
	hlc         TEXT NOT NULL,
	device_id   TEXT NOT NULL REFERENCES devices (id),
	user_id     TEXT NOT NULL,
	sealed      BLOB NOT NULL,
	received_at TEXT NOT NULL
);
CREATE INDEX changes_by_patient ON changes (patient_id, seq);

-- Nonces of signed requests seen within the replay window.
CREATE TABLE nonces (
	device_id TEXT NOT NULL,
	nonce     TEXT NOT NULL,
	seen_at   INTEGER NOT NULL, -- unix ms
	PRIMARY KEY (device_id, nonce)
);
CREATE INDEX nonces_by_age ON nonces (seen_at);
