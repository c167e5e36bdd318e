// Package client runs one sync of a workstation with its practice server:
// push the outbox, then pull and apply everyone else's changes
// (docs/SYNC.md). It knows the store only through the small Store
// interface, so it never imports the SQLite store, and the transport only
// through transport.Client.
package client
