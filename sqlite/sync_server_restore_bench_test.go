package sqlite

import (
	"context"
	"testing"

	"outpost/sync/client"
)

// storeOnly hides the session's optional methods but the scope: a sync
// as it ran before the server's incarnation was checked.
type storeOnly struct{ client.ScopedStore }

// BenchmarkIdleSync is one sync with nothing to send or receive (the
// background sync every 30 s), with and without comparing each pull reply
// with what this workstation last saw of the server (NoteServer).
func BenchmarkIdleSync(b *testing.B) {
	for _, watch := range []bool{true, false} {
		name := "unwatched"
		if watch {
			name = "watched"
		}
		b.Run(name, func(b *testing.B) {
			server := newPracticeServer(b)
			f := newFixture(b)
			c := server.enroll(b, f.admin)
			var st client.Store = f.admin
			if !watch {
				st = storeOnly{f.admin}
			}
			ctx := context.Background()
			if _, err := client.SyncOnce(ctx, st, c); err != nil {
				b.Fatal(err)
			}
			cpu := processCPU()
			b.ResetTimer()
			for range b.N {
				if _, err := client.SyncOnce(ctx, st, c); err != nil {
					b.Fatal(err)
				}
			}
			// The process's CPU (the in-process server's too): wall time
			// swings with the shared machine's load.
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
