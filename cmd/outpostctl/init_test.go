package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sqlite"
)

// initCtl runs `outpostctl init` with stdin and extra environment.
func initCtl(t *testing.T, stdin string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(ctlBinary, append([]string{"init"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestInitCreatesAChartTheAdministratorSignsInto runs the real program:
// the chart it creates opens, the administrator signs in with the
// passphrase given, and the recovery key is printed; a second init in the
// same folder and a weak passphrase are refused with a clear message.
func TestInitCreatesAChartTheAdministratorSignsInto(t *testing.T) {
	data := filepath.Join(t.TempDir(), "ws")
	const pass = "lichen granite ferry cobalt"
	out, err := initCtl(t, "", []string{"OUTPOST_PASSPHRASE=" + pass},
		"-data", data, "-practice", "Riverbend Rural Clinic", "-admin", "dana", "-name", "Dana Admin")
	if err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`AGE-SECRET-KEY-1[0-9A-Z]+`).MatchString(out) || !strings.Contains(out, "Riverbend Rural Clinic") {
		t.Fatalf("init printed no recovery key:\n%s", out)
	}
	ctx := context.Background()
	w, err := sqlite.OpenWorkstation(ctx, filepath.Join(data, "chart.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.SignIn(ctx, "dana", pass)
	if err != nil {
		t.Fatalf("sign in to the new chart: %v", err)
	}
	if u := s.User(); u.Role != chart.RoleAdministrator || u.FullName != "Dana Admin" || s.Practice().Name != "Riverbend Rural Clinic" {
		t.Fatalf("signed in as %+v to %+v", u, s.Practice())
	}
	w.Close()

	out, err = initCtl(t, pass+"\n", nil, "-data", data, "-practice", "Other", "-admin", "bo")
	if err == nil || !strings.Contains(out, "There is a chart at") {
		t.Fatalf("second init in the same folder: %v\n%s", err, out)
	}
	// From a pipe, without the variable: one line is the passphrase.
	out, err = initCtl(t, "password\n", nil, "-data", t.TempDir(), "-practice", "Weak", "-admin", "bo")
	if err == nil || !strings.Contains(strings.ToLower(out), "passphrase") {
		t.Fatalf("a weak passphrase: %v\n%s", err, out)
	}
	if out, err = initCtl(t, "", nil, "-data", t.TempDir()); err == nil || !strings.Contains(out, "outpostctl init") {
		t.Fatalf("init without a practice: %v\n%s", err, out)
	}
}
