//go:build race

package sqlite

// raceDetector is true in a -race build. See sizedWithoutRace.
const raceDetector = true
