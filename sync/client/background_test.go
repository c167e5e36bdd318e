package client

import (
	"strings"
	"testing"
)

// A panic on a background sync goroutine arrives as an error on its
// channel instead of ending the process (the test binary would die).
func TestInBackgroundPanicIsAnError(t *testing.T) {
	type result struct {
		n   int
		err error
	}
	got := <-inBackground(func() result { panic("a reply no check foresaw") }, func(err error) result { return result{err: err} })
	if got.err == nil || !strings.Contains(got.err.Error(), "a reply no check foresaw") {
		t.Fatalf("got %+v; want the panic as an error", got)
	}
	if got := <-inBackground(func() result { return result{n: 7} }, func(err error) result { return result{err: err} }); got.n != 7 || got.err != nil {
		t.Fatalf("got %+v; want fn's result", got)
	}
}
