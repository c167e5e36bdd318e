package server_test

import (
	"time"

	"outpost/internal/cputime"
)

func processCPU() time.Duration { return cputime.Process() }
