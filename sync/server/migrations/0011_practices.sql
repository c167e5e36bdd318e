-- One server serves many practices (issue #13), each isolated: its own
-- devices, changes and seqs. The practice a store served so far becomes
-- the default practice (pk 1), which codes made without a practice enrol
-- into, as before. last_seq is the practice's pull cursor head: a push
-- takes its seqs from it under the write lock, so seqs stay dense and
-- commit in order.
CREATE TABLE practices (
	pk          INTEGER PRIMARY KEY,
	practice_id TEXT UNIQUE, -- NULL until its first enrolment binds it
	last_seq    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO practices (pk, practice_id, last_seq) VALUES (1,
	(SELECT value FROM meta WHERE key = 'practice_id'),
	(SELECT coalesce(max(seq), 0) FROM changes));
DELETE FROM meta WHERE key = 'practice_id';

ALTER TABLE devices ADD COLUMN practice INTEGER NOT NULL DEFAULT 1;
CREATE INDEX devices_by_practice ON devices (practice);
-- NULL: the code's first enrolment makes a new practice.
ALTER TABLE enrol_codes ADD COLUMN practice INTEGER DEFAULT 1;

-- Seqs and change ids are per practice: rebuild the table with both keys.
CREATE TABLE changes_by_practice (
	practice    INTEGER NOT NULL REFERENCES practices (pk),
	seq         INTEGER NOT NULL,
	change_id   TEXT NOT NULL,
	record_id   TEXT NOT NULL,
	kind        TEXT NOT NULL,
	patient_id  TEXT NOT NULL,
	version     INTEGER NOT NULL,
	parents     TEXT NOT NULL,
	hlc         TEXT NOT NULL,
	device_id   TEXT NOT NULL REFERENCES devices (id),
	user_id     TEXT NOT NULL,
	sealed      BLOB NOT NULL,
	auth        BLOB,
	received_at TEXT NOT NULL,
	superseded  INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),
	PRIMARY KEY (practice, seq),
	UNIQUE (practice, change_id)
);
INSERT INTO changes_by_practice (practice, seq, change_id, record_id, kind, patient_id, version, parents, hlc,
		device_id, user_id, sealed, auth, received_at, superseded)
	SELECT 1, seq, change_id, record_id, kind, patient_id, version, parents, hlc,
		device_id, user_id, sealed, auth, received_at, superseded FROM changes;
DROP TABLE changes;
ALTER TABLE changes_by_practice RENAME TO changes;
CREATE INDEX changes_by_patient ON changes (practice, patient_id, seq);
CREATE INDEX changes_by_device_kind ON changes (device_id, kind, seq);
CREATE INDEX changes_by_record ON changes (practice, record_id, kind);
