// Package sqlite is Outpost's encrypted local chart store: it implements
// chart.Workstation and chart.Session on modernc.org/sqlite.
//
// What is in clear on disk: opaque UUIDv7 ids, record kinds, version
// counters, hybrid logical clock stamps, timestamps, the practice name and
// staff usernames and names (needed before anyone signs in). Everything about
// a patient is sealed with the practice data key (package seal), and a
// patient's medical record number is only present as a keyed HMAC tag, so
// that uniqueness can be enforced without storing it. Clinical records add
// two clear workflow bits per row: locked (a signed note; a trigger refuses
// any later change) and to_review (a result nobody has acknowledged).
//
// Clinical records (chart.ChartService) share the patients' machinery: each
// write is one sealed, versioned change (clinical_store.go, clinical_save.go);
// signed notes carry a content hash checked on every read (notes.go).
//
// Every connection runs in WAL mode with synchronous=FULL, so a record is on
// disk when RegisterPatient returns, and keeps temporary tables in memory, so
// nothing spills to temp files. Every write and its audit entry commit in one
// transaction. The write-ahead log is copied into the database file in the
// background once writes pause (wal_background.go), not inside whichever
// commit happens to cross SQLite's threshold.
package sqlite
