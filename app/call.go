package app

import (
	"context"

	"outpost/chart"
)

// Every bound method's body is one call to one of these: they wait for
// startup (Wails binds before OnStartup has run), find the signed-in
// session when the method needs one (ELOCKED when there is none) and count
// the call as activity, check the ids the frontend sent, turn a panic into
// an internal error, and pass the app's context. A method that only hands
// its argument to a service names the service's method directly:
//
//	func (c *Chart) SaveProblem(p chart.Problem) (chart.Problem, error) {
//		return with(c.a, p, chart.ChartService.SaveProblem)
//	}

// ready runs fn once startup is done, for a method that needs nobody signed
// in (the first screen, sign-in, the sync status).
func ready[T any](a *App, fn func(ctx context.Context) (T, error)) (res T, err error) {
	defer recoverTo(a.opts.Logger, &err)
	if err := a.waitReady(); err != nil {
		return res, err
	}
	return fn(a.ctx)
}

// call runs fn with the signed-in session.
func call[T any](a *App, fn func(ctx context.Context, s chart.Session) (T, error)) (res T, err error) {
	return callWith(a, true, fn)
}

func callWith[T any](a *App, active bool, fn func(ctx context.Context, s chart.Session) (T, error)) (res T, err error) {
	defer recoverTo(a.opts.Logger, &err)
	s, err := a.signedIn(active)
	if err != nil {
		return res, err
	}
	return fn(a.ctx, s)
}

// callAs is call for a capability only some sessions have (S), such as
// reviewing sync conflicts; what names it in the error when it is missing.
func callAs[S, T any](a *App, what string, fn func(ctx context.Context, s S) (T, error)) (T, error) {
	return callAsWith(a, true, what, fn)
}

// watchAs is callAs for what the frontend reads on its own, nobody at the
// keyboard (the inbox count after each sync and on a poll): it is not
// activity, so a poll never holds off the idle lock.
func watchAs[S, T any](a *App, what string, fn func(ctx context.Context, s S) (T, error)) (T, error) {
	return callAsWith(a, false, what, fn)
}

func callAsWith[S, T any](a *App, active bool, what string, fn func(ctx context.Context, s S) (T, error)) (T, error) {
	return callWith(a, active, func(ctx context.Context, s chart.Session) (T, error) {
		svc, ok := s.(S)
		if !ok {
			var zero T
			return zero, chart.Errorf(chart.EINTERNAL, "This workstation cannot %s.", what)
		}
		return fn(ctx, svc)
	})
}

// get calls a service method of the session that takes no argument (a
// method expression such as chart.ChartService.Templates).
func get[S, T any](a *App, fn func(S, context.Context) (T, error)) (T, error) {
	return callAs(a, "do that", func(ctx context.Context, s S) (T, error) { return fn(s, ctx) })
}

// with hands arg to a service method of the session (a method expression
// such as chart.ChartService.SaveProblem).
func with[S, A, T any](a *App, arg A, fn func(S, context.Context, A) (T, error)) (T, error) {
	return callAs(a, "do that", func(ctx context.Context, s S) (T, error) { return fn(s, ctx, arg) })
}

// onPatient is with for a patient id sent by the frontend, checked first.
func onPatient[S, T any](a *App, id string, fn func(S, context.Context, chart.PatientID) (T, error)) (T, error) {
	return onID(a, id, patientID, fn)
}

// onRecord is with for a record id sent by the frontend, checked first.
func onRecord[S, T any](a *App, id string, fn func(S, context.Context, chart.RecordID) (T, error)) (T, error) {
	return onID(a, id, recordID, fn)
}

// onUser is with for a user id sent by the frontend, checked first.
func onUser[S, T any](a *App, id string, fn func(S, context.Context, chart.UserID) (T, error)) (T, error) {
	return onID(a, id, userID, fn)
}

// onID is with for an id the frontend sent as text: parse checks it (a
// clear error for a malformed one) before fn runs.
func onID[ID, S, T any](a *App, id string, parse func(string) (ID, error), fn func(S, context.Context, ID) (T, error)) (T, error) {
	return callAs(a, "do that", func(ctx context.Context, s S) (T, error) {
		typed, err := parse(id)
		if err != nil {
			var zero T
			return zero, err
		}
		return fn(s, ctx, typed)
	})
}

// list makes a nil list cross to the frontend as [] rather than null.
func list[T any](res []T, err error) ([]T, error) { return nonNil(res), err }

// errOnly keeps a result's error: for a bound method that returns nothing.
func errOnly[T any](_ T, err error) error { return err }

// done is the result of a service call that returns only an error.
type done struct{}

// noResult adapts a service call that returns only an error to the
// helpers' (result, error) shape.
func noResult(err error) (done, error) { return done{}, err }
