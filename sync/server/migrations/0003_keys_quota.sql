-- Revocation is by key: a revoked key stays refused under any device id,
-- forever (syncserver.Store.Revoke, Enroll). Keys revoked before this
-- table existed are carried over.
CREATE TABLE revoked_keys (
	public_key BLOB PRIMARY KEY,
	revoked_at TEXT NOT NULL
);
INSERT INTO revoked_keys (public_key, revoked_at)
	SELECT public_key, min(revoked_at) FROM devices WHERE revoked_at IS NOT NULL GROUP BY public_key;

-- A key is enrolled once (checked in Enroll: rows stored before this may
-- share a key, so the index is not UNIQUE; their requests are bound to
-- their device id by the v2 signature).
CREATE INDEX devices_by_key ON devices (public_key);

-- The bytes each device has stored (sealed content plus a fixed allowance
-- per change for its metadata), kept up to date by each push in the same
-- transaction, for the per-device quota.
ALTER TABLE devices ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE devices SET stored_bytes = coalesce(
	(SELECT sum(length(sealed)) + 512 * count(*) FROM changes WHERE changes.device_id = devices.id), 0);

-- Request nonces are remembered in memory now (syncserver.MemoryLedger);
-- only those of requests stamped ahead of the server's clock are kept here
-- (at once, or when the server stops), until their timestamps expire,
-- since a restart would otherwise forget them while still acceptable.
DROP TABLE nonces;
CREATE TABLE ahead_nonces (
	nonce_key  BLOB PRIMARY KEY, -- hash of device id and nonce
	signed_at  INTEGER NOT NULL, -- unix ms
	expires_at INTEGER NOT NULL  -- unix ms
);
