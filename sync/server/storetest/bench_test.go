package storetest

import (
	"context"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"outpost/chart"
	"outpost/internal/pgtest"
	"outpost/sync/server"
)

// BenchmarkPush pushes batches of 10 changes (1 KiB sealed each) from 8
// devices at once, straight into the store (no HTTP), on each engine: one
// practice (its pushes serialise on its seq counter) and 8 practices (one
// device each; on PostgreSQL they commit in parallel).
//
//	bash scripts/with-postgres.sh go test -run '^$' -bench Push -benchtime 400x ./sync/server/storetest/
func BenchmarkPush(b *testing.B) {
	engines := map[string]func(b *testing.B) *server.Store{
		"sqlite": func(b *testing.B) *server.Store {
			s, err := server.Open(context.Background(), filepath.Join(b.TempDir(), "server.db"))
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
		"postgres": func(b *testing.B) *server.Store {
			s, err := server.OpenPostgres(context.Background(), pgtest.DB(b))
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, practices := range []int{1, 8} {
			b.Run(engine+"/practices="+itoa(practices), func(b *testing.B) {
				store := engines[engine](b)
				defer store.Close()
				devices := make([]chart.DeviceID, 8)
				for i := range devices {
					if practices == 1 {
						devices[i] = enrollDirect(b, store)
					} else {
						devices[i] = enrollNew(b, store)
					}
				}
				var next atomic.Int64
				b.SetParallelism(8)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					dev := devices[int(next.Add(1)-1)%len(devices)]
					for pb.Next() {
						if _, err := store.Push(context.Background(), string(dev), Changes(dev, 10, "", 1024), time.Now(), 0); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N*10)/b.Elapsed().Seconds(), "changes/s")
			})
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
