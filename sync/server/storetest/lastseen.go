package storetest

import (
	"context"
	"testing"
	"time"
)

// Last-seen times are saved for many devices at once, a later time stored
// already is kept, and a device unknown here changes nothing.
func testLastSeen(t *testing.T, open Opener) {
	ctx := context.Background()
	store := open(t)
	a, b, c := string(enrollDirect(t, store)), string(enrollDirect(t, store)), string(enrollDirect(t, store))
	t0 := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	if err := store.SaveLastSeen(ctx, map[string]time.Time{a: t0.Add(2 * time.Hour), b: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	err := store.SaveLastSeen(ctx, map[string]time.Time{a: t0, c: t0.Add(3 * time.Hour), "no-such-device": t0})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{a: t0.Add(2 * time.Hour), b: t0.Add(time.Hour), c: t0.Add(3 * time.Hour)}
	for id, at := range want {
		d, err := store.Device(ctx, id)
		if err != nil || !d.LastSeenAt.Equal(at) {
			t.Errorf("device %s last seen %v (%v), want %v", id, d.LastSeenAt, err, at)
		}
	}
}
