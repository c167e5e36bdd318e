-- Disk (issue #12): a workstation lets go of the bytes of its own audit
-- batches once the practice server has stored them. A batch
-- (sync_audit_batch.go) is audit_log's entries packed and sealed to
-- travel; the entries themselves stay in audit_log, chained and keyed, and
-- the audit check reads the server's copy of the newest batch (the
-- anchor), never the workstation's own. Nothing on the workstation reads
-- an own batch after its acknowledgement, and keeping it held every audit
-- entry twice: 6% of the file after an initial push, and as much of every
-- day's growth.
--
-- An own batch's bytes wait in change_bodies, not in its change-log row:
-- the row is written once and small, and the acknowledgement deletes the
-- body, freeing whole pages the store hands back (store_file.go) where
-- emptying the row would have left a hole in each change-log page. Reads
-- take them through changeSealed (sync_compact.go). Pulled batches (stored
-- acknowledged, read by the join's merge) keep their bytes in their row.
CREATE TABLE change_bodies (
	seq    INTEGER PRIMARY KEY, -- changes.seq
	sealed BLOB NOT NULL
);

CREATE TRIGGER change_bodies_no_update BEFORE UPDATE ON change_bodies
BEGIN
	SELECT RAISE(ABORT, 'the change log is append-only: a change cannot be rewritten');
END;
CREATE TRIGGER change_bodies_kept_until_acked BEFORE DELETE ON change_bodies
WHEN EXISTS (SELECT 1 FROM changes WHERE seq = OLD.seq AND acked_at IS NULL)
BEGIN
	SELECT RAISE(ABORT, 'a change not yet stored by the practice server keeps its bytes');
END;

-- The change log stays append-only otherwise: a change's bytes may move to
-- the record row holding the same bytes and back (0017), or to its
-- change_bodies row, and nothing else.
DROP TRIGGER changes_sealed_moves_only;
CREATE TRIGGER changes_sealed_moves_only
BEFORE UPDATE OF sealed ON changes
WHEN NOT coalesce(
	(NEW.sealed = x'' AND OLD.sealed = (SELECT sealed FROM records WHERE id = OLD.record_id AND head_change_id = OLD.change_id))
	OR (OLD.sealed = x'' AND NEW.sealed = (SELECT sealed FROM records WHERE id = OLD.record_id AND head_change_id = OLD.change_id))
	OR (NEW.sealed = x'' AND OLD.sealed = (SELECT sealed FROM change_bodies WHERE seq = OLD.seq)),
	0)
BEGIN
	SELECT RAISE(ABORT, 'the change log is append-only: a change cannot be rewritten');
END;

CREATE TRIGGER changes_audit_batch_body AFTER INSERT ON changes
WHEN NEW.kind = 'audit-batch' AND NEW.acked_at IS NULL AND NEW.sealed != x''
BEGIN
	INSERT INTO change_bodies (seq, sealed) VALUES (NEW.seq, NEW.sealed);
	UPDATE changes SET sealed = x'' WHERE seq = NEW.seq;
END;

CREATE TRIGGER changes_acked_body_gone AFTER UPDATE OF acked_at ON changes
WHEN NEW.kind = 'audit-batch' AND OLD.acked_at IS NULL AND NEW.acked_at IS NOT NULL
BEGIN
	DELETE FROM change_bodies WHERE seq = NEW.seq;
END;

CREATE TRIGGER changes_deleted_body_gone AFTER DELETE ON changes
BEGIN
	DELETE FROM change_bodies WHERE seq = OLD.seq;
END;
