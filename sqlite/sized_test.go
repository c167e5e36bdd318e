package sqlite

import (
	"os"
	"testing"
)

// sizedTests are the store's tests whose point is a size (bytes read, a
// log's length, a chart written two ways over a random practice), not
// concurrency: under -race each takes one to two minutes of CI's critical
// path, ten times what it takes without. `make test` runs them without
// -race in their own stage (`make sized`); the race run skips them, or
// takes a smaller sample, unless OUTPOST_LONG=1.
const sizedTests = `^(TestOutboxBatchReadsOnlyWhatItSends|TestJoinLeavesASmallWAL|TestJoinBulkMergeWritesTheSameChart)$`

// sizedWithoutRace skips t in a -race build (see sizedTests).
func sizedWithoutRace(t *testing.T) {
	t.Helper()
	if raceSized() {
		t.Skip("a size test: `make sized` runs it without -race (OUTPOST_LONG=1 runs it here too)")
	}
}

// raceSized reports whether this run is a -race run that leaves the size
// tests to `make sized`.
func raceSized() bool { return raceDetector && os.Getenv("OUTPOST_LONG") == "" }
