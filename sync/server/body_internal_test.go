package server

import (
	"bytes"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"outpost/sync/wire"
)

// A body of announced length is read into the one buffer reserved for it:
// bytes.Buffer.ReadFrom wants bytes.MinRead free before each read, so a
// buffer of exactly the length (plus one) was grown to twice its size for
// the last read and the whole body copied (8% of the server's CPU of an
// initial push, issue #12).
func TestBodyOfAnnouncedLengthIsReadOnce(t *testing.T) {
	const size = 4 << 20
	body := bytes.Repeat([]byte{7}, size)
	s := &Server{admit: newAdmission(64<<20, 2, time.Second)}
	r := httptest.NewRequest("POST", "/v1/push", bytes.NewReader(body))
	if r.ContentLength != size {
		t.Fatalf("request announces %d bytes, want %d", r.ContentLength, size)
	}
	q := &request{s: s, r: r, lim: wire.Limits{Compressed: 8 << 20, Uncompressed: 64 << 20}}
	defer q.release()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := q.readBody(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if !bytes.Equal(q.body, body) {
		t.Fatalf("read %d bytes, not the body sent", len(q.body))
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > size+size/8 {
		t.Errorf("reading a body of %d bytes allocated %d", size, got)
	}
}
