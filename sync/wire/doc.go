// Package wire is the sync protocol shared by workstations and the
// practice server: the request and reply types with their validation, the
// codec (gzip JSON with size limits checked before inflating), the signing
// of requests by a device's Ed25519 key, and the tag that authenticates a
// change's metadata. It does no network or database I/O.
package wire
