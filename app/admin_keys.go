package app

import (
	"context"

	"outpost/chart"
)

// The practice key: which epoch new records are sealed under, and an
// administrator's "Rotate now" (after a lost laptop, or on a schedule).

const keysWhat = "change the practice key"

// KeyStatus says which practice key new records are sealed under.
func (ad *Admin) KeyStatus() (chart.KeyStatus, error) {
	return callAs(ad.a, keysWhat, func(ctx context.Context, k chart.KeyService) (chart.KeyStatus, error) {
		return k.KeyStatus(ctx)
	})
}

// RotatePracticeKey starts a new practice key now, saying why.
func (ad *Admin) RotatePracticeKey(reason string) (chart.KeyStatus, error) {
	return callAs(ad.a, keysWhat, func(ctx context.Context, k chart.KeyService) (chart.KeyStatus, error) {
		return k.RotatePracticeKey(ctx, reason)
	})
}
