package sqlite

import (
	"runtime"
	gosync "sync"
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
	run := func(from, to int) {
		for i := from; i < to; i++ {
			out[i], errs[i] = open(i)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), n/minParallelOpen)
	if workers <= 1 {
		run(0, n)
	} else {
		var wg gosync.WaitGroup
		for w := range workers {
			wg.Go(func() { run(w*n/workers, (w+1)*n/workers) })
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
