package seal

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync/atomic"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of a data key in bytes (256 bits).
const KeySize = chacha20poly1305.KeySize

// Key is a data key. Keep it in memory only while a user is signed in, and
// Wipe it when they lock. A Key is safe for concurrent use (Wipe aside).
type Key struct {
	b [KeySize]byte
	// aead is built from b once, at the first Seal or Open, and dropped by
	// Wipe. An AEAD holds its own copy of the key that Go gives no way to
	// clear: building one per call left a copy of the key in the heap for
	// every record sealed or opened (docs/SECURITY.md, "Key material in
	// memory").
	aead atomic.Pointer[aeadBox]
}

type aeadBox struct{ cipher.AEAD }

// cipher returns the key's AEAD, building it on first use.
func (k *Key) cipher() cipher.AEAD {
	if box := k.aead.Load(); box != nil {
		return box.AEAD
	}
	a, err := chacha20poly1305.NewX(k.b[:])
	if err != nil {
		panic(err) // only on a wrong key size, which Key rules out
	}
	k.aead.CompareAndSwap(nil, &aeadBox{a}) // a racing first use builds an equal one
	return a
}

// ErrIntegrity is returned when a sealed blob fails authentication: it was
// altered, truncated, or presented with the wrong associated data or key.
var ErrIntegrity = errors.New("sealed data failed its integrity check")

// NewKey returns a fresh random data key.
func NewKey() (*Key, error) {
	k := &Key{}
	if _, err := rand.Read(k.b[:]); err != nil {
		return nil, fmt.Errorf("generate data key: %w", err)
	}
	return k, nil
}

// KeyFromBytes copies a 32-byte slice into a Key.
func KeyFromBytes(b []byte) (*Key, error) {
	if len(b) != KeySize {
		return nil, fmt.Errorf("data key must be %d bytes, got %d", KeySize, len(b))
	}
	k := &Key{}
	copy(k.b[:], b)
	return k, nil
}

// Equal reports whether two keys are the same, in constant time.
func (k *Key) Equal(o *Key) bool {
	return k != nil && o != nil && subtle.ConstantTimeCompare(k.b[:], o.b[:]) == 1
}

// Wipe zeroes the key and drops its AEAD. Go may have copied it elsewhere
// (the AEAD's own copy, registers, stacks), so this is hygiene, not a
// proof: docs/SECURITY.md says what it cannot guarantee.
func (k *Key) Wipe() {
	if k == nil {
		return
	}
	k.aead.Store(nil)
	clear(k.b[:])
}

// Overhead is what Seal adds to a plaintext it does not compress: the nonce
// and the tag (and a marker byte when the plaintext starts with 0x00 or
// 0x01, see compress.go).
const Overhead = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// Seal encrypts plaintext under k, authenticating ad too. The plaintext is
// compressed first when that makes it smaller (compress.go). The output is
// nonce || ciphertext || tag.
func (k *Key) Seal(plaintext, ad []byte) []byte {
	aead := k.cipher()
	body, fresh := pack(plaintext)
	if fresh {
		defer clear(body)
	}
	out := make([]byte, chacha20poly1305.NonceSizeX, Overhead+len(body))
	if _, err := rand.Read(out); err != nil {
		panic(fmt.Errorf("read random nonce: %w", err)) // crypto/rand does not fail on supported platforms
	}
	return aead.Seal(out, out, body, ad)
}

// Open decrypts a blob made by Seal with the same key and ad. Any mismatch
// returns ErrIntegrity.
func (k *Key) Open(sealed, ad []byte) ([]byte, error) {
	if len(sealed) < Overhead {
		return nil, ErrIntegrity
	}
	n := chacha20poly1305.NonceSizeX
	body, err := k.cipher().Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrIntegrity
	}
	pt, err := unpack(body)
	if err != nil {
		// Authentic but not inflatable: only a holder of the key could
		// have made it, and it is unusable all the same.
		return nil, ErrIntegrity
	}
	return pt, nil
}

// AD builds associated data from parts, length-prefixing each so that
// ("ab","c") and ("a","bc") differ.
func AD(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += 4 + len(p)
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		l := len(p)
		b = append(b, byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
		b = append(b, p...)
	}
	return b
}

// Derive returns a 32-byte subkey for one purpose, named by label (for
// example "outpost/mrn-tag/v1"), using HKDF-SHA256. Subkeys for different
// labels are independent, so a subkey used for lookup tags reveals nothing
// about the data key or about subkeys for other labels.
func (k *Key) Derive(label string) []byte {
	sub, err := hkdf.Key(sha256.New, k.b[:], nil, label, KeySize)
	if err != nil {
		panic(err) // only for an output length HKDF cannot produce
	}
	return sub
}
