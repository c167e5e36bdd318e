package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	gosync "sync"
	"testing"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// Gzip bombs to every endpoint, eight at once, are refused as too large
// (413) and store nothing, whether their trailer tells the truth about
// their size or lies; the server then serves a good request. Before the
// fix the enrolment endpoint inflated 256 MiB per request.
func TestBombsToEveryEndpointAreRefusedAndStoreNothing(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	ctx := context.Background()
	if _, err := c.Push(ctx, makeChanges(c.DeviceID, 3, 16)); err != nil {
		t.Fatal(err)
	}
	devicesBefore := deviceRows(t, dir)
	code, _ := transport.ParseEnrollmentCode(enrolCode(t, dir, s.addr))
	prefixes := map[string]string{
		"/v1/enroll": `{"code":"` + code.TokenString() + `","deviceId":"` + string(chart.NewDeviceID()) + `","deviceName":"`,
		"/v1/pull":   `{"after":0,"limit":10,"patients":["`,
		"/v1/push":   `{"changes":[{"sealed":"`,
	}
	for path, prefix := range prefixes {
		honest := bomb(t, prefix, 'A', 64<<20) // 64 MiB of one string
		for name, body := range map[string][]byte{"honest": honest, "lying": lying(honest)} {
			var wg gosync.WaitGroup
			results := make(chan string, 8)
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := rawRequest{path: path, body: bytes.NewReader(body)}
					if path != "/v1/enroll" {
						r = signedRaw(t, c, path, body)
					}
					status, e := post(t, c.BaseURL, c.PinnedFingerprint, r)
					results <- fmt.Sprintf("%d %s", status, e.Code)
				}()
			}
			wg.Wait()
			close(results)
			for got := range results {
				if got != "413 too_large" {
					t.Errorf("%s bomb (%d bytes) to %s: got %s, want 413 too_large", name, len(body), path, got)
				}
			}
		}
	}
	if n := storedCount(t, dir); n != 3 {
		t.Fatalf("%d changes stored after the bombs, want 3", n)
	}
	if n := deviceRows(t, dir); n != devicesBefore {
		t.Fatalf("%d devices after the bombs, want %d", n, devicesBefore)
	}
	if _, err := c.Push(ctx, makeChanges(c.DeviceID, 1, 16)); err != nil {
		t.Fatalf("a good push after the bombs: %v", err)
	}
}

// The enrolment endpoint, which anyone may reach, reads at most 4 KiB:
// a larger body is refused before it is decoded, announced or not, and so
// is a small one that declares a larger inflated size.
func TestOversizedEnrolmentIsRefusedBeforeDecoding(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	code, _ := transport.ParseEnrollmentCode(enrolCode(t, dir, s.addr))
	noise := make([]byte, 6<<10)
	rand.Read(noise)
	req := wire.EnrollRequest{Code: code.TokenString(), DeviceID: chart.NewDeviceID(), DeviceName: fmt.Sprintf("%x", noise), PublicKey: make([]byte, 32)}
	big := gzipped(t, &req)
	small := bomb(t, `{"code":"`+code.TokenString()+`","deviceName":"`, ' ', 64<<10)
	cases := map[string]rawRequest{
		"announced":       {path: "/v1/enroll", body: bytes.NewReader(big)},
		"chunked":         {path: "/v1/enroll", body: struct{ *bytes.Reader }{bytes.NewReader(big)}}, // no length: chunked
		"declares 64 KiB": {path: "/v1/enroll", body: bytes.NewReader(small)},
	}
	for name, r := range cases {
		status, e := post(t, c.BaseURL, c.PinnedFingerprint, r)
		if status != http.StatusRequestEntityTooLarge || e.Code != wire.CodeTooLarge || !strings.Contains(e.Message, "KiB") {
			t.Errorf("%s (%d bytes): got %d %+v, want 413 naming the limit", name, len(big), status, e)
		}
	}
	if n := deviceRows(t, dir); n != 1 {
		t.Fatalf("%d devices enrolled, want only the first", n)
	}
	// The code was not used up by the refusals.
	if _, err := enrolWithKeyCode(t, code, s.addr); err != nil {
		t.Fatalf("enrolment with the code after the refusals: %v", err)
	}
}

// A push that would take the workstation over its quota is refused with a
// message for the administrator and stores nothing; a smaller one passes.
func TestPushOverTheDeviceQuotaIsRefusedWholeAndASmallerOnePasses(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir, "-device-quota", "64KiB")
	c := enrolClient(t, enrolCode(t, dir, s.addr), nil)
	ctx := context.Background()
	_, err := c.Push(ctx, makeChanges(c.DeviceID, 100, 1024))
	var he *transport.Error
	if !errors.As(err, &he) || he.Reason != wire.ReasonQuota || he.Status != http.StatusInsufficientStorage || he.Temporary ||
		!strings.Contains(he.Message, "-device-quota") || !strings.Contains(he.Message, "64.0 KiB") {
		t.Fatalf("push over quota: got %#v", err)
	}
	if n := storedCount(t, dir); n != 0 {
		t.Fatalf("%d changes stored by a refused push", n)
	}
	if _, err := c.Push(ctx, makeChanges(c.DeviceID, 10, 1024)); err != nil {
		t.Fatalf("a push within quota: %v", err)
	}
	if n := storedCount(t, dir); n != 10 {
		t.Fatalf("%d changes stored, want 10", n)
	}
}

// A hundred signed requests at once, pushes and pulls from four
// workstations, all succeed: no "database is locked", no busy refusal.
func TestHundredConcurrentSignedRequestsAllSucceed(t *testing.T) {
	dir := initDir(t)
	s := startServer(t, dir)
	clients := []*transport.Client{enrolClient(t, enrolCode(t, dir, s.addr), nil)}
	for range 3 {
		_, priv, _ := ed25519.GenerateKey(nil)
		c, err := enrolWithKey(t, dir, s.addr, chart.NewDeviceID(), priv)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	ctx := context.Background()
	var wg gosync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := clients[i%len(clients)]
			var err error
			if i%2 == 0 {
				_, err = c.Push(ctx, makeChanges(c.DeviceID, 5, 256))
			} else {
				_, err = c.Pull(ctx, 0, 100, nil)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent request: %v", err)
	}
	if n := storedCount(t, dir); n != 250 {
		t.Fatalf("%d changes stored, want 250", n)
	}
}
