package sqlite

import (
	"errors"
	"strings"
	"testing"

	"outpost/chart"
)

// TestChartSummaryFailsWhenItsAuditFails: the chart open's audit entry is
// written alongside the end of the summary's work, and a summary whose
// entry cannot be committed is still not shown: the open fails, first
// open and reopen (from the snapshot) alike, and shows once the audit
// works again.
func TestChartSummaryFailsWhenItsAuditFails(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Latex")))(t)
	refuse := func() {
		t.Helper()
		if _, err := c.w.db.Exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log
			BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END`); err != nil {
			t.Fatal(err)
		}
	}
	refuse()
	for _, open := range []string{"first open", "reopen"} {
		sum, err := c.doc.ChartSummary(ctxb, p)
		if err == nil || !strings.Contains(err.Error(), "audit refused by the test") {
			t.Errorf("%s with the audit refused: err = %v, want the audit's failure", open, err)
		}
		if sum.Patient.ID != "" || len(sum.Allergies) != 0 {
			t.Errorf("%s with the audit refused showed %+v", open, sum)
		}
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, p, kindPatient); n != 0 {
		t.Fatalf("%d chart opens audited while the audit was refused", n)
	}
	if _, err := c.w.db.Exec(`DROP TRIGGER refuse_audit`); err != nil {
		t.Fatal(err)
	}
	sum, err := c.doc.ChartSummary(ctxb, p)
	if err != nil || sum.Patient.ID != p || len(sum.Allergies) != 1 {
		t.Fatalf("summary once the audit works = %+v, %v", sum, err)
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, p, kindPatient); n != 1 {
		t.Errorf("%d chart opens audited, want 1", n)
	}
	// An unknown chart is refused before anything is audited, as before.
	refuse()
	if _, err := c.doc.ChartSummary(ctxb, chart.NewPatientID()); chart.ErrorCode(err) != chart.ENOTFOUND {
		t.Errorf("unknown chart: err = %v, want not found (not the audit's failure)", err)
	}
}

// TestAuditAheadFinish: the outcomes of a read audited ahead.
func TestAuditAheadFinish(t *testing.T) {
	integrity := chart.Errorf(chart.EINTEGRITY, "damaged")
	other := errors.New("disk gone")
	auditFailed := errors.New("audit failed")
	for _, tc := range []struct {
		name       string
		started    bool
		auditErr   error
		readErr    error
		wantSerial bool
		wantErrs   []error
		wantNoErr  bool
	}{
		{name: "not started: audited after the read", readErr: integrity, wantSerial: true, wantErrs: []error{integrity}},
		{name: "ahead, read ok", started: true, wantNoErr: true},
		{name: "ahead, audit failed", started: true, auditErr: auditFailed, wantErrs: []error{auditFailed}},
		{name: "ahead, audit and read failed", started: true, auditErr: auditFailed, readErr: other, wantErrs: []error{auditFailed, other}},
		{name: "ahead, read then failed", started: true, readErr: other, wantErrs: []error{other}},
		{name: "ahead, integrity failure audited too", started: true, readErr: integrity, wantSerial: true, wantErrs: []error{integrity}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a auditAhead
			if tc.started {
				a.start(func() error { return tc.auditErr })
			}
			serial := false
			err := a.finish(tc.readErr, func(readErr error) error { serial = true; return readErr })
			if serial != tc.wantSerial {
				t.Errorf("audited after the read: %v, want %v", serial, tc.wantSerial)
			}
			if tc.wantNoErr && err != nil {
				t.Errorf("err = %v", err)
			}
			for _, want := range tc.wantErrs {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v in it", err, want)
				}
			}
		})
	}
}

// A panic while the entry is written (on the entry's own goroutine, where
// nothing else would recover it and the app would end) fails the read with
// an internal error instead.
func TestAuditAheadPanicFailsTheRead(t *testing.T) {
	var a auditAhead
	a.start(func() error { panic("index out of range") })
	err := a.finish(nil, func(error) error { t.Fatal("audited again after the read"); return nil })
	if chart.ErrorCode(err) != chart.EINTERNAL || !strings.Contains(err.Error(), "index out of range") {
		t.Fatalf("err = %v, want an internal error naming the panic", err)
	}
}
