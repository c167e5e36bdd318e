package wire

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"net"
	"time"

	"outpost/chart"
)

// SyncIdentity is how this workstation knows its practice server and how
// the server knows it: the server's address and pinned certificate
// fingerprint, this device's id, and the Ed25519 key made at enrolment.
// The workstation store keeps it; the sync loop reads it.
type SyncIdentity struct {
	ServerAddr  string // host:port
	Fingerprint []byte // SHA-256 of the server's certificate
	DeviceID    chart.DeviceID
	PrivateKey  ed25519.PrivateKey
	// PracticeID is the practice the server serves (the workstation's own;
	// a joining workstation learns it from the enrolment reply). Requests
	// are signed for it and for Fingerprint (see Audience).
	PracticeID chart.PracticeID
	EnrolledAt time.Time
	// DeviceName is the name this workstation enrolled with ("Front
	// desk"); the practice learns it from a sealed device record.
	DeviceName string
}

// Audience is the server this identity's requests are signed for.
func (id SyncIdentity) Audience() Audience {
	return Audience{PracticeID: string(id.PracticeID), Fingerprint: id.Fingerprint}
}

// Validate checks the identity is complete enough to sync with.
func (id SyncIdentity) Validate() error {
	if _, _, err := net.SplitHostPort(id.ServerAddr); err != nil {
		return fmt.Errorf("sync identity: server address %q: %w", id.ServerAddr, err)
	}
	if len(id.Fingerprint) != sha256.Size {
		return fmt.Errorf("sync identity: fingerprint is %d bytes, want %d", len(id.Fingerprint), sha256.Size)
	}
	if id.DeviceID == "" {
		return fmt.Errorf("sync identity: no device id")
	}
	if len(id.PrivateKey) != ed25519.PrivateKeySize {
		return fmt.Errorf("sync identity: device key is %d bytes, want %d", len(id.PrivateKey), ed25519.PrivateKeySize)
	}
	return nil
}
