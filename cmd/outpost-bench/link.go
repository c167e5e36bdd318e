package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// linkRT wraps the sync client's real transport. It counts requests by
// path (under TLS the proxy cannot see them) and, for S5, plays the bad
// link: a delay before every request (the harness's store-and-forward proxy
// delays each request the same way) and one fault.
//
// The faults are played here, at the HTTP layer, because the bytes on the
// socket are TLS: the server gets the whole request and sends its whole
// reply, and the client behaves as if the connection had been cut.
type linkRT struct {
	inner   http.RoundTripper
	latency time.Duration
	fault   *fault

	mu     sync.Mutex
	byPath map[string]int
	cuts   []cutRecord
}

// fault cuts the nth request to path: "ack" drops the whole reply after the
// server has committed (a lost acknowledgement), "midbody" delivers half of
// the reply body and then fails the read.
type fault struct {
	Path string `json:"path"`
	Nth  int    `json:"nth"`
	Mode string `json:"mode"`
	done bool
}

type cutRecord struct {
	Path       string `json:"path"`
	Nth        int    `json:"nth"`
	Mode       string `json:"mode"`
	Status     int    `json:"upstreamStatus"`
	BodyBytes  int    `json:"bodyBytes,omitempty"`
	BytesGiven int    `json:"bytesGiven,omitempty"`
}

var errCut = errors.New("bench link: connection cut")

func (l *linkRT) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	if l.byPath == nil {
		l.byPath = map[string]int{}
	}
	l.byPath[r.URL.Path]++
	nth := l.byPath[r.URL.Path]
	f := l.fault
	cut := f != nil && !f.done && f.Path == r.URL.Path && f.Nth == nth
	if cut {
		f.done = true
	}
	l.mu.Unlock()
	if l.latency > 0 {
		select {
		case <-time.After(l.latency):
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	resp, err := l.inner.RoundTrip(r)
	if err != nil || !cut {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	l.dropConnections()
	if err != nil {
		return nil, err
	}
	rec := cutRecord{Path: r.URL.Path, Nth: nth, Mode: f.Mode, Status: resp.StatusCode, BodyBytes: len(body)}
	if f.Mode == "ack" {
		l.record(rec)
		return nil, errCut
	}
	rec.BytesGiven = len(body) / 2
	l.record(rec)
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body[:len(body)/2]), errReader{}))
	resp.ContentLength = -1
	return resp, nil
}

func (l *linkRT) record(c cutRecord) {
	l.mu.Lock()
	l.cuts = append(l.cuts, c)
	l.mu.Unlock()
}

// dropConnections closes the pooled connections, as a cut would.
func (l *linkRT) dropConnections() {
	if t, ok := l.inner.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

func (l *linkRT) requests() (int, map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, m := 0, map[string]int{}
	for k, v := range l.byPath {
		n += v
		m["POST "+k] = v
	}
	return n, m
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
