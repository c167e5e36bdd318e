package app

import (
	"sync"
	"testing"
	"time"
)

// holdFirst records events; the first Emit waits (before it is recorded)
// until release is closed: the window busy when a second state arrives.
type holdFirst struct {
	mu      sync.Mutex
	held    bool
	release chan struct{}
	got     []SyncStatus
}

func (h *holdFirst) Emit(name string, data ...any) {
	h.mu.Lock()
	first := !h.held
	h.held = true
	h.mu.Unlock()
	if first {
		<-h.release
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, data[0].(SyncStatus))
}

// The sync status is emitted from several goroutines (the runner, a join,
// the merge behind, held records). A state read first and sent late must
// not be the last the window receives: it would keep showing it.
func TestSyncStatusReachesTheWindowInOrder(t *testing.T) {
	sink := &holdFirst{release: make(chan struct{})}
	a := New(nil, Options{Events: sink})
	setWarn := func(d int) {
		a.syncUI.mu.Lock()
		a.syncUI.warnDays = d
		a.syncUI.mu.Unlock()
	}
	setWarn(5)
	var wg sync.WaitGroup
	wg.Go(a.emitSyncStatus) // reads 5, then the window is busy
	for !sinkHeld(sink) {
		time.Sleep(time.Millisecond)
	}
	setWarn(9)
	second := make(chan struct{})
	wg.Go(func() { a.emitSyncStatus(); close(second) })
	select { // in order, the second waits for the first: give it time to overtake
	case <-second:
	case <-time.After(200 * time.Millisecond):
	}
	close(sink.release)
	wg.Wait()
	if n := len(sink.got); n != 2 || sink.got[n-1].WarnDays != 9 {
		t.Fatalf("the window received %+v; want the state with 9 days last", sink.got)
	}
}

func sinkHeld(h *holdFirst) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held
}
