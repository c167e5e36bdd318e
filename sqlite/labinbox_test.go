package sqlite

import (
	"context"
	"strings"
	"testing"

	"outpost/chart"
)

// The lab inbox folder is this workstation's own, set by an administrator
// (audited), checked as a full path, and kept across a reopen.
func TestLabInboxSetting(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if l := must(f.w.LabInbox(ctx))(t); l.Folder != "" {
		t.Fatalf("a new workstation has lab inbox %q, want none", l.Folder)
	}
	_, err := f.admin.SetLabInbox(ctx, chart.LabInbox{Folder: "lab-results"})
	wantErr(t, err, chart.EINVALID, "folder")

	f.addUser(t, f.admin, "nina", chart.RoleNurse, "correct horse battery staple nurse")
	nurse := f.signIn(t, "nina", "correct horse battery staple nurse")
	_, err = nurse.SetLabInbox(ctx, chart.LabInbox{Folder: "/srv/lab"})
	wantErr(t, err, chart.EFORBIDDEN, "")

	must(f.admin.SetLabInbox(ctx, chart.LabInbox{Folder: "  /srv/lab  "}))(t)
	if l := must(f.w.LabInbox(ctx))(t); l.Folder != "/srv/lab" {
		t.Fatalf("lab inbox = %q, want /srv/lab", l.Folder)
	}
	entries := must(f.admin.Audit(ctx, chart.AuditFilter{Action: chart.AuditPracticeSetting}))(t)
	if len(entries) == 0 || !strings.Contains(entries[0].Detail, `lab inbox to "/srv/lab"`) {
		t.Fatalf("no audit entry for the lab inbox: %+v", entries)
	}
}
