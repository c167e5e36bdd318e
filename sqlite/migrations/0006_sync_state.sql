-- The workstation's own sync state, readable while locked (no data key).
--
-- sync_identity: the practice server this workstation is enrolled with and
-- the device key it signs requests with. The private key is stored in
-- clear: it is a credential, not health data, and the sync status and a
-- joining workstation need it before anyone has unwrapped the data key.
-- Whoever steals the file can impersonate the device until an
-- administrator revokes it, and receives only sealed changes.
CREATE TABLE sync_identity (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	server_addr TEXT NOT NULL,
	fingerprint BLOB NOT NULL,
	device_id   TEXT NOT NULL,
	private_key BLOB NOT NULL,
	enrolled_at TEXT NOT NULL
);

-- sync_runs: every attempt to sync, for the status bar and the end-of-day
-- report. error holds the message shown to the user ('' on success), never
-- health data. Rows older than a month are pruned as new ones arrive.
CREATE TABLE sync_runs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL,
	sent        INTEGER NOT NULL,
	received    INTEGER NOT NULL,
	conflicts   INTEGER NOT NULL,
	requests    INTEGER NOT NULL,
	error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_runs_by_start ON sync_runs (started_at);
