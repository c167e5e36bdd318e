package wire

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

// Audience is the server a request is meant for: the practice it serves
// and the SHA-256 of its certificate, the one the workstation pinned. Both
// are signed, so a request captured on its way to one server is refused by
// any other (another practice's, or a second server of the same practice).
type Audience struct {
	PracticeID  string
	Fingerprint []byte
}

// signingLabel names the signed-bytes format. v2 added the device id and
// the audience; v1 signatures are no longer accepted (workstations and the
// server ship together).
const signingLabel = "outpost-sync-v2"

// signedBytes is the exact byte string signed (docs/SYNC.md). The body is
// bound through its hash and the fingerprint is hex; every other part is
// free of newlines (ids and the practice are checked UUIDs, the timestamp
// digits, the nonce hex), so no two requests share a string.
func signedBytes(a RequestAuth, aud Audience, method, path string, body []byte) []byte {
	sum := sha256.Sum256(body)
	return []byte(signingLabel + "\n" + a.DeviceID + "\n" + aud.PracticeID + "\n" + hex.EncodeToString(aud.Fingerprint) + "\n" +
		method + "\n" + path + "\n" + a.Timestamp + "\n" + a.Nonce + "\n" + hex.EncodeToString(sum[:]))
}

// SignRequest makes the authentication headers for one request of deviceID
// to aud, with a fresh nonce.
func SignRequest(priv ed25519.PrivateKey, deviceID string, aud Audience, method, path string, body []byte, now time.Time) (RequestAuth, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return RequestAuth{}, errors.New("sign request: device key is not an Ed25519 private key")
	}
	if !validID(deviceID) || !validID(aud.PracticeID) || len(aud.Fingerprint) != sha256.Size {
		return RequestAuth{}, errors.New("sign request: the device, practice or server fingerprint is missing or malformed")
	}
	var n [16]byte
	if _, err := rand.Read(n[:]); err != nil {
		return RequestAuth{}, fmt.Errorf("sign request: nonce: %w", err)
	}
	a := RequestAuth{DeviceID: deviceID, Timestamp: strconv.FormatInt(now.UnixMilli(), 10), Nonce: hex.EncodeToString(n[:])}
	sig := ed25519.Sign(priv, signedBytes(a, aud, method, path, body))
	a.Signature = base64.StdEncoding.EncodeToString(sig)
	return a, nil
}

// Verify checks a's signature over the request to aud with pub and its
// timestamp against now. It does not check the nonce for replay: the caller
// remembers nonces (the server's RequestLedger).
func (a RequestAuth) Verify(pub ed25519.PublicKey, aud Audience, method, path string, body []byte, now time.Time) error {
	if len(pub) != ed25519.PublicKeySize || len(aud.Fingerprint) != sha256.Size || aud.PracticeID == "" {
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
	if !ed25519.Verify(pub, signedBytes(a, aud, method, path, body), sig) {
		return ErrBadSignature
	}
	// Checked after the signature so an unsigned request learns nothing
	// about the server's clock.
	if skew := now.Sub(time.UnixMilli(ms)).Abs(); skew > MaxClockSkew {
		return fmt.Errorf("%w: off by %s (limit %s)", ErrClockSkew, skew.Round(time.Second), MaxClockSkew)
	}
	return nil
}

// SignedAt is the request's timestamp (zero if malformed; Verify refuses
// those).
func (a RequestAuth) SignedAt() time.Time {
	ms, err := strconv.ParseInt(a.Timestamp, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
