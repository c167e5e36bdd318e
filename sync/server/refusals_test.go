package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server/storetest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// Every refusal gets the right status and code, stores nothing, and leaves
// the server serving the next good request.
func TestRefusedRequestsStoreNothing(t *testing.T) {
	f := newFixture(t)
	// Smaller than the protocol's limits only to keep the test fast; the
	// limit logic is the codec's, tested at full size there.
	f.server.Limits.Push = wire.Limits{Compressed: 4 << 20, Uncompressed: 16 << 20}
	c := f.enroll(t)
	other := f.enroll(t)
	revoked := f.enroll(t)
	if err := f.store.Revoke(context.Background(), string(revoked.DeviceID), time.Now()); err != nil {
		t.Fatal(err)
	}
	good := gzipJSON(t, &wire.PushRequest{Changes: storetest.Changes(c.DeviceID, 2, "", 16)})
	unknown := newDeviceClient(t, f.code(t, time.Hour)) // never enrolled
	unknown.PracticeID = f.practice

	once := gzipJSON(t, &wire.PushRequest{Changes: storetest.Changes(c.DeviceID, 1, "", 16)})
	replayed := rawRequest{path: "/v1/push", body: once, headers: signedFor(t, c, "/v1/push", once)}
	if status, e := f.send(t, replayed); status != 200 {
		t.Fatalf("first send of the replayed request: %d %+v", status, e)
	}
	stored := f.count(t)

	// Cut in the middle, trailer kept: the deflate stream ends early.
	truncated := append(append([]byte{}, good[:len(good)/2]...), good[len(good)-8:]...)
	bomb := spaceBomb(t, int(f.server.Limits.Push.Uncompressed)+1)
	huge := make([]byte, f.server.Limits.Push.Compressed+1)
	rand.Read(huge[:1024])
	tooMany := gzipJSON(t, &wire.PushRequest{Changes: storetest.Changes(c.DeviceID, wire.MaxChangesPerPush+1, "", 1)})
	badChange := storetest.Changes(c.DeviceID, 2, "", 16)
	badChange[1].Version = 0
	notMine := storetest.Changes(other.DeviceID, 1, "", 16)

	cases := []struct {
		name   string
		req    rawRequest
		status int
		code   string
		reason string
	}{
		{"malformed json", rawRequest{path: "/v1/push", body: gzipBytes(t, []byte(`{"changes":[`)), signer: c}, 400, wire.CodeInvalid, ""},
		{"not gzip", rawRequest{path: "/v1/push", body: []byte(`{"changes":[]}`), signer: c}, 400, wire.CodeInvalid, ""},
		{"truncated gzip", rawRequest{path: "/v1/push", body: truncated, signer: c}, 400, wire.CodeInvalid, ""},
		{"one invalid change", rawRequest{path: "/v1/push", body: gzipJSON(t, &wire.PushRequest{Changes: badChange}), signer: c}, 400, wire.CodeInvalid, ""},
		{"too many changes", rawRequest{path: "/v1/push", body: tooMany, signer: c}, 400, wire.CodeInvalid, ""},
		{"another device's change", rawRequest{path: "/v1/push", body: gzipJSON(t, &wire.PushRequest{Changes: notMine}), signer: c}, 400, wire.CodeInvalid, ""},
		{"oversized compressed", rawRequest{path: "/v1/push", body: huge, signer: c}, 413, wire.CodeTooLarge, ""},
		{"gzip bomb", rawRequest{path: "/v1/push", body: bomb, signer: c}, 413, wire.CodeTooLarge, ""},
		{"wrong protocol", rawRequest{path: "/v1/push", body: good, signer: c, headers: map[string]string{wire.HeaderProtocol: "3"}}, 426, wire.CodeIncompatible, ""},
		{"no gzip header", rawRequest{path: "/v1/push", body: good, signer: c, headers: map[string]string{"Content-Encoding": "identity"}}, 400, wire.CodeInvalid, ""},
		{"unknown device", rawRequest{path: "/v1/push", body: good, signer: unknown}, 401, wire.CodeUnauthorized, wire.ReasonUnknownDevice},
		{"revoked device", rawRequest{path: "/v1/push", body: good, signer: revoked}, 401, wire.CodeUnauthorized, wire.ReasonRevoked},
		{"unsigned", rawRequest{path: "/v1/push", body: good, headers: map[string]string{wire.HeaderDevice: string(c.DeviceID)}}, 401, wire.CodeUnauthorized, wire.ReasonBadSignature},
		{"signed by another key", rawRequest{path: "/v1/push", body: good, signer: other, headers: map[string]string{wire.HeaderDevice: string(c.DeviceID)}}, 401, wire.CodeUnauthorized, wire.ReasonBadSignature},
		{"signed for another path", rawRequest{path: "/v1/push", body: good, signer: c, headers: signedFor(t, c, "/v1/pull", good)}, 401, wire.CodeUnauthorized, wire.ReasonBadSignature},
		{"signed for another server", rawRequest{path: "/v1/push", body: good, headers: signedTo(t, c, wire.Audience{PracticeID: string(f.practice), Fingerprint: make([]byte, 32)}, good)}, 401, wire.CodeUnauthorized, wire.ReasonBadSignature},
		{"signed for another practice", rawRequest{path: "/v1/push", body: good, headers: signedTo(t, c, wire.Audience{PracticeID: string(chart.NewPracticeID()), Fingerprint: f.fp[:]}, good)}, 401, wire.CodeUnauthorized, wire.ReasonBadSignature},
		{"clock skew", rawRequest{path: "/v1/push", body: good, signer: c, signAt: time.Now().Add(-6 * time.Minute)}, 401, wire.CodeUnauthorized, wire.ReasonClockSkew},
		{"replayed", replayed, 401, wire.CodeUnauthorized, wire.ReasonReplay},
		{"pull limit too big", rawRequest{path: "/v1/pull", body: gzipJSON(t, &wire.PullRequest{Limit: 5001}), signer: c}, 400, wire.CodeInvalid, ""},
		{"pull unknown field", rawRequest{path: "/v1/pull", body: gzipBytes(t, []byte(`{"after":0,"limit":5,"since":1}`)), signer: c}, 400, wire.CodeInvalid, ""},
	}
	for _, tc := range cases {
		status, e := f.send(t, tc.req)
		if status != tc.status || e.Code != tc.code || e.Reason != tc.reason || e.Message == "" {
			t.Errorf("%s: got %d %+v, want %d %s %s", tc.name, status, e, tc.status, tc.code, tc.reason)
		}
		if n := f.count(t); n != stored {
			t.Fatalf("%s: %d changes stored after a refusal, want %d", tc.name, n, stored)
		}
		if page, err := c.Pull(context.Background(), 0, 1, nil); err != nil || page.Head != stored {
			t.Fatalf("%s: the server stopped serving good requests: head %d, %v", tc.name, page.Head, err)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/v1/pull", nil)
	req.Header.Set(wire.HeaderProtocol, "1")
	if status, e := f.do(t, req); status != 405 || e.Code != wire.CodeInvalid {
		t.Errorf("GET: %d %+v", status, e)
	}
	if status, e := f.send(t, rawRequest{path: "/v1/push", body: good, signer: c}); status != 200 {
		t.Fatalf("good request after the refusals: %d %+v", status, e)
	}
	if n := f.count(t); n != stored+2 {
		t.Fatalf("%d changes after the good push, want %d", n, stored+2)
	}
}

func gzipBytes(t *testing.T, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	return b.Bytes()
}

// spaceBomb is a valid pull followed by n spaces: small compressed, over
// the uncompressed limit.
func spaceBomb(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(`{"changes":[]}`))
	chunk := []byte(strings.Repeat(" ", 1<<20))
	for n > 0 {
		k := min(n, len(chunk))
		zw.Write(chunk[:k])
		n -= k
	}
	zw.Close()
	return b.Bytes()
}

// signedFor returns headers signing body for a different path.
func signedFor(t *testing.T, c *transport.Client, path string, body []byte) map[string]string {
	t.Helper()
	return signedHeaders(t, c, audience(c), path, body)
}

// signedTo returns headers signing body for another server or practice.
func signedTo(t *testing.T, c *transport.Client, aud wire.Audience, body []byte) map[string]string {
	t.Helper()
	return signedHeaders(t, c, aud, "/v1/push", body)
}

func signedHeaders(t *testing.T, c *transport.Client, aud wire.Audience, path string, body []byte) map[string]string {
	t.Helper()
	a, err := wire.SignRequest(c.PrivateKey, string(c.DeviceID), aud, http.MethodPost, path, body, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{wire.HeaderDevice: a.DeviceID, wire.HeaderTimestamp: a.Timestamp, wire.HeaderNonce: a.Nonce, wire.HeaderSignature: a.Signature}
}
