package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// rawRequest is a request a correct workstation never sends, posted as is.
type rawRequest struct {
	path    string
	body    io.Reader
	headers map[string]string
}

// post sends r to the server at baseURL pinned to fp and returns the
// status and error body.
func post(t *testing.T, baseURL string, fp []byte, r rawRequest) (int, wire.ErrorBody) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, baseURL+r.path, r.body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(wire.HeaderProtocol, "1")
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	resp, err := transport.NewHTTPClient(fp).Do(req)
	if err != nil {
		t.Fatalf("post %s: %v", r.path, err)
	}
	defer resp.Body.Close()
	var e wire.ErrorResponse
	if resp.StatusCode != http.StatusOK {
		json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e)
	}
	return resp.StatusCode, e.Error
}

// signed returns headers signing body for path as c, for aud, at.
func signed(t *testing.T, c *transport.Client, aud wire.Audience, path string, body []byte, at time.Time) map[string]string {
	t.Helper()
	a, err := wire.SignRequest(c.PrivateKey, string(c.DeviceID), aud, http.MethodPost, path, body, at)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{wire.HeaderDevice: a.DeviceID, wire.HeaderTimestamp: a.Timestamp,
		wire.HeaderNonce: a.Nonce, wire.HeaderSignature: a.Signature}
}

// signedRaw is body posted as a request c signed for its own server now.
func signedRaw(t *testing.T, c *transport.Client, path string, body []byte) rawRequest {
	t.Helper()
	return rawRequest{path: path, body: bytes.NewReader(body), headers: signed(t, c, audienceOf(c), path, body, time.Now())}
}

func gzipped(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := wire.Encode(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bomb is prefix then n bytes of fill, gzipped at best compression: a few
// hundred KB that inflate to n. Its trailer tells the truth.
func bomb(t *testing.T, prefix string, fill byte, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(prefix))
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		zw.Write(chunk[:k])
		n -= k
	}
	zw.Close()
	return b.Bytes()
}

// lying is a bomb whose trailer declares only 100 bytes (gzip checks the
// trailer only at the end, so the inflater must stop it on its own).
func lying(b []byte) []byte {
	out := bytes.Clone(b)
	binary.LittleEndian.PutUint32(out[len(out)-4:], 100)
	return out
}

// deviceRows is the number of device rows `outpost-server devices` lists.
func deviceRows(t *testing.T, dir string) int {
	t.Helper()
	out := runCmd(t, "devices", "-dir", dir)
	n := 0
	for _, line := range strings.Split(out, "\n")[2:] {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

// enrolWithKey enrols device dev with key priv using a fresh code.
func enrolWithKey(t *testing.T, dir, addr string, dev chart.DeviceID, priv ed25519.PrivateKey) (*transport.Client, error) {
	t.Helper()
	parsed, err := transport.ParseEnrollmentCode(enrolCode(t, dir, addr))
	if err != nil {
		t.Fatal(err)
	}
	c := transport.NewClient(parsed, dev, priv)
	c.IncludeOwn = true
	_, err = c.Enroll(context.Background(), parsed, "Exam room")
	return c, err
}

// enrolWithKeyCode enrols a new device with a new key using code.
func enrolWithKeyCode(t *testing.T, code wire.EnrollmentCode, addr string) (*transport.Client, error) {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(nil)
	c := transport.NewClient(code, chart.NewDeviceID(), priv)
	_, err := c.Enroll(context.Background(), code, "Exam room")
	return c, err
}
