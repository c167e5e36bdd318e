-- A restored practice server (docs/SYNC.md) has forgotten what it took
-- after its backup, and a workstation sends its own changes again. An own
-- audit batch let go of its bytes at the acknowledgement (0019), so before
-- this table it could not be sent again: the practice-wide trail lost
-- those entries for good. What a batch held is audit_log's entries, which
-- stay, so the batch can be packed again from them, and identically (the
-- server keeps one copy per change id: a different packing of the same
-- entries would be a second batch of them), if the workstation keeps what
-- the packing depended on beyond audit_log and the change-log row (ids,
-- clock, device, user, patient): which entries it holds and, for each,
-- the entry its chain claim starts from (audit_sync_chain.go).
--
-- entries: per entry, in seq order, the uvarint of its seq minus the one
-- before it in the batch (the first: minus 0), then the zigzag varint of
-- its seq minus the seq of the entry packed before it (the claim's start):
-- most entries take two or three bytes, against some three hundred in the
-- sealed batch let go of.
-- check_tag: 16 bytes of an HMAC of the batch's plaintext under a subkey
-- of the practice key, so a packing that comes out different (another
-- build's encoding, a damaged log) is never sent under the batch's change
-- id.
--
-- A batch packed by an earlier build has no row: acknowledged, it cannot
-- be sent again (docs/SYNC.md, Known limits).
CREATE TABLE audit_batch_packing (
	seq       INTEGER PRIMARY KEY, -- changes.seq of an own audit-batch change
	entries   BLOB NOT NULL,
	check_tag BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_batch_packing_no_update BEFORE UPDATE ON audit_batch_packing
BEGIN
	SELECT RAISE(ABORT, 'the change log is append-only: a change cannot be rewritten');
END;

CREATE TRIGGER changes_deleted_packing_gone AFTER DELETE ON changes
WHEN OLD.kind = 'audit-batch'
BEGIN
	DELETE FROM audit_batch_packing WHERE seq = OLD.seq;
END;
