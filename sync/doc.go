// Package sync holds the pure parts of Outpost's synchronisation: the
// hybrid logical clock that orders changes across workstations, and (later)
// the protocol types and merge rules. It does no I/O, so every ordering rule
// can be tested without a network or a database.
//
// The name shadows the standard library's sync inside this package; callers
// import it under an alias (for example hlc "outpost/sync").
package sync
