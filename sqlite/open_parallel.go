package sqlite

import (
	"context"
	"fmt"
	"runtime"

	"outpost/internal/worker"
)

// minParallelOpen is the fewest records worth spreading over the cores:
// opening one (decrypt, inflate, JSON) takes some microseconds, starting a
// goroutine about one.
const minParallelOpen = 64

// openEach calls open(i) for every i below n, spread over the cores in
// contiguous runs, and returns the results in order; the first error (in
// index order) wins. open must not touch the database: read the rows
// first, then open them here.
func openEach[T any](n int, open func(i int) (T, error)) ([]T, error) {
	out := make([]T, n)
	errs := make([]error, n)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/minParallelOpen))
	// A panic in open (a record no check foresaw) fails the whole opening
	// (worker.Run): on a worker goroutine nothing else would recover it.
	err := worker.Run(context.Background(), workers, func(ctx context.Context, w int) error {
		for i := w * n / workers; i < (w+1)*n/workers && ctx.Err() == nil; i++ {
			out[i], errs[i] = open(i)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open records: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
