// Package backup is Outpost's backup file format and the folder it lives
// in: a consistent SQLite snapshot (made by package backup/snapshot) sealed
// with a manifest and a checksum, written under a temporary name and
// renamed only once complete and checked, kept as daily, weekly and monthly
// generations (restic's "forget --keep-*" rules).
//
// A backup file is the SQLite image first, so `sqlite3 -readonly` can look
// inside it, followed by a trailer:
//
//	[SQLite database: manifest.dbSize bytes]
//	[manifest: JSON, n bytes]
//	[n: 8 bytes, big-endian]
//	[SHA-256 of everything above: 32 bytes]
//	[magic "OUTPOST-BACKUP-1": 16 bytes]
//
// The checksum covers every byte before it, so one flipped byte anywhere
// names the file as damaged. The database holds what the live store holds:
// on a workstation every patient record is sealed under the practice key,
// so a backup reveals no health data without a passphrase or the recovery
// key; on the practice server, only sealed changes.
//
// The package is pure Go on the standard library, so the desktop app, the
// workstation store and the practice server share it.
package backup
