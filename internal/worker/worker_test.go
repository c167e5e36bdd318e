package worker

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
)

func boom() { panic("boom") }

func TestRunTurnsAWorkersPanicIntoAnErrorAndStopsTheOthers(t *testing.T) {
	stopped := make(chan bool, 1)
	err := Run(context.Background(), 2, func(ctx context.Context, w int) error {
		if w == 0 {
			boom()
		}
		<-ctx.Done() // only the failure of worker 0 ends this one
		stopped <- true
		return ctx.Err()
	})
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("Run = %v, want the panic as a *PanicError", err)
	}
	if !strings.Contains(string(pe.Stack), "worker.boom") || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("the error does not carry the panic's value and stack:\n%v", err)
	}
	if !<-stopped {
		t.Fatal("the other worker was not told to stop")
	}
}

func TestRunAloneRecoversOnTheCallersGoroutine(t *testing.T) {
	err := Run(context.Background(), 1, func(context.Context, int) error {
		var m map[string]int
		m["x"]++ // a runtime error
		return nil
	})
	var re runtime.Error
	if !errors.As(err, &re) {
		t.Fatalf("Run = %v, want the runtime error behind the panic", err)
	}
}

func TestGroupReturnsTheFirstFailure(t *testing.T) {
	want := errors.New("first")
	g, ctx := New(context.Background())
	g.Go(func() error { return want })
	g.Go(func() error { <-ctx.Done(); return errors.New("second") })
	if err := g.Wait(); err != want {
		t.Fatalf("Wait = %v, want %v", err, want)
	}
	if err := Run(context.Background(), 3, func(context.Context, int) error { return nil }); err != nil {
		t.Fatalf("Run of workers that succeed = %v", err)
	}
}

func TestGuard(t *testing.T) {
	if err := Guard(func() error { panic(errors.New("inner")) }); err == nil || !strings.Contains(err.Error(), "inner") {
		t.Fatalf("Guard = %v", err)
	}
	want := errors.New("plain")
	if err := Guard(func() error { return want }); err != want {
		t.Fatalf("Guard = %v, want %v", err, want)
	}
}
