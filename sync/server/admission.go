package server

import (
	"container/list"
	"context"
	"errors"
	gosync "sync"
	"time"
)

// errBusy: a request waited its turn for memory or a decoding slot too
// long. The handlers answer 503 with Retry-After.
var errBusy = errors.New("server busy")

// admission bounds what request bodies may make the server hold: the bytes
// of compressed bodies being read and kept, the bytes they are allowed to
// inflate to (times what decoding them costs), and how many are being
// inflated at once. A request reserves before it reads or inflates, waits
// at most wait, and is refused as busy past it; so a flood of bombs costs
// the memory of the budgets, whatever their number. Bodies and inflation
// have separate budgets, so a request holding body bytes while it waits to
// inflate never blocks another from releasing inflation bytes.
type admission struct {
	bodies, inflated *byteBudget
	decoding         chan struct{}
	wait             time.Duration
	metrics          *metrics // nil: not counted
}

func newAdmission(memory int64, decoders int, wait time.Duration) *admission {
	return &admission{bodies: newByteBudget(memory / 3), inflated: newByteBudget(memory - memory/3),
		decoding: make(chan struct{}, decoders), wait: wait}
}

// decodeCost is what inflating and decoding n bytes of JSON holds at its
// peak: the message, read into one buffer of its declared size (see
// hlc.DecodeBody), and the decoded value (base64 content at 3/4 of its
// text, other fields less).
func decodeCost(n int64) int64 { return 2*n + 64<<10 }

// reserve takes n bytes of b, waiting at most a.wait, and returns their
// release.
func (a *admission) reserve(ctx context.Context, b *byteBudget, n int64) (func(), error) {
	ctx, cancel := context.WithTimeout(ctx, a.wait)
	defer cancel()
	start := time.Now()
	got, err := b.acquire(ctx, n)
	a.metrics.admitted(b.name(a), time.Since(start), err)
	if err != nil {
		return nil, errBusy
	}
	return func() { b.release(got) }, nil
}

// decodeSlot takes one of the concurrent decompressions.
func (a *admission) decodeSlot(ctx context.Context) (func(), error) {
	t := time.NewTimer(a.wait)
	defer t.Stop()
	start := time.Now()
	select {
	case a.decoding <- struct{}{}:
		a.metrics.admitted("decoding", time.Since(start), nil)
		return func() { <-a.decoding }, nil
	case <-t.C:
	case <-ctx.Done():
	}
	a.metrics.admitted("decoding", time.Since(start), errBusy)
	return nil, errBusy
}

// name is b's budget label in the metrics.
func (b *byteBudget) name(a *admission) string {
	if b == a.bodies {
		return "bodies"
	}
	return "inflated"
}

// byteBudget is a weighted semaphore served first come, first served (a
// large request is not starved by small ones). A request for more than the
// whole budget takes the whole budget.
type byteBudget struct {
	mu      gosync.Mutex
	size    int64
	used    int64
	waiters list.List // of *budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

func newByteBudget(size int64) *byteBudget { return &byteBudget{size: max(size, 1)} }

// acquire takes n (at most the budget's size) and returns how much it took.
func (b *byteBudget) acquire(ctx context.Context, n int64) (int64, error) {
	n = min(max(n, 0), b.size)
	b.mu.Lock()
	if b.waiters.Len() == 0 && b.used+n <= b.size {
		b.used += n
		b.mu.Unlock()
		return n, nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	e := b.waiters.PushBack(w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready: // granted just now: give it back
			b.used -= n
		default:
			b.waiters.Remove(e)
		}
		b.grantLocked() // the queue's head may have changed
		b.mu.Unlock()
		return 0, ctx.Err()
	}
}

func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.grantLocked()
	b.mu.Unlock()
}

// grantLocked wakes the waiters at the head of the queue that now fit.
func (b *byteBudget) grantLocked() {
	for e := b.waiters.Front(); e != nil; e = b.waiters.Front() {
		w := e.Value.(*budgetWaiter)
		if b.used+w.n > b.size {
			return
		}
		b.used += w.n
		b.waiters.Remove(e)
		close(w.ready)
	}
}
