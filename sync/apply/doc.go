// Package apply holds the workstation's decisions about the changes it
// pulls from the practice server: the screening every pulled change
// passes before anything of it is stored, why a change is held back
// (quarantined), the order of a page's apply (Page: key records first,
// screen, store, hook, then merge), and how the touched records merge (a
// batch at a time, in bulk or under a savepoint, a record that fails for
// its own fault isolated and its changes held back). The chart store
// (package sqlite) does every read and write behind the port Tx, over its
// own tables and keys; this package never sees SQL or keys, so each rule
// can be tested alone (docs/SYNC.md, "Pieces" and "Quarantine").
package apply
