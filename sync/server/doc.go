// Package server is the practice server: its own SQLite store of
// enrolled devices and relayed changes, and the HTTP handlers of the sync
// protocol (docs/SYNC.md). It stores the sealed change blobs exactly as
// received and never holds the practice data key, so it cannot read health
// data. Every handler validates and authenticates a request completely
// before it writes anything, and a push is one durable transaction.
package server
