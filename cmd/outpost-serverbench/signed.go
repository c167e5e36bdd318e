package main

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"sort"
	gosync "sync"
	"sync/atomic"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

type signedLoad struct {
	requests, concurrency, devices int
	pushShare                      float64
}

type signedResult struct {
	elapsed       time.Duration
	latencies     []time.Duration // sorted
	pushes, pulls int
	errors        map[string]int
}

// signed sends load.requests signed requests from load.devices
// workstations, load.concurrency at a time: pushes of one change (256
// bytes sealed) and pulls of up to 100 changes.
func signed(s *benchServer, load signedLoad) (signedResult, error) {
	res := signedResult{errors: map[string]int{}}
	clients := make([]*transport.Client, load.devices)
	for i := range clients {
		c, err := s.enrol()
		if err != nil {
			return res, err
		}
		clients[i] = c
	}
	var next atomic.Int64
	var mu gosync.Mutex
	lat := make([]time.Duration, 0, load.requests)
	var wg gosync.WaitGroup
	start := time.Now()
	for w := range load.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := clients[w%len(clients)]
			for next.Add(1) <= int64(load.requests) {
				push := rand.Float64() < load.pushShare
				t0 := time.Now()
				err := oneRequest(c, push)
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				if push {
					res.pushes++
				} else {
					res.pulls++
				}
				if err != nil {
					res.errors[err.Error()]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.latencies = lat
	return res, nil
}

func oneRequest(c *transport.Client, push bool) error {
	ctx := context.Background()
	if !push {
		_, err := c.Pull(ctx, 0, 100, nil)
		return err
	}
	sealed := make([]byte, 256)
	crand.Read(sealed)
	ch := wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewPatientID()), Kind: "vitals",
		PatientID: chart.NewPatientID(), Version: 1, DeviceID: c.DeviceID, UserID: chart.NewUserID(),
		HLC: clock.Timestamp{Wall: time.Now().UnixMilli()}.String(), Sealed: sealed}
	_, err := c.Push(ctx, []wire.Change{ch})
	return err
}

func (r signedResult) print(load signedLoad) {
	n := len(r.latencies)
	if n == 0 {
		return
	}
	q := func(p float64) time.Duration { return r.latencies[min(n-1, int(p*float64(n)))] }
	errs := 0
	for _, k := range r.errors {
		errs += k
	}
	fmt.Printf("signed: %d requests (%d pushes, %d pulls) from %d workstations, %d in flight: %.0f req/s over %s\n",
		n, r.pushes, r.pulls, load.devices, load.concurrency, float64(n)/r.elapsed.Seconds(), r.elapsed.Round(time.Millisecond))
	fmt.Printf("signed: latency p50 %s, p90 %s, p99 %s, max %s; errors %d\n",
		q(0.50).Round(time.Microsecond*100), q(0.90).Round(time.Microsecond*100), q(0.99).Round(time.Microsecond*100),
		r.latencies[n-1].Round(time.Microsecond*100), errs)
	for msg, k := range r.errors {
		fmt.Printf("signed: error x%d: %s\n", k, msg)
	}
}
