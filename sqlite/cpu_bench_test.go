package sqlite

import (
	"time"

	"outpost/internal/cputime"
)

// processCPU is the CPU time this process has used, all threads together.
func processCPU() time.Duration { return cputime.Process() }
