-- Changes a join from heads took as their record's starting point while
-- this workstation holds none of their parents (sqlite/sync_join_heads.go):
-- the merge reads them as having no parents. A mark is dropped as soon as
-- the parents are held (a record's history fetched), so it never stands
-- in for a base the workstation could merge from. Local: it never syncs.
CREATE TABLE change_bases (
	change_id TEXT PRIMARY KEY
) WITHOUT ROWID;
