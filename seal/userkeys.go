package seal

import (
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// A user's own key. Each member of staff has a 32-byte secret that only
// their passphrase unwraps (WrapWithPassphrase). From it derives an X25519
// pair: a new epoch's data key is sealed to every active user's public half
// (SealKeyTo), so whoever starts an epoch can give it to the whole practice
// without knowing anyone's passphrase, and a deactivated user, left out,
// cannot open it.

// UserKeys are one user's key pair, derived from their secret.
type UserKeys struct {
	box *ecdh.PrivateKey
}

// PublicUserKeySize is the size of the public half.
const PublicUserKeySize = 32

// UserKeysFrom derives a user's key pair from their secret.
func UserKeysFrom(secret *Key) (*UserKeys, error) {
	seed := secret.Derive("outpost/user-box/v1")
	defer clear(seed)
	box, err := ecdh.X25519().NewPrivateKey(seed)
	if err != nil {
		return nil, fmt.Errorf("derive user key: %w", err)
	}
	return &UserKeys{box: box}, nil
}

// BoxPublic is the public half epoch keys are sealed to.
func (u *UserKeys) BoxPublic() []byte { return u.box.PublicKey().Bytes() }

// boxLabel versions the sealed-box construction.
const boxLabel = "outpost/key-box/v1"

// SealKeyTo seals k to the user whose BoxPublic is pub, binding ad: an
// ephemeral X25519 key agreement, HKDF-SHA256 over the shared secret and
// both public keys, then XChaCha20-Poly1305. Output: ephemeral public key
// (32) || nonce (24) || ciphertext || tag.
func SealKeyTo(pub []byte, k *Key, ad []byte) ([]byte, error) {
	recipient, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("seal key to user: %w", err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("seal key to user: %w", err)
	}
	aead, err := boxCipher(eph, recipient, eph.PublicKey().Bytes(), pub)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, 32+chacha20poly1305.NonceSizeX+KeySize+chacha20poly1305.Overhead)
	out = append(out, eph.PublicKey().Bytes()...)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal key to user: %w", err)
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, k.b[:], ad), nil
}

// OpenKey opens a key sealed to u by SealKeyTo with the same ad.
func (u *UserKeys) OpenKey(sealed, ad []byte) (*Key, error) {
	n := chacha20poly1305.NonceSizeX
	if len(sealed) != 32+n+KeySize+chacha20poly1305.Overhead {
		return nil, ErrIntegrity
	}
	eph, err := ecdh.X25519().NewPublicKey(sealed[:32])
	if err != nil {
		return nil, ErrIntegrity
	}
	aead, err := boxCipher(u.box, eph, sealed[:32], u.BoxPublic())
	if err != nil {
		return nil, ErrIntegrity
	}
	b, err := aead.Open(nil, sealed[32:32+n], sealed[32+n:], ad)
	if err != nil {
		return nil, ErrIntegrity
	}
	defer clear(b)
	return KeyFromBytes(b)
}

// boxCipher is the AEAD both sides of a sealed box derive.
func boxCipher(priv *ecdh.PrivateKey, peer *ecdh.PublicKey, ephPub, recipientPub []byte) (cipher.AEAD, error) {
	shared, err := priv.ECDH(peer)
	if err != nil {
		return nil, fmt.Errorf("key agreement: %w", err)
	}
	defer clear(shared)
	salt := append(append([]byte(nil), ephPub...), recipientPub...)
	key, err := hkdf.Key(sha256.New, shared, salt, boxLabel, chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return chacha20poly1305.NewX(key)
}
