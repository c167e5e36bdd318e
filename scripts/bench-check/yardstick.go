package main

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/json"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"
)

// The yardstick is a fixed CPU workload of the kinds the benchmarks do
// (hashing, JSON, deflate, sorting, allocation), run once on every core at
// the same time. Its wall time says how much machine the benchmarks got:
// on a shared box every figure and the yardstick slow down together, and a
// figure divided by the yardstick measured around it stays comparable.

type yardRecord struct {
	ID, Name, Phone, Note string
	Seq                   int
	Tags                  []string
}

var yardInput = func() []yardRecord {
	r := rand.New(rand.NewPCG(7, 11))
	out := make([]yardRecord, 2000)
	for i := range out {
		out[i] = yardRecord{ID: randText(r, 36), Name: randText(r, 20), Phone: randText(r, 12),
			Note: randText(r, 300), Seq: i, Tags: []string{randText(r, 8), randText(r, 8)}}
	}
	return out
}()

func randText(r *rand.Rand, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz      eeeaaoo"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return string(b)
}

// yardstickOnce does the workload once; the result keeps it from being
// optimised away.
func yardstickOnce() int {
	raw, _ := json.Marshal(yardInput)
	var back []yardRecord
	_ = json.Unmarshal(raw, &back)
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.DefaultCompression)
	w.Write(raw)
	w.Close()
	n, _ := io.Copy(io.Discard, flate.NewReader(&z))
	sum := sha256.Sum256(raw)
	for range 20 {
		sum = sha256.Sum256(raw[:len(raw)/2])
	}
	ints := make([]int, 200_000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range ints {
		ints[i] = r.Int()
	}
	slices.Sort(ints)
	return len(back) + int(n) + int(sum[0]) + ints[0]&1
}

// yardstick returns the median wall time, in milliseconds, of rounds of
// the workload run on every core at once.
func yardstick(rounds int) float64 {
	procs := runtime.GOMAXPROCS(0)
	times := make([]float64, 0, rounds)
	for range rounds {
		start := time.Now()
		var wg sync.WaitGroup
		for range procs {
			wg.Go(func() { yardstickOnce() })
		}
		wg.Wait()
		times = append(times, float64(time.Since(start).Microseconds())/1000)
	}
	return median(times)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
