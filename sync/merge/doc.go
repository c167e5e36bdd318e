// Package merge combines concurrent versions of one record field by field
// (docs/SYNC.md, "Merge rules"): it orders the versions' DAG by their
// parents and clocks, keeps every concurrent value as a conflict for a
// person to review, and never lets a merge alter a signed note. It is
// pure, so every rule can be tested alone.
package merge
