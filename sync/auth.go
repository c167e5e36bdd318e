package sync

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// MaxClockSkew is how far a request's timestamp may be from the server's
// clock. ReplayWindow is how long a nonce is remembered; it is twice the
// skew so a request is refused by one check or the other, never neither.
const (
	MaxClockSkew = 5 * time.Minute
	ReplayWindow = 10 * time.Minute
)

// Errors of VerifyRequest; each maps to an unauthorized Reason.
var (
	ErrBadSignature = errors.New("request signature is missing or wrong")
	ErrClockSkew    = errors.New("request timestamp is too far from the server's clock")
)

// RequestAuth is the signed-request headers of one request.
type RequestAuth struct {
	DeviceID  string // Outpost-Device
	Timestamp string // Outpost-Timestamp: unix milliseconds
	Nonce     string // Outpost-Nonce: 16 random bytes, hex
	Signature string // Outpost-Signature: base64 Ed25519 signature
}

// signedBytes is the exact byte string signed (docs/SYNC.md). The body is
// bound through its hash; every other part is free of newlines (checked).
func signedBytes(method, path, timestamp, nonce string, body []byte) []byte {
	sum := sha256.Sum256(body)
	return []byte("outpost-sync-v1\n" + method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" +
		hex.EncodeToString(sum[:]))
}

// SignRequest makes the authentication headers for one request with a fresh
// nonce.
func SignRequest(priv ed25519.PrivateKey, deviceID, method, path string, body []byte, now time.Time) (RequestAuth, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return RequestAuth{}, errors.New("sign request: device key is not an Ed25519 private key")
	}
	var n [16]byte
	if _, err := rand.Read(n[:]); err != nil {
		return RequestAuth{}, fmt.Errorf("sign request: nonce: %w", err)
	}
	a := RequestAuth{DeviceID: deviceID, Timestamp: strconv.FormatInt(now.UnixMilli(), 10), Nonce: hex.EncodeToString(n[:])}
	sig := ed25519.Sign(priv, signedBytes(method, path, a.Timestamp, a.Nonce, body))
	a.Signature = base64.StdEncoding.EncodeToString(sig)
	return a, nil
}

// Verify checks a's signature over the request with pub and its timestamp
// against now. It does not check the nonce for replay: the caller records
// nonces (the server keeps them in its store, so a restart forgets nothing).
func (a RequestAuth) Verify(pub ed25519.PublicKey, method, path string, body []byte, now time.Time) error {
	if len(pub) != ed25519.PublicKeySize {
		return ErrBadSignature
	}
	if n, err := hex.DecodeString(a.Nonce); err != nil || len(n) != 16 || a.Nonce != hex.EncodeToString(n) {
		return ErrBadSignature
	}
	ms, err := strconv.ParseInt(a.Timestamp, 10, 64)
	if err != nil || strconv.FormatInt(ms, 10) != a.Timestamp {
		return ErrBadSignature
	}
	sig, err := base64.StdEncoding.DecodeString(a.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return ErrBadSignature
	}
	if !ed25519.Verify(pub, signedBytes(method, path, a.Timestamp, a.Nonce, body), sig) {
		return ErrBadSignature
	}
	// Checked after the signature so an unsigned request learns nothing
	// about the server's clock.
	if skew := now.Sub(time.UnixMilli(ms)).Abs(); skew > MaxClockSkew {
		return fmt.Errorf("%w: off by %s (limit %s)", ErrClockSkew, skew.Round(time.Second), MaxClockSkew)
	}
	return nil
}
