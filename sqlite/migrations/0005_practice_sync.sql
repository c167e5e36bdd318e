-- Practice-wide records in the change log: users (with their age-wrapped
-- data keys) and the practice settings travel as changes with patient_id ''
-- (kinds 'user' and 'practice'); the users table and meta stay the current
-- state, rebuilt by merging those changes.

-- Finds a practice's users and settings in the change log without a scan
-- of the patient changes (sign-in on a joined workstation, backfill).
CREATE INDEX changes_practice_wide ON changes (kind, record_id) WHERE patient_id = '';

-- Failed sign-ins for a username this workstation knows only from the change
-- log (a joined workstation before its first sign-in, or a user added
-- elsewhere), throttled like users.failed_attempts. login is the change's
-- login hash (sha256 of practice id and username), never the username.
CREATE TABLE signin_throttle (
	login           TEXT PRIMARY KEY,
	failed_attempts INTEGER NOT NULL DEFAULT 0,
	locked_until    TEXT
);

-- Changes stored by a join pull (no data key yet) whose kind has a
-- remoteHook: the hook runs at the first sign-in, when the key is there.
CREATE TABLE join_hooks (
	change_id TEXT PRIMARY KEY REFERENCES changes (change_id)
);

-- The username a user has in the practice (as synced), when this workstation
-- shows another one: two workstations offline each made a user with the
-- same username, and the later one is renamed here only (username-2).
ALTER TABLE users ADD COLUMN sync_username TEXT;
