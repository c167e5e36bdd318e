// Package chart holds Outpost's domain: typed identifiers, the records a
// practice keeps (practice, users, patients, audit entries), their validation,
// the role rules, and the service interfaces that the storage layer implements
// and the desktop layer consumes.
//
// It imports only the standard library and uuid, so that every clinical rule
// can be tested without a database, a key or a window. Arrows point here:
// sqlite implements these interfaces, app consumes them, main wires the two.
package chart
