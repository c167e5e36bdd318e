package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
)

// TestAuditListNamesPatientsAndWorkstations: the viewer answers "who opened
// Ada Okafor's chart?" with names: the patient's from the patient index,
// the workstation's from the practice's device records.
func TestAuditListNamesPatientsAndWorkstations(t *testing.T) {
	ctx := context.Background()
	_, a, b := enrolledPair(t)
	fa, fb := a.fixture, b.fixture
	// As enrolling through the app does: the name is kept, then published.
	if err := fa.w.write(ctx, func(t *tx) error { return setMeta(ctx, t, metaDeviceName, []byte("Front desk")) }); err != nil {
		t.Fatal(err)
	}
	if err := fa.admin.AuditSyncConnected(ctx, "server.example:8443"); err != nil {
		t.Fatal(err)
	}
	p := register(t, fa.admin, samplePatient("Ada", "Okafor"))
	if _, err := fa.admin.OpenPatient(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	b.sync(t)

	local := must(fa.admin.Audit(ctx, chart.AuditFilter{PatientID: p.ID, Action: chart.AuditChartOpen}))(t)
	if len(local) == 0 || local[0].PatientName != "Ada Okafor" || local[0].DeviceName != "This workstation" {
		t.Fatalf("A's own trail = %+v; want Ada Okafor on this workstation", local)
	}
	trail := must(fb.admin.Audit(ctx, chart.AuditFilter{AllDevices: true, PatientID: p.ID, Action: chart.AuditChartOpen}))(t)
	if len(trail) == 0 || trail[0].PatientName != "Ada Okafor" || trail[0].DeviceName != "Front desk" || !trail[0].Remote {
		t.Fatalf("B's practice-wide trail = %+v; want Ada Okafor opened on Front desk", trail)
	}
}
