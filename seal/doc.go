// Package seal protects bytes at rest and on the wire.
//
// Two layers, both knowing nothing of charts or SQL:
//
//   - Records are sealed with XChaCha20-Poly1305 under a 256-bit data Key.
//     The random 192-bit nonce makes nonce reuse across devices a
//     non-issue; the associated data binds each blob to its place (callers
//     pass the record's id, kind and version through AD), so a sealed blob
//     moved onto another record, or replayed as an older version, fails to
//     open.
//   - The data Key itself is wrapped with age: once per user passphrase
//     (scrypt recipient) and once for a recovery identity (X25519). Changing
//     a passphrase rewraps the key; no record is re-encrypted.
package seal
