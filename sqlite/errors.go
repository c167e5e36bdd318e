package sqlite

import (
	"errors"
	"fmt"
	"math"
	"time"

	"outpost/chart"
)

// wrapInternal returns domain errors unchanged (their message is for the
// user) and wraps anything else with the operation for the log.
func wrapInternal(op string, err error) error {
	var de *chart.Error
	if errors.As(err, &de) {
		return de
	}
	return fmt.Errorf("%s: %w", op, err)
}

// formatWait says how long someone must wait, rounded up, in words.
func formatWait(d time.Duration) string {
	secs := int(math.Ceil(d.Seconds()))
	switch {
	case secs <= 1:
		return "1 second"
	case secs < 90:
		return fmt.Sprintf("%d seconds", secs)
	default:
		return fmt.Sprintf("%d minutes", int(math.Ceil(float64(secs)/60)))
	}
}
