package fhirimport

import (
	"runtime"
	gosync "sync"
)

// inOrder runs work(i) for every i below n on up to GOMAXPROCS goroutines
// and apply(i, …) on the calling goroutine in index order, as each result
// is ready: reading and checking files (both passes of an import) uses
// every core, while whatever apply changes (the report, the indexes, the
// patients' groups) keeps one writer and the order of a serial run, so
// the report is the same. At most 2*workers results wait ahead of the one
// applied: memory stays bounded whatever the number of files. work must
// not touch what apply changes. apply returning false stops the run: no
// further work starts, and what is running is finished and dropped. A
// panic in work is raised again in apply's goroutine, where the caller
// can see it, as in a serial run.
func inOrder[T any](n int, work func(i int) T, apply func(i int, v T) bool) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			if !apply(i, work(i)) {
				return
			}
		}
		return
	}
	type result struct {
		v     T
		panic any
	}
	results := make([]chan result, n)
	for i := range results {
		results[i] = make(chan result, 1) // a worker never waits on apply
	}
	window := make(chan struct{}, 2*workers)
	jobs := make(chan int)
	stop := make(chan struct{})
	var wg gosync.WaitGroup
	wg.Go(func() { // hands out the indexes in order, window permitting
		defer close(jobs)
		for i := range n {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				results[i] <- func() (res result) {
					defer func() {
						if p := recover(); p != nil {
							res.panic = p
						}
					}()
					return result{v: work(i)}
				}()
			}
		})
	}
	defer wg.Wait()
	defer close(stop)
	for i := range n {
		res := <-results[i]
		if res.panic != nil {
			panic(res.panic)
		}
		<-window
		if !apply(i, res.v) {
			return
		}
	}
}
