package fhirimport

import (
	"runtime/metrics"
	"sync"
	"time"
)

// heapWatch samples the live heap while a run goes, for the report's peak
// (runtime/metrics does not stop the world, so sampling often is cheap).
type heapWatch struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func startHeapWatch() *heapWatch {
	w := &heapWatch{done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		sample := []metrics.Sample{{Name: heapMetric}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > w.peak {
				w.peak = v
			}
			select {
			case <-w.done:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// stop ends the sampling and returns the peak seen, in bytes.
func (w *heapWatch) stop() uint64 {
	close(w.done)
	w.wg.Wait()
	return w.peak
}
