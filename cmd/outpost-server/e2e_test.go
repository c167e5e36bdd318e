package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/seal"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

func TestServerBinaryEndToEnd(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir, "-flush-interval", "100ms")
	code := enrolCode(t, dir, s.addr)
	parsed, err := transport.ParseEnrollmentCode(code)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: transport.NewHTTPClient(parsed.Fingerprint[:]).Transport}
	c := enrolClient(t, code, rec)
	ctx := context.Background()

	batch := makeChanges(c.DeviceID, 1000, 32)
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte(`{"name":"Zebedee Quixotefield","note":"reviewed at home visit"}`)
	for i := range 10 {
		batch[i].Sealed = key.Seal(secret, seal.AD("note", batch[i].RecordID))
	}
	acks, err := c.Push(ctx, batch) // 1,000 changes in one request
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range acks {
		if a.Seq != int64(i+1) || a.ChangeID != batch[i].ChangeID {
			t.Fatalf("ack %d = %+v", i, a)
		}
	}
	again, err := c.Push(ctx, batch)
	if err != nil || len(again) != len(acks) || again[999] != acks[999] || again[0] != acks[0] {
		t.Fatalf("re-push: %v (acks %d)", err, len(again))
	}
	got := pullAll(t, c, 250)
	if len(got) != 1000 {
		t.Fatalf("pulled %d changes, want 1000 (no duplicates)", len(got))
	}
	for i := range got {
		if got[i].ChangeID != batch[i].ChangeID || !bytes.Equal(got[i].Sealed, batch[i].Sealed) {
			t.Fatalf("pulled change %d differs", i)
		}
	}

	time.Sleep(300 * time.Millisecond) // last-sync times are saved in batches
	listing := runCmd(t, "devices", "-dir", dir)
	if !strings.Contains(listing, string(c.DeviceID)) || !strings.Contains(listing, "Reception") ||
		strings.Contains(listing, "never") || !strings.Contains(listing, "active") {
		t.Fatalf("devices listing:\n%s", listing)
	}
	reuse := enrolClientErr(t, code)
	var he *transport.Error
	if !errors.As(reuse, &he) || he.Reason != wire.ReasonBadCode {
		t.Fatalf("reused enrolment code: %v", reuse)
	}

	runCmd(t, "devices", "revoke", "-dir", dir, string(c.DeviceID))
	_, err = c.Push(ctx, makeChanges(c.DeviceID, 1, 8))
	if !errors.As(err, &he) || !strings.Contains(he.Message, "it has been revoked. Ask your administrator to enrol it again.") {
		t.Fatalf("push after revoke: %v", err)
	}
	if listing := runCmd(t, "devices", "-dir", dir); !strings.Contains(listing, "revoked") {
		t.Fatalf("listing after revoke:\n%s", listing)
	}

	if err := s.stop(t); err != nil {
		t.Fatalf("SIGTERM should stop the server cleanly: %v\n%s", err, s.stderr.String())
	}
	assertNoPlaintext(t, dir, rec, batch[0].Sealed)
}

// assertNoPlaintext: the name in the sealed notes appears nowhere on the
// wire or in the server's files. sample (a sealed blob) must appear on the
// wire, proving the capture saw the bodies.
func assertNoPlaintext(t *testing.T, dir string, rec *recorder, sample []byte) {
	t.Helper()
	const name = "Zebedee Quixotefield"
	wire := append(gunzipAll(t, rec.sent.Bytes()), framesAsJSON(t, rec.v2)...)
	if !bytes.Contains(wire, []byte(base64.StdEncoding.EncodeToString(sample))) {
		t.Fatal("the captured requests do not hold the pushed changes; the check below would be vacuous")
	}
	if bytes.Contains(wire, []byte(name)) || bytes.Contains(rec.sent.Bytes(), []byte(name)) {
		t.Fatal("plaintext name sent to the server")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) < 3 {
		t.Fatalf("expected the store and certificate files, got %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(name)) {
			t.Fatalf("plaintext name found in %s", f)
		}
	}
}

// framesAsJSON decodes protocol 2 request bodies and writes them as v1's
// JSON (sealed bytes in base64), so one check reads both protocols.
func framesAsJSON(t *testing.T, frames []recordedFrame) []byte {
	t.Helper()
	var out []byte
	for _, f := range frames {
		msg := map[string]wire.Validator{"/v1/push": &wire.PushRequest{}, "/v1/pull": &wire.PullRequest{},
			"/v1/enroll": &wire.EnrollRequest{}, wire.PathAuditAnchor: &wire.AuditAnchorRequest{}}[f.path]
		if msg == nil {
			t.Fatalf("recorded a v2 request to %s", f.path)
		}
		if err := wire.DecodeFrame(f.body, msg, wire.Limits{Compressed: 64 << 20, Uncompressed: 64 << 20}); err != nil {
			t.Fatalf("recorded v2 request to %s: %v", f.path, err)
		}
		j, _ := json.Marshal(msg)
		out = append(out, j...)
	}
	return out
}

// gunzipAll decompresses the concatenated request bodies (none: none).
func gunzipAll(t *testing.T, b []byte) []byte {
	t.Helper()
	if len(b) == 0 {
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func enrolClientErr(t *testing.T, code string) error {
	t.Helper()
	parsed, _ := transport.ParseEnrollmentCode(code)
	c := transport.NewClient(parsed, "0190f1a0-0000-7000-8000-0000000000aa", make([]byte, 64))
	_, err := c.Enroll(context.Background(), parsed, "Second")
	return err
}

// A push cut short by kill -9 is either wholly stored or not at all; after a
// restart the re-push completes it with no loss, no duplicate and no gap.
func TestKillDuringPushLosesAndDuplicatesNothing(t *testing.T) {
	killMidPush(t, initDir(t), "", 0, 40*time.Millisecond, 120*time.Millisecond, 300*time.Millisecond)
}

// killMidPush is the kill test on the store at url ("": SQLite in dir),
// killing the server each delay after a push was sent.
func killMidPush(t *testing.T, dir, url string, delays ...time.Duration) {
	var store []string
	if url != "" {
		store = []string{"-store", url}
	}
	s := startServer(t, dir, store...)
	c := enrolClient(t, enrolCode(t, dir, s.addr, store...), nil)
	ctx := context.Background()
	first := makeChanges(c.DeviceID, 100, 16)
	if _, err := c.Push(ctx, first); err != nil {
		t.Fatal(err)
	}
	want := len(first)
	for _, delay := range delays {
		big := makeChanges(c.DeviceID, 2000, 2048)
		sent := make(chan struct{}, 1)
		c.HTTP = &http.Client{Transport: &onSend{next: transport.NewHTTPClient(c.PinnedFingerprint).Transport, sent: sent}}
		result := make(chan error, 1)
		go func() { _, err := c.Push(ctx, big); result <- err }()
		<-sent
		time.Sleep(delay)
		s.kill(t)
		err := <-result
		stored := storedCountIn(t, dir, url)
		t.Logf("killed %s after sending: push error %v; %d changes stored", delay, err, stored)
		if stored != int64(want) && stored != int64(want+len(big)) {
			t.Fatalf("%d changes stored after the kill: a push was partly committed (want %d or %d)", stored, want, want+len(big))
		}
		if err == nil && stored != int64(want+len(big)) {
			t.Fatal("a push was acknowledged but is not stored")
		}

		s = startServer(t, dir, store...)
		afterCrash()
		c.BaseURL, c.HTTP = "https://"+s.addr, nil
		acks, err := c.Push(ctx, big)
		if err != nil {
			t.Fatalf("re-push after restart: %v", err)
		}
		for i, a := range acks {
			if a.Seq != int64(want+i+1) {
				t.Fatalf("ack %d has seq %d, want %d (seqs must be dense)", i, a.Seq, want+i+1)
			}
		}
		want += len(big)
	}
	all := pullAll(t, c, 5000)
	seen := map[string]bool{}
	for _, ch := range all {
		if seen[string(ch.ChangeID)] {
			t.Fatalf("change %s pulled twice", ch.ChangeID)
		}
		seen[string(ch.ChangeID)] = true
	}
	if len(all) != want {
		t.Fatalf("pulled %d changes, want %d", len(all), want)
	}
	for _, ch := range first {
		if !seen[string(ch.ChangeID)] {
			t.Fatalf("change %s committed before the kills was lost", ch.ChangeID)
		}
	}
}

// onSend signals when a request starts, so a kill can land mid-request.
type onSend struct {
	next http.RoundTripper
	sent chan struct{}
}

func (o *onSend) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case o.sent <- struct{}{}:
	default:
	}
	return o.next.RoundTrip(r)
}

// storedCount opens the (stopped) server's store directly.
func storedCount(t *testing.T, dir string) int64 {
	t.Helper()
	return storedCountIn(t, dir, "")
}

// storedCountIn is storedCount of the store at url ("": SQLite in dir).
func storedCountIn(t *testing.T, dir, url string) int64 {
	t.Helper()
	store, err := openStore(dir, url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := store.ChangeCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
