-- Key epochs (docs/SECURITY.md, "Keys and their lifecycle").
--
-- users.key_scheme: 1 = wrapped_key is the practice's first data key
-- wrapped for the user's passphrase (workstations before key epochs);
-- 2 = wrapped_key is the user's own secret wrapped for the passphrase, and
-- box_public is the public half of the key pair derived from it, to which
-- each epoch's data key is sealed (keyboxes).
ALTER TABLE users ADD COLUMN key_scheme INTEGER NOT NULL DEFAULT 1 CHECK (key_scheme IN (1, 2));
ALTER TABLE users ADD COLUMN box_public BLOB;

-- revoked_devices: the workstations the practice server says were revoked,
-- and when (unix ms). An administrator's session starts a new key epoch
-- when one was revoked after the current epoch began, so what a lost
-- laptop holds opens nothing written afterwards.
CREATE TABLE revoked_devices (
	id         TEXT PRIMARY KEY,
	revoked_at INTEGER NOT NULL
);
