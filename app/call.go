package app

import (
	"context"

	"outpost/chart"
)

// call is the body of a bound method that needs the signed-in session: it
// waits for startup, finds the session (ELOCKED when there is none),
// counts the call as activity, turns a panic into an internal error, and
// runs fn with the app's context. Every such method is one line through it.
func call[T any](a *App, fn func(ctx context.Context, s chart.Session) (T, error)) (res T, err error) {
	defer recoverTo(a.opts.Logger, &err)
	s, err := a.current()
	if err != nil {
		return res, err
	}
	return fn(a.ctx, s)
}

// callAs is call for a capability only some sessions have (S), such as
// reviewing sync conflicts; what names it in the error when it is missing.
func callAs[S, T any](a *App, what string, fn func(ctx context.Context, s S) (T, error)) (T, error) {
	return call(a, func(ctx context.Context, s chart.Session) (T, error) {
		svc, ok := s.(S)
		if !ok {
			var zero T
			return zero, chart.Errorf(chart.EINTERNAL, "This workstation cannot %s.", what)
		}
		return fn(ctx, svc)
	})
}

// done adapts a method that returns only an error to call's shape.
type done struct{}

func noResult(err error) (done, error) { return done{}, err }
