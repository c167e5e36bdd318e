-- Replaceable records (a user's credential, a keybox: sync.ReplaceableKinds)
-- count only in their latest version. An older version keeps its row (and
-- its seq, so pulls never skip or repeat) but loses its sealed bytes and is
-- left out of pulls: a passphrase's old wrap does not outlive it here.
ALTER TABLE changes ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1));
CREATE INDEX changes_by_record ON changes (record_id, kind);
