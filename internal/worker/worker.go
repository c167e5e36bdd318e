// Package worker runs work on goroutines so that a panic there fails the
// work instead of ending the app. A panic on a goroutine nothing recovers
// ends the whole process, whatever the caller's own recover does (the app's
// bound methods recover only on the goroutine that called them): a record
// no check foresaw, opened on a worker, would close the clinician's window
// and lose what was on screen. Here the panic becomes a *PanicError carrying
// its value and stack, handed to the caller's existing error path (the bound
// method's human error, the import's failed patient, the sync tried again).
//
// Guard recovers on the goroutine it runs on; a Group starts workers, tells
// the others to stop (its context) once one fails and returns the first
// failure from Wait; Run is a Group of n numbered workers. The recover is
// once a worker, never once an item: it costs nothing measurable.
package worker

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// PanicError is a panic recovered on a worker: the value panicked with and
// the stack where it happened (for the log; a person is shown the caller's
// generic message).
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error: panic: %v\n%s", e.Value, e.Stack)
}

// Unwrap keeps a panic with an error value (a nil map write, an index out
// of range: runtime.Error) visible to errors.As.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Guard runs fn on this goroutine and returns its error, or its panic as a
// *PanicError. For a goroutine of one's own whose result is already an
// error, or logged.
func Guard(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// Group is workers started together and waited for together.
type Group struct {
	wg     sync.WaitGroup
	cancel context.CancelCauseFunc
	once   sync.Once
	err    error
}

// New makes a Group and the context its workers get: cancelled once one of
// them fails (returns an error or panics), or when Wait returns.
func New(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go starts work on a goroutine of its own. Its error, or its panic as a
// *PanicError, fails the Group: the first one is what Wait returns, and it
// cancels the Group's context.
func (g *Group) Go(work func() error) {
	g.wg.Go(func() {
		if err := Guard(work); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel(err)
			})
		}
	})
}

// Wait waits for every worker started and returns the first failure.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel(context.Canceled)
	return g.err
}

// Run runs work(ctx, w) for every w below n, each on a goroutine of its own
// (one alone on this goroutine: no goroutine to start), waits for them all
// and returns the first failure, a panic as a *PanicError; ctx is cancelled
// for the others once one fails, so a long worker may stop early.
func Run(ctx context.Context, n int, work func(ctx context.Context, w int) error) error {
	if n <= 1 {
		if n < 1 {
			return nil
		}
		return Guard(func() error { return work(ctx, 0) })
	}
	g, ctx := New(ctx)
	for w := range n {
		g.Go(func() error { return work(ctx, w) })
	}
	return g.Wait()
}
