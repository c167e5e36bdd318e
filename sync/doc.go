// Package sync holds the parts of Outpost's synchronisation that both the
// workstation and the practice server share: the hybrid logical clock that
// orders changes across workstations, the protocol types and their wire
// codec, request signing, and the merge of concurrent record versions. It
// does no network or database I/O, so every rule can be tested alone.
//
// The name shadows the standard library's sync inside this package; callers
// import it under an alias (for example hlc "outpost/sync").
package sync
