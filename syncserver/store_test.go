package syncserver_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"outpost/chart"
	hlc "outpost/sync"
	"outpost/syncserver"
)

// An enrolment code is refused from the instant it expires, even when the
// expiry and the attempt differ only in their fractional seconds.
func TestEnrollmentCodeExpiresToTheNanosecond(t *testing.T) {
	ctx := context.Background()
	store, err := syncserver.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	expires := time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)
	tok, err := store.NewEnrollmentToken(ctx, expires)
	if err != nil {
		t.Fatal(err)
	}
	code := hlc.EnrollmentCode{Token: tok}
	req := hlc.EnrollRequest{Code: code.TokenString(), DeviceID: chart.NewDeviceID(), DeviceName: "A", PublicKey: make([]byte, 32)}
	if err := store.Enroll(ctx, req, expires.Add(500*time.Millisecond)); err != syncserver.ErrBadCode {
		t.Fatalf("half a second after expiry: %v", err)
	}
	if err := store.Enroll(ctx, req, expires.Add(-time.Nanosecond)); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
}

func TestStoreSurvivesReopenWithItsIdentity(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	a, err := syncserver.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p1, s1, err := a.Identity(ctx)
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := syncserver.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p2, s2, _ := b.Identity(ctx)
	if p1 != p2 || s1 != s2 || !chart.ValidID(p1) || !chart.ValidID(s1) {
		t.Fatalf("identity changed across reopen: %s/%s then %s/%s", p1, s1, p2, s2)
	}
}
