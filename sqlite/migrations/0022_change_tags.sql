-- Disk (issue #12): a workstation's own change waits for the practice
-- server with its tag (auth, 48 bytes, made when the change was written so
-- that receivers catch a row altered on disk before its push); once the
-- server has the change nothing here reads the tag again (receivers check
-- the server's copy; only pulled changes are held back or checked at a
-- first sign-in). Dropping it from the row at the acknowledgement saved no
-- page: the row shrank in place and left a hole no later insert fills. So
-- an own change's tag waits beside the row, in change_tags, from the
-- moment it is written (the row is shrunk in the same statement, while it
-- is still the newest in its page) until the acknowledgement deletes it
-- and the incremental vacuum hands its pages back: 2.5 MB of a
-- 2,000-patient workstation after its initial push. Pulled changes are
-- stored acknowledged and keep their tags in their rows. A change written
-- before keeps its tag in its row. changeWireColumns reads either.
CREATE TABLE change_tags (
	seq  INTEGER PRIMARY KEY, -- changes.seq
	auth BLOB NOT NULL
);
CREATE TRIGGER change_tags_no_update BEFORE UPDATE ON change_tags
BEGIN
	SELECT RAISE(ABORT, 'the change log is append-only: a change cannot be rewritten');
END;
CREATE TRIGGER changes_tag_aside AFTER INSERT ON changes
WHEN NEW.acked_at IS NULL AND NEW.auth IS NOT NULL
BEGIN
	INSERT INTO change_tags (seq, auth) VALUES (NEW.seq, NEW.auth);
	UPDATE changes SET auth = NULL WHERE seq = NEW.seq;
END;
CREATE TRIGGER changes_acked_tag_gone AFTER UPDATE OF acked_at ON changes
WHEN OLD.acked_at IS NULL AND NEW.acked_at IS NOT NULL
BEGIN
	DELETE FROM change_tags WHERE seq = NEW.seq;
END;
CREATE TRIGGER changes_deleted_tag_gone AFTER DELETE ON changes
BEGIN
	DELETE FROM change_tags WHERE seq = OLD.seq;
END;
