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
	"syscall"
	"time"
)

// The yardstick is a fixed CPU workload of the kinds the benchmarks do
// (hashing, JSON, deflate, sorting, allocation). Its CPU time says how fast
// this machine is; a figure, corrected for the share of a CPU its process
// got and divided by the yardstick, stays comparable across machines and
// across the load of a shared one.

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

// yardstickSlice does a tenth of the workload; the result keeps it from
// being optimised away.
func yardstickSlice(part int) int {
	recs := yardInput[part*len(yardInput)/10 : (part+1)*len(yardInput)/10]
	raw, _ := json.Marshal(recs)
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
	ints := make([]int, 20_000)
	r := rand.New(rand.NewPCG(uint64(part), 2))
	for i := range ints {
		ints[i] = r.Int()
	}
	slices.Sort(ints)
	return len(back) + int(n) + int(sum[0]) + ints[0]&1
}

// yardstick returns the CPU time, in ms, that the whole workload (its ten
// slices) takes on this machine: the median of readings of the thread's
// own CPU time, which waiting for a loaded CPU does not inflate.
func yardstick() float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var reads []float64
	for range yardRounds {
		start := threadCPU()
		for part := range 10 {
			yardstickSlice(part)
		}
		reads = append(reads, float64(threadCPU()-start)/float64(time.Millisecond))
	}
	return median(reads)
}

// yardRounds is how many readings make one yardstick.
const yardRounds = 3

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageThread is RUSAGE_THREAD (Linux).
const rusageThread = 1

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
