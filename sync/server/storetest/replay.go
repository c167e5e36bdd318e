package storetest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	gosync "sync"
	"testing"

	"outpost/sync/transport"
	"outpost/sync/wire"
)

// Recorder keeps the last request a client sent, headers and body, as a
// listener on the wire would.
type Recorder struct {
	fingerprint []byte
	next        http.RoundTripper
	mu          gosync.Mutex
	last        *http.Request
	body        []byte
}

// Record makes c send through a new Recorder.
func Record(c *transport.Client) *Recorder {
	r := &Recorder{fingerprint: c.PinnedFingerprint, next: transport.NewHTTPClient(c.PinnedFingerprint).Transport}
	c.HTTP = &http.Client{Transport: r}
	return r
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body.Close()
	r.mu.Lock()
	r.last, r.body = req.Clone(req.Context()), body
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(body))
	return r.next.RoundTrip(req)
}

// Replay sends the last request again, byte for byte, to the server at
// addr (the same server or another process of it), and returns the reply's
// status and error body.
func (r *Recorder) Replay(t *testing.T, addr string) (int, wire.ErrorBody) {
	t.Helper()
	r.mu.Lock()
	last, body := r.last, r.body
	r.mu.Unlock()
	if last == nil {
		t.Fatal("replay: nothing was recorded")
	}
	req, err := http.NewRequest(last.Method, "https://"+addr+last.URL.Path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = last.Header.Clone()
	resp, err := transport.NewHTTPClient(r.fingerprint).Do(req)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	defer resp.Body.Close()
	var e wire.ErrorResponse
	if resp.StatusCode != http.StatusOK {
		json.NewDecoder(resp.Body).Decode(&e)
	}
	return resp.StatusCode, e.Error
}

func newKey() ed25519.PrivateKey {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return priv
}
