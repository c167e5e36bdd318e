package chart

import (
	"context"
	"time"
)

// KeyStatus says which practice key epoch a session seals new records
// under (docs/SECURITY.md): Epochs is how many keys it can read with, and
// Concurrent how many of those came from a rotation made at the same time
// as the current one (the next rotation folds them in).
type KeyStatus struct {
	Current    string     `json:"current"`
	Since      *time.Time `json:"since,omitempty"`
	Epochs     int        `json:"epochs"`
	Concurrent int        `json:"concurrent"`
}

// KeyService lets an administrator change the practice key ("rotate now",
// after a lost laptop). Deactivating a user changes it by itself.
type KeyService interface {
	KeyStatus(ctx context.Context) (KeyStatus, error)
	RotatePracticeKey(ctx context.Context, reason string) (KeyStatus, error)
}
