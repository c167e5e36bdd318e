//go:build race

package seal

// raceEnabled: the race detector drops pooled items on purpose, so
// allocation counts mean nothing under it.
const raceEnabled = true
