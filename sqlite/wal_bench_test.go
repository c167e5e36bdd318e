package sqlite

import (
	"context"
	"testing"
	"time"
)

// BenchmarkCheckpointAfterLargeWrite writes 50,000 patients in one
// transaction (the size of a first sign-in's merge after a join), then
// checkpoints: wal-MB is the log before, wal-after-MB after, and
// checkpoint-ms what the checkpoint took. Run with -benchtime 1x.
func BenchmarkCheckpointAfterLargeWrite(b *testing.B) {
	var before, after, took float64
	for b.Loop() {
		b.StopTimer()
		f := benchFixture(b)
		seedPatients(b, f.admin, benchPatients)
		before += float64(walSize(b, f.path))
		b.StartTimer()
		t0 := time.Now()
		if err := f.w.Checkpoint(context.Background()); err != nil {
			b.Fatal(err)
		}
		took += float64(time.Since(t0).Milliseconds())
		after += float64(walSize(b, f.path))
	}
	n := float64(b.N)
	b.ReportMetric(before/n/(1<<20), "wal-MB")
	b.ReportMetric(after/n/(1<<20), "wal-after-MB")
	b.ReportMetric(took/n, "checkpoint-ms")
}
