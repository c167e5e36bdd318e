//go:build !unix

package main

import (
	"fmt"
	"log/slog"
)

// profileOnSignal needs SIGUSR1 (profile.go): elsewhere -cpuprofile is refused.
func profileOnSignal(dir string, _ *slog.Logger) (stop func(), err error) {
	if dir != "" {
		return nil, fmt.Errorf("%w: -cpuprofile needs a Unix system (SIGUSR1)", errUsage)
	}
	return func() {}, nil
}
