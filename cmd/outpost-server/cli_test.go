package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func runInProcess(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommandLineRefusesBadUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "srv")
	if code, _, stderr := runInProcess("init", "-dir", dir); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	cases := []struct {
		args []string
		code int
		says string
	}{
		{nil, 2, "usage"},
		{[]string{"frobnicate"}, 2, "usage"},
		{[]string{"serve"}, 2, "usage"},
		{[]string{"init", "-dir", dir}, 1, "refusing to replace"},
		{[]string{"enroll", "-dir", dir, "-addr", "no-port"}, 2, "usage"},
		{[]string{"enroll", "-dir", dir, "-addr", "h:1", "-ttl", "-1h"}, 2, "usage"},
		{[]string{"enroll", "-dir", filepath.Join(dir, "missing"), "-addr", "h:1"}, 1, "run init first"},
		{[]string{"devices", "revoke", "-dir", dir}, 2, "usage"},
		{[]string{"devices", "revoke", "-dir", dir, "0190f1a0-0000-7000-8000-000000000001"}, 1, "no device"},
	}
	for _, tc := range cases {
		code, _, stderr := runInProcess(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.says)
		}
	}
	if code, out, _ := runInProcess("devices", "-dir", dir); code != 0 || !strings.Contains(out, "No workstations enrolled yet") {
		t.Errorf("empty devices listing: %d %q", code, out)
	}
}
