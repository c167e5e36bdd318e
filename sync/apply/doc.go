// Package apply holds the workstation's rules for taking in pulled
// changes that need neither the practice key nor the chart store: why a
// change is held back (quarantined) and the screening every pulled change
// passes before anything of it is stored. The chart store (package sqlite)
// runs the apply itself over its own tables and keys and asks this package
// what to decide; it never sees SQL or keys, so each rule can be tested
// alone (docs/SYNC.md, "Quarantine").
package apply
