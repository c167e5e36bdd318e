package sqlite

import (
	"testing"
	"time"

	"outpost/chart"
	"outpost/chart/care"
)

// a1cStatus is the HbA1c verdict of the diabetes registry on patient p,
// judged with the targets of the practice session s holds.
func a1cStatus(t *testing.T, s *Session, p chart.PatientID, asOf time.Time) string {
	t.Helper()
	reg, _ := care.RegistryFor("diabetes")
	row, ok := reg.Row(must(s.CareChart(ctxb, p))(t), s.Practice().Registry, asOf)
	if !ok || len(row.Measures) == 0 || row.Measures[0].Name != "HbA1c" {
		t.Fatalf("diabetes registry row %+v (listed %v)", row, ok)
	}
	return row.Measures[0].Status
}

// TestRegistryTargetsSync: registry targets an administrator sets on A
// reach B with the practice record and change B's registry verdicts.
func TestRegistryTargetsSync(t *testing.T) {
	c := newSyncedClinic(t)
	p, asOf := c.patient.ID, time.Now()
	must(c.docA.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p}, Status: chart.ProblemActive,
		Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"}}))(t)
	must(c.docA.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Value: "7.5", Unit: "%",
		Test: chart.Coded{System: chart.SystemLOINC, Code: "4548-4", Display: "HbA1c"}, CollectedAt: asOf.AddDate(0, -4, 0).Format(time.DateOnly)}))(t)
	c.roundTrip(t)
	if got := c.docB.Practice().Registry; got != chart.DefaultRegistryTargets {
		t.Fatalf("B's targets before any were set: %+v", got)
	}
	if st := a1cStatus(t, c.docB, p, asOf); st != care.MeasureOK {
		t.Fatalf("HbA1c 7.5%% four months ago on the default targets: %s, want ok", st)
	}
	want := chart.RegistryTargets{A1cMonths: 3, A1cTarget: 7, Systolic: 130, Diastolic: 80}
	if got := must(c.a.admin.SetRegistryTargets(ctxb, want))(t).Registry; got != want {
		t.Fatalf("set returned %+v", got)
	}
	c.roundTrip(t)
	if got := c.docB.Practice().Registry; got != want {
		t.Fatalf("B's open session has targets %+v, want %+v", got, want)
	}
	if st := a1cStatus(t, c.docB, p, asOf); st != care.MeasureOverdue {
		t.Errorf("HbA1c four months ago against a 3-month interval on B: %s, want overdue", st)
	}
	if got := c.b.signIn(t, "cleo", clinicianPass).Practice().Registry; got != want {
		t.Errorf("B after signing in again: %+v", got)
	}
	wantAuditDetailAny(t, c.a.admin, "registry targets set: HbA1c every 3 months, below 7%; blood pressure below 130/80")
}

// TestRegistryTargetsRefused: out-of-range targets, or a clinician
// setting them, change nothing.
func TestRegistryTargetsRefused(t *testing.T) {
	c := newSyncedClinic(t)
	before := tableCounts(t, c.a.w)
	for _, bad := range []struct {
		targets chart.RegistryTargets
		field   string
	}{
		{chart.RegistryTargets{A1cMonths: 0, A1cTarget: 8, Systolic: 140, Diastolic: 90}, "a1cMonths"},
		{chart.RegistryTargets{A1cMonths: 25, A1cTarget: 8, Systolic: 140, Diastolic: 90}, "a1cMonths"},
		{chart.RegistryTargets{A1cMonths: 6, A1cTarget: 80, Systolic: 140, Diastolic: 90}, "a1cTarget"},
		{chart.RegistryTargets{A1cMonths: 6, A1cTarget: 8, Systolic: 1400, Diastolic: 90}, "systolic"},
		{chart.RegistryTargets{A1cMonths: 6, A1cTarget: 8, Systolic: 140, Diastolic: 9}, "diastolic"},
		{chart.RegistryTargets{A1cMonths: 6, A1cTarget: 8, Systolic: 100, Diastolic: 110}, "diastolic"},
	} {
		_, err := c.a.admin.SetRegistryTargets(ctxb, bad.targets)
		wantErr(t, err, chart.EINVALID, bad.field)
	}
	_, err := c.docA.SetRegistryTargets(ctxb, chart.RegistryTargets{A1cMonths: 3, A1cTarget: 7, Systolic: 130, Diastolic: 80})
	wantErr(t, err, chart.EFORBIDDEN, "")
	if got := c.a.admin.Practice().Registry; got != chart.DefaultRegistryTargets {
		t.Errorf("refused targets changed the practice: %+v", got)
	}
	if after := tableCounts(t, c.a.w); after["changes"] != before["changes"] {
		t.Errorf("refused targets wrote %d changes", after["changes"]-before["changes"])
	}
	if got := c.a.signIn(t, "cleo", clinicianPass).Practice().Registry; got != chart.DefaultRegistryTargets {
		t.Errorf("refused targets were stored: %+v", got)
	}
}
