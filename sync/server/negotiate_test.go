package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"outpost/sync/server/storetest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// protocolLog records each exchange's request version and reply media type.
type protocolLog struct {
	real http.RoundTripper
	mu   sync.Mutex
	seen []string // "2->application/vnd.outpost.sync.v2", "2->426", ...
}

func (l *protocolLog) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.real.RoundTrip(r)
	if err == nil {
		got := resp.Header.Get("Content-Type")
		if resp.StatusCode != http.StatusOK {
			got = http.StatusText(resp.StatusCode)
		}
		l.mu.Lock()
		l.seen = append(l.seen, r.Header.Get(wire.HeaderProtocol)+"->"+got)
		l.mu.Unlock()
	}
	return resp, err
}

func (l *protocolLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.seen
	l.seen = nil
	return out
}

func logged(c *transport.Client) *protocolLog {
	l := &protocolLog{real: transport.NewHTTPClient(c.PinnedFingerprint).Transport}
	c.HTTP = &http.Client{Transport: l, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return l
}

const v2 = "2->" + wire.ContentTypeV2

// A v2 workstation and a v1 workstation sync through one v2 server, each
// in its own protocol, and read exactly what the other wrote.
func TestV1AndV2WorkstationsShareAServer(t *testing.T) {
	f := newFixture(t)
	a, b := f.enroll(t), f.enroll(t)
	b.Protocol = wire.ProtocolV1
	la, lb := logged(a), logged(b)
	ctx := context.Background()
	fromA := storetest.Changes(a.DeviceID, 20, "", 300)
	fromA[3].Auth = bytes.Repeat([]byte{7}, 32)
	fromB := storetest.Changes(b.DeviceID, 5, "", 40)
	if _, err := a.Push(ctx, fromA); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Push(ctx, fromB); err != nil {
		t.Fatal(err)
	}
	pageA, err := a.Pull(ctx, 0, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	pageB, err := b.Pull(ctx, 0, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]wire.Change{}, fromA...), fromB...)
	for name, page := range map[string]wire.PullResponse{"v2": pageA, "v1": pageB} {
		if !reflect.DeepEqual(normalized(page.Changes), normalized(want)) || page.Head != 25 || page.Next != 25 {
			t.Errorf("%s workstation pulled %d changes (head %d) unlike what was pushed", name, len(page.Changes), page.Head)
		}
	}
	if got := la.take(); !reflect.DeepEqual(got, []string{v2, v2}) {
		t.Errorf("v2 workstation's exchanges: %v", got)
	}
	if got := lb.take(); len(got) != 2 || !strings.HasPrefix(got[0], "1->"+wire.ContentType) || got[0] != got[1] {
		t.Errorf("v1 workstation's exchanges: %v", got)
	}
}

// normalized makes an empty parent list nil, as the two codecs differ in
// that only.
func normalized(cs []wire.Change) []wire.Change {
	out := append([]wire.Change{}, cs...)
	for i := range out {
		if len(out[i].Parents) == 0 {
			out[i].Parents = nil
		}
	}
	return out
}

// A v2 workstation whose server is not upgraded yet (426) retries as v1,
// and keeps to v1 for the rest of the session: one refused request only.
func TestV2WorkstationFallsBackToAV1Server(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t) // enrolled in v2
	f.server.MaxProtocol = wire.ProtocolV1
	l := logged(c)
	ctx := context.Background()
	if _, err := c.Push(ctx, storetest.Changes(c.DeviceID, 3, "", 50)); err != nil {
		t.Fatalf("push to a v1 server: %v", err)
	}
	if page, err := c.Pull(ctx, 0, 10, nil); err != nil || len(page.Changes) != 3 {
		t.Fatalf("pull from a v1 server: %d changes, %v", len(page.Changes), err)
	}
	got := l.take()
	want := []string{"2->Upgrade Required", "1->" + wire.ContentType, "1->" + wire.ContentType}
	if !reflect.DeepEqual(got, want) || c.SpeaksProtocol() != wire.ProtocolV1 || f.count(t) != 3 {
		t.Fatalf("exchanges %v (speaking v%d, %d stored), want %v", got, c.SpeaksProtocol(), f.count(t), want)
	}
	// A new session (a new client) tries v2 again, and gets it once the
	// server is upgraded.
	f.server.MaxProtocol = wire.ProtocolV2
	fresh := transport.Client{BaseURL: c.BaseURL, PinnedFingerprint: c.PinnedFingerprint, DeviceID: c.DeviceID,
		PrivateKey: c.PrivateKey, PracticeID: c.PracticeID, IncludeOwn: true}
	l = logged(&fresh)
	if page, err := fresh.Pull(ctx, 0, 10, nil); err != nil || len(page.Changes) != 3 {
		t.Fatalf("pull after the upgrade: %d changes, %v", len(page.Changes), err)
	}
	if got := l.take(); !reflect.DeepEqual(got, []string{v2}) {
		t.Fatalf("after the upgrade: %v", got)
	}
}

// v2 requests are refused as v1's are: wrong encodings, a frame over its
// declared size, a change that fails validation, a body altered after
// signing. Nothing is stored.
func TestV2RefusalsStoreNothing(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	frame := func(changes []wire.Change) []byte {
		var b bytes.Buffer
		if err := wire.EncodeFrame(&b, &wire.PushRequest{Changes: changes}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	good := frame(storetest.Changes(c.DeviceID, 2, "", 64))
	bad := storetest.Changes(c.DeviceID, 2, "", 64)
	bad[1].Kind = "Not A Kind"
	altered := bytes.Clone(good)
	altered[len(altered)-1] ^= 1 // the last sealed byte
	v2 := map[string]string{wire.HeaderProtocol: "2", "Content-Encoding": ""}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range v2 {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name   string
		req    rawRequest
		status int
		code   string
	}{
		{"gzip encoding", rawRequest{path: "/v1/push", body: good, signer: c, headers: with(map[string]string{"Content-Encoding": "gzip"})}, 400, wire.CodeInvalid},
		{"v1 body as v2", rawRequest{path: "/v1/push", body: gzipJSON(t, &wire.PushRequest{Changes: storetest.Changes(c.DeviceID, 1, "", 8)}), signer: c, headers: v2}, 400, wire.CodeInvalid},
		{"frame as v1", rawRequest{path: "/v1/push", body: good, signer: c}, 400, wire.CodeInvalid},
		{"invalid change", rawRequest{path: "/v1/push", body: frame(bad), signer: c, headers: v2}, 400, wire.CodeInvalid},
		{"over its declared size", rawRequest{path: "/v1/push", body: lyingFrame(t, good), signer: c, headers: v2}, 413, wire.CodeTooLarge},
		{"altered after signing", rawRequest{path: "/v1/push", body: altered, headers: with(signedFor(t, c, "/v1/push", good))}, 401, wire.CodeUnauthorized},
	}
	for _, tc := range cases {
		status, e := f.send(t, tc.req)
		if status != tc.status || e.Code != tc.code || e.Message == "" {
			t.Errorf("%s: got %d %+v, want %d %s", tc.name, status, e, tc.status, tc.code)
		}
		if n := f.count(t); n != 0 {
			t.Fatalf("%s: %d changes stored after a refusal", tc.name, n)
		}
	}
	if status, e := f.send(t, rawRequest{path: "/v1/push", body: good, signer: c, headers: v2}); status != 200 || f.count(t) != 2 {
		t.Fatalf("the good v2 push after the refusals: %d %+v", status, e)
	}
}

// lyingFrame declares one byte less of metadata than good inflates to.
func lyingFrame(t *testing.T, good []byte) []byte {
	t.Helper()
	if good[4] != 1 {
		t.Fatal("test frame's metadata is not deflated")
	}
	// Header: magic, flags, metaLen, metaSize (uvarints below 16384 here).
	i := 5
	for good[i]&0x80 != 0 {
		i++
	}
	i++
	size, n := binary.Uvarint(good[i:])
	out := binary.AppendUvarint(append([]byte{}, good[:i]...), size-1)
	return append(out, good[i+n:]...)
}

// lengthLog records each reply's announced length and the bytes it held.
type lengthLog struct {
	real http.RoundTripper
	mu   sync.Mutex
	seen [][2]int64 // {Content-Length, bytes read}
}

func (l *lengthLog) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.real.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.seen = append(l.seen, [2]int64{resp.ContentLength, int64(len(body))})
	l.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// A reply of megabytes (a join's page) announces its length, so that the
// workstation reads it into one buffer of that size instead of one grown
// and copied as it fills (transport.decodeReply); and the workstation
// reads such a reply whole.
func TestLargeRepliesAnnounceTheirLength(t *testing.T) {
	f := newFixture(t)
	a, b := f.enroll(t), f.enroll(t)
	l := &lengthLog{real: transport.NewHTTPClient(b.PinnedFingerprint).Transport}
	b.HTTP = &http.Client{Transport: l, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx := context.Background()
	pushed := storetest.Changes(a.DeviceID, 300, "", 4000)
	if _, err := a.Push(ctx, pushed); err != nil {
		t.Fatal(err)
	}
	for _, proto := range []int{wire.ProtocolV2, wire.ProtocolV1} {
		b.Protocol = proto
		page, err := b.Pull(ctx, 0, 1000, nil)
		if err != nil {
			t.Fatalf("protocol %d: %v", proto, err)
		}
		if len(page.Changes) != len(pushed) {
			t.Fatalf("protocol %d: pulled %d changes, want %d", proto, len(page.Changes), len(pushed))
		}
		l.mu.Lock()
		last := l.seen[len(l.seen)-1]
		l.mu.Unlock()
		if last[0] != last[1] {
			t.Errorf("protocol %d: a reply of %d bytes announced Content-Length %d", proto, last[1], last[0])
		}
	}
}
