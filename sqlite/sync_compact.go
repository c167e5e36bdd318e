package sqlite

// The change log stores a record's current version once (issue #12,
// migration 0017_change_log_once.sql): a change whose bytes a records row
// holds verbatim as its head keeps an empty sealed column, and triggers
// put the bytes back before that row is rewritten or deleted. So every
// read of a change's sealed bytes goes through changeSealed, which takes them
// from the record row when the change's own copy is empty. A change's
// content never changes; only where its one copy lives. An own audit
// batch's bytes wait in change_bodies until the server has them, then go
// (migration 0019_audit_batch_bodies.sql).

// changeSealed is the SQL expression for the sealed bytes of the change-log
// row named table (the table's name or its alias in the query).
func changeSealed(table string) string {
	return `coalesce(nullif(` + table + `.sealed, x''), (SELECT r.sealed FROM records r WHERE r.id = ` + table +
		`.record_id AND r.head_change_id = ` + table + `.change_id), (SELECT b.sealed FROM change_bodies b WHERE b.seq = ` +
		table + `.seq))`
}

// changeTag is the SQL expression for the tag of the change-log row named
// table: in the row, or beside it in change_tags while an own change waits
// for the server (migration 0022_change_tags.sql).
func changeTag(table string) string {
	return `coalesce(` + table + `.auth, (SELECT g.auth FROM change_tags g WHERE g.seq = ` + table + `.seq))`
}

// changeWireColumns are wireColumns read from the change log.
var changeWireColumns = `change_id, record_id, kind, patient_id, version, parents, hlc, device_id, user_id, ` +
	changeSealed("changes") + `, ` + changeTag("changes")
