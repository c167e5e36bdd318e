package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"outpost/chart"
)

// A hostile enrolled device (cmd/outpost-rogue, run as a program) pushes a
// patient of random bytes with no tag and a genuine patient change moved
// to another patient, tag kept. Real workstations hold both back, naming
// the device and what is wrong, and an edit made after them still syncs.
func TestRogueChangesAreHeldBackAndSyncGoesOn(t *testing.T) {
	ctx := context.Background()
	rig := newPracticeRig(t)
	a := rig.firstStation(t, "Front desk")
	rig.register(t, a, 1)
	b := rig.joinStation(t, a, "Car laptop")

	out := runRogue(t, enrolCode(t, rig.dir, rig.srv.addr), "-name", "Stolen laptop", "-random-patient", "1", "-altered", "1")
	device, pushed := parseRogue(t, out)
	if len(pushed) != 2 {
		t.Fatalf("the rogue pushed %d changes, want 2:\n%s", len(pushed), out)
	}

	p := onlyPatient(t, a)
	p.Phone = "+1 555 0199 111"
	if _, err := a.s.UpdatePatient(ctx, p); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	b.sync(t)
	if got, err := b.s.OpenPatient(ctx, p.ID); err != nil || got.Phone != p.Phone {
		t.Fatalf("the edit made after the rogue's changes: %s has phone %q (%v), want %q", b.name, got.Phone, err, p.Phone)
	}

	end := "…" + string(device)[len(device)-8:]
	wantDetail := map[chart.ChangeID]string{pushed[0]: "carries no authentication tag", pushed[1]: "tag does not match"}
	for _, st := range []*station{b, a} {
		held, err := st.s.HeldChanges(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(held) != 2 {
			t.Fatalf("%s holds back %d changes, want the rogue's 2: %+v", st.name, len(held), held)
		}
		for _, h := range held {
			want, ok := wantDetail[chart.ChangeID(h.ChangeID)]
			if !ok || h.DeviceID != device || h.Reason != "unverified" ||
				!strings.Contains(h.Message, "workstation "+end+" could not be verified") || !strings.Contains(h.Message, want) {
				t.Errorf("%s: held %s (%s): %q, want it from %s, unverified: %q", st.name, h.ChangeID, h.Reason, h.Message, end, want)
			}
		}
	}
}

// runRogue builds cmd/outpost-rogue and runs it with args, returning stdout.
func runRogue(t *testing.T, code string, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "outpost-rogue")
	if out, err := exec.Command("go", "build", "-o", bin, "outpost/cmd/outpost-rogue").CombinedOutput(); err != nil {
		t.Fatalf("build outpost-rogue: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"-code", code}, args...)...)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("outpost-rogue %v: %v\n%s", args, err, errOut.String())
	}
	return string(out)
}

var (
	rogueDevice = regexp.MustCompile(`(?m)^device (\S+)$`)
	roguePushed = regexp.MustCompile(`(?m)^pushed (\S+) seq [1-9]\d*: `)
)

// parseRogue reads the rogue's device id and the ids of what it pushed.
func parseRogue(t *testing.T, out string) (chart.DeviceID, []chart.ChangeID) {
	t.Helper()
	m := rogueDevice.FindStringSubmatch(out)
	if m == nil || !chart.ValidID(m[1]) {
		t.Fatalf("no device id in the rogue's output:\n%s", out)
	}
	var ids []chart.ChangeID
	for _, p := range roguePushed.FindAllStringSubmatch(out, -1) {
		ids = append(ids, chart.ChangeID(p[1]))
	}
	return chart.DeviceID(m[1]), ids
}

// onlyPatient opens the one patient st holds.
func onlyPatient(t *testing.T, st *station) chart.Patient {
	t.Helper()
	ctx := context.Background()
	hits, err := st.s.SearchPatients(ctx, "", 10)
	if err != nil || len(hits) != 1 {
		t.Fatalf("%s: %d patients (%v), want 1", st.name, len(hits), err)
	}
	p, err := st.s.OpenPatient(ctx, hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
