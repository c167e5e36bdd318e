package care

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"outpost/chart"
)

// DueAll runs the engines on every chart a recall list can show, on every
// core: out[i] is charts[i]'s items (DueWith), nil for a patient left off
// the lists (deceased, inactive, merged away: not worth a forecast). The
// order is the charts', whatever the cores' pace.
func DueAll(charts []chart.CareChart, asOf time.Time, engines ...Engine) [][]chart.DueItem {
	return dueAll(charts, asOf, runtime.GOMAXPROCS(0), engines)
}

// dueBatch is how many charts a worker takes at a time: enough to make
// the hand-out cheap, few enough that the cores finish together.
const dueBatch = 64

func dueAll(charts []chart.CareChart, asOf time.Time, workers int, engines []Engine) [][]chart.DueItem {
	out := make([][]chart.DueItem, len(charts))
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value // the first panic of a worker, raised again here
	for range max(1, min(workers, len(charts)/dueBatch+1)) {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					failed.CompareAndSwap(nil, r)
					next.Store(int64(len(charts))) // the others stop
				}
			}()
			for {
				from := int(next.Add(dueBatch)) - dueBatch
				if from >= len(charts) {
					return
				}
				for i := from; i < min(from+dueBatch, len(charts)); i++ {
					if Listed(charts[i].Patient) {
						out[i] = DueWith(charts[i], asOf, engines...)
					}
				}
			}
		})
	}
	wg.Wait()
	if r := failed.Load(); r != nil {
		// As a serial evaluation would: the caller's recovery (the app's
		// call wrapper) turns it into an error; a worker's would kill the
		// process.
		panic(r)
	}
	return out
}
