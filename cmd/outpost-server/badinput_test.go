package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"outpost/sync/transport"
	"outpost/sync/wire"
)

// The server process survives bad peers: bytes that are not TLS, a request
// abandoned half-way through its body, a malformed signed body. After each
// a good push succeeds and nothing of the bad ones is stored. (Every
// protocol refusal is checked one by one in sync/server's refusals test.)
func TestServerBinaryKeepsServingAfterBadInput(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	ctx := context.Background()
	bad := []struct {
		name string
		send func(t *testing.T)
	}{
		{"not TLS", func(t *testing.T) { rawTCP(t, s.addr, []byte("GET / HTTP/1.1\r\n\r\n\x00\xff\x16\x03")) }},
		{"abandoned body", func(t *testing.T) { abandonedRequest(t, s.addr) }},
		{"malformed signed body", func(t *testing.T) {
			status := signedPost(t, c, []byte("\x1f\x8b\x08\x00not really gzip"))
			if status != http.StatusBadRequest {
				t.Fatalf("malformed body: status %d, want 400", status)
			}
		}},
	}
	stored := 0
	for _, tc := range bad {
		tc.send(t)
		if _, err := c.Push(ctx, makeChanges(c.DeviceID, 3, 16)); err != nil {
			t.Fatalf("after %s: a good push failed: %v", tc.name, err)
		}
		stored += 3
		if got := pullAll(t, c, 1000); len(got) != stored {
			t.Fatalf("after %s: %d changes stored, want %d", tc.name, len(got), stored)
		}
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("the server did not stop cleanly after the bad input: %v\n%s", err, s.stderr.String())
	}
}

func rawTCP(t *testing.T, addr string, b []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write(b)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var sink [512]byte
	conn.Read(sink[:]) // the server answers or closes; either is fine
}

// abandonedRequest announces a 1 MiB push over TLS, sends 10 bytes of it
// and hangs up.
func abandonedRequest(t *testing.T, addr string) {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /v1/push HTTP/1.1\r\nHost: %s\r\nContent-Encoding: gzip\r\nOutpost-Protocol: 1\r\nContent-Length: %d\r\n\r\n0123456789", addr, 1<<20)
	conn.Close()
}

// signedPost sends body as a correctly signed push from c and returns the
// status.
func signedPost(t *testing.T, c *transport.Client, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.BaseURL+"/v1/push", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	a, err := wire.SignRequest(c.PrivateKey, string(c.DeviceID), audienceOf(c), http.MethodPost, "/v1/push", body, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"Content-Encoding": "gzip", wire.HeaderProtocol: "1", wire.HeaderDevice: a.DeviceID,
		wire.HeaderTimestamp: a.Timestamp, wire.HeaderNonce: a.Nonce, wire.HeaderSignature: a.Signature} {
		req.Header.Set(k, v)
	}
	resp, err := transport.NewHTTPClient(c.PinnedFingerprint).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// audienceOf is the server c signs for.
func audienceOf(c *transport.Client) wire.Audience {
	return wire.Audience{PracticeID: string(c.PracticeID), Fingerprint: c.PinnedFingerprint}
}
