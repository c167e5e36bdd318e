-- Trust: changes are authenticated end to end, and a pulled change that
-- does not validate, verify, open or merge is held back instead of stopping
-- the sync (docs/SECURITY.md).

-- auth: the change's authentication tag (epoch id + HMAC over every field
-- that drives merging, routing and attribution, and the sealed bytes),
-- made by the workstation that wrote it under the practice data key. NULL
-- on local changes written before tags existed: the outbox tags them as it
-- sends them.
ALTER TABLE changes ADD COLUMN auth BLOB;

-- unverified: stored by a join pull before any key was at hand; the first
-- sign-in verifies (and quarantines) them before merging.
ALTER TABLE changes ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0 CHECK (unverified IN (0, 1));
CREATE INDEX changes_unverified ON changes (seq) WHERE unverified = 1;

-- quarantine: pulled changes held back, kept exactly as received (every
-- wire field, sealed as it came), with why. reason is a code (malformed,
-- clock, unknown_kind, unverified, unopened, merge); detail is a sentence
-- for the administrator that never holds health data. A dismissed change
-- stays, with who dismissed it and their reason (sealed: free text).
CREATE TABLE quarantine (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	change_id        TEXT    NOT NULL UNIQUE,
	record_id        TEXT    NOT NULL,
	kind             TEXT    NOT NULL,
	patient_id       TEXT    NOT NULL,
	version          INTEGER NOT NULL,
	parents          TEXT    NOT NULL,
	hlc              TEXT    NOT NULL,
	device_id        TEXT    NOT NULL,
	user_id          TEXT    NOT NULL,
	sealed           BLOB    NOT NULL,
	auth             BLOB,
	reason           TEXT    NOT NULL,
	detail           TEXT    NOT NULL,
	received_at      TEXT    NOT NULL,
	tries            INTEGER NOT NULL DEFAULT 1,
	last_tried_at    TEXT    NOT NULL,
	dismissed_at     TEXT,
	dismissed_by     TEXT,
	dismissed_reason BLOB
);
CREATE INDEX quarantine_held ON quarantine (id) WHERE dismissed_at IS NULL;

-- devices: the workstations of the practice by the names given at
-- enrolment, as each published its own (a sealed practice-wide record of
-- kind 'device'), so lists can say "sent by Front desk" rather than an id.
CREATE TABLE devices (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
