// Package clock is the hybrid logical clock that orders changes across
// workstations: wall time in milliseconds plus a logical counter, encoded
// so that the string order is the clock order. Workstations and the
// practice server share it; it does no I/O.
//
// The sync module's packages (docs/SYNC.md): clock, wire (the protocol
// types, codec and request signing), merge, transport (the workstation's
// HTTP client), client (the workstation's sync loop) and server (the
// practice server and its store).
package clock
