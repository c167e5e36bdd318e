package client

import (
	"fmt"

	"outpost/internal/worker"
)

// inBackground runs fn on a goroutine of its own and hands its result on
// the returned channel (buffered: fn ends even if nobody receives). A
// panic in fn (a reply from the server no check foresaw) is handed on as
// failed's result: nothing else on that goroutine would recover it, and
// it would end the app — a failed sync is tried again, a crash loses the
// clinician's screen.
func inBackground[T any](fn func() T, failed func(error) T) <-chan T {
	ch := make(chan T, 1)
	go func() {
		var v T
		if err := worker.Guard(func() error { v = fn(); return nil }); err != nil {
			v = failed(fmt.Errorf("sync: %w", err))
		}
		ch <- v
	}()
	return ch
}
