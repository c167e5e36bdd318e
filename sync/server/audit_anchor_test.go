package server_test

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/server/storetest"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// TestAuditAnchorIsTheDevicesNewestAuditChange: the server relays back the
// audit change the asking device pushed last, never another device's nor
// another kind, and nothing while it holds none.
func TestAuditAnchorIsTheDevicesNewestAuditChange(t *testing.T) {
	f := newFixture(t)
	a, b := f.enroll(t), f.enroll(t)
	ctx := context.Background()
	if got, err := a.AuditAnchor(ctx); err != nil || got != nil {
		t.Fatalf("before any push: %+v, %v; want none", got, err)
	}
	audits := func(dev chart.DeviceID, n int) []wire.Change {
		cs := storetest.Changes(dev, n, "", 64)
		for i := range cs {
			cs[i].Kind = wire.KindAudit
		}
		return cs
	}
	aAudits := audits(a.DeviceID, 3)
	for _, push := range []struct {
		c       *transport.Client
		changes []wire.Change
	}{
		{a, aAudits},
		{a, storetest.Changes(a.DeviceID, 2, chart.NewPatientID(), 64)}, // newer, but not audit
		{b, audits(b.DeviceID, 2)},                                      // newer, another device
	} {
		if _, err := push.c.Push(ctx, push.changes); err != nil {
			t.Fatal(err)
		}
	}
	got, err := a.AuditAnchor(ctx)
	if err != nil || got == nil || got.ChangeID != aAudits[2].ChangeID || string(got.Sealed) != string(aAudits[2].Sealed) {
		t.Fatalf("anchor = %+v, %v; want A's third audit change as pushed", got, err)
	}
	if got, err := b.AuditAnchor(ctx); err != nil || got == nil || got.DeviceID != b.DeviceID {
		t.Fatalf("B's anchor = %+v, %v; want B's own", got, err)
	}
}
