-- Key epochs (docs/SECURITY.md, "Keys and their lifecycle").
--
-- users.key_scheme: 1 = wrapped_key is the practice's first data key
-- wrapped for the user's passphrase (workstations before key epochs);
-- 2 = wrapped_key is the user's own secret wrapped for the passphrase, and
-- box_public is the public half of the key pair derived from it, to which
-- each epoch's data key is sealed (keyboxes).
ALTER TABLE users ADD COLUMN key_scheme INTEGER NOT NULL DEFAULT 1 CHECK (key_scheme IN (1, 2));
ALTER TABLE users ADD COLUMN box_public BLOB;

-- epochs: the practice's data-key epochs this workstation has heard of,
-- each from its epoch record (kind 'epoch' in the change log). adopted is
-- set once this workstation made it current: its key was at hand and its
-- keyring held every key this workstation held before, so a record sealed
-- under it is never hidden from anyone who could read the older ones.
CREATE TABLE epochs (
	id        TEXT PRIMARY KEY, -- the epoch id as a UUID (nil UUID: the first key)
	hlc       TEXT NOT NULL,    -- when it was started
	change_id TEXT NOT NULL,
	adopted   INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1))
);

-- keyboxes: one epoch's key sealed to one user's box_public (kind 'keybox'
-- in the change log, the latest version of each kept).
CREATE TABLE keyboxes (
	epoch   TEXT NOT NULL,
	user_id TEXT NOT NULL,
	sealed  BLOB NOT NULL,
	hlc     TEXT NOT NULL,
	PRIMARY KEY (epoch, user_id)
);
