package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"outpost/chart"
	"outpost/internal/cputime"
	"outpost/sqlite"
	"outpost/sync/client"
	"outpost/sync/transport"
)

// joinPractice enrols the fresh workstation in dir with the server named
// in code and makes it a member of the practice the server answers for,
// as the app's "Join a practice" does (app/sync_enrol.go): a new device id
// and key, EnrollWith without a practice, then BeginJoin. The pull is S2.
func joinPractice(ctx context.Context, dir, code string) (deviceFile, error) {
	var df deviceFile
	ec, err := transport.ParseEnrollmentCode(code)
	if err != nil {
		return df, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return df, err
	}
	w, err := sqlite.OpenWorkstation(ctx, chartPath(dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return df, err
	}
	defer w.Close()
	dev := chart.NewDeviceID()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return df, err
	}
	c := transport.NewClient(ec, dev, priv)
	resp, err := c.EnrollWith(ctx, ec, "bench "+filepath.Base(dir), "")
	if err != nil {
		return df, fmt.Errorf("enrol %s: %w", dir, err)
	}
	if err := w.BeginJoin(ctx, resp.PracticeID, dev); err != nil {
		return df, err
	}
	df = deviceFile{DeviceID: dev, PrivateKey: priv, BaseURL: c.BaseURL, Fingerprint: ec.Fingerprint[:], PracticeID: resp.PracticeID}
	return df, writeJSON(devicePath(dir), df)
}

// joinResult is S2's step: the join's pull (from heads; the replayed join
// of every change with OUTPOST_BENCH_JOIN=replay), then the first sign-in,
// which merges what the chart needs to be usable (the step's seconds end
// there), then the merge of the charts' records behind it, timed apart
// (OUTPOST_BENCH_SIGNIN=all: the first sign-in merges everything first, as
// before the merge behind).
type joinResult struct {
	syncResult
	SecondsPull        float64 `json:"seconds_pull_phase"`
	SecondsFirstSignIn float64 `json:"seconds_first_signin_merge"`
	SecondsBehind      float64 `json:"seconds_merge_behind"`
	// CPUFirstSignIn is the process's CPU time (user and system) during
	// the first sign-in: on a shared machine it moves less than the wall
	// clock with the load.
	CPUFirstSignIn float64 `json:"cpu_seconds_first_signin"`
	// CPUPull is the process's CPU time during the join's pull phase.
	CPUPull float64 `json:"cpu_seconds_pull_phase"`
}

func joinPull(ctx context.Context, a syncArgs) (joinResult, error) {
	var r joinResult
	w, err := sqlite.OpenWorkstation(ctx, chartPath(a.Dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return r, err
	}
	defer func() { w.Close() }()
	link := &linkRT{}
	c, err := newClient(a.Dir, link)
	if err != nil {
		return r, err
	}
	start, cpu := time.Now(), cpuTime()
	if os.Getenv("OUTPOST_BENCH_JOIN") == "replay" { // the join before v2: every change the server holds
		r.Received, err = client.JoinPull(ctx, w, c, 0, nil)
	} else {
		r.Received, err = client.JoinFromHeads(ctx, w, c, nil)
	}
	if err != nil {
		return r, err
	}
	r.SecondsPull = time.Since(start).Seconds()
	r.CPUPull = (cpuTime() - cpu).Seconds()
	if dir := os.Getenv("OUTPOST_BENCH_PULLED"); dir != "" {
		if w, err = keepPulled(ctx, w, a.Dir, dir); err != nil {
			return r, err
		}
	}
	// OUTPOST_BENCH_BEHIND=skip: stop after the first sign-in (the step's
	// seconds end there), for timing S2 again and again without the merge
	// behind's 13 s.
	if err := firstSignIn(ctx, w, &r, os.Getenv("OUTPOST_BENCH_BEHIND") != "skip"); err != nil {
		return r, err
	}
	r.Seconds = r.SecondsPull + r.SecondsFirstSignIn
	r.Requests, r.RequestsByKind = link.requests()
	return r, nil
}

// firstSignIn times the first sign-in after the join's pull, then the
// merge behind it.
func firstSignIn(ctx context.Context, w *sqlite.Workstation, r *joinResult, behind bool) error {
	t, cpu := time.Now(), cpuTime()
	signIn := w.SignInChartFirst
	if os.Getenv("OUTPOST_BENCH_SIGNIN") == "all" {
		signIn = w.SignInWithProgress
	}
	s, err := signIn(ctx, clinicianUser, clinicianPass, nil)
	if err != nil {
		return fmt.Errorf("first sign-in after the join: %w", err)
	}
	r.SecondsFirstSignIn = time.Since(t).Seconds()
	r.CPUFirstSignIn = (cpuTime() - cpu).Seconds()
	r.OK, r.Attempts, r.Tries = true, 1, []string{"ok"}
	if !behind {
		return nil
	}
	t = time.Now()
	if err := s.(*sqlite.Session).MergeBehind(ctx, nil); err != nil {
		return err
	}
	r.SecondsBehind = time.Since(t).Seconds()
	return nil
}

// cpuTime is the CPU time this process has used so far.
func cpuTime() time.Duration { return cputime.Process() }

// keepPulled copies the workstation's store as the pull left it into dir
// (OUTPOST_BENCH_PULLED=DIR), so that the first sign-in can be run again
// and again on the same store without a server (the step first-signin):
// for profiling it. It closes w to copy a whole file and opens it again.
func keepPulled(ctx context.Context, w *sqlite.Workstation, from, dir string) (*sqlite.Workstation, error) {
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	for _, name := range []string{"chart.db", "chart.db-wal", "device.json"} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return nil, err
		}
	}
	return sqlite.OpenWorkstation(ctx, chartPath(from), sqlite.Options{WorkFactor: benchWorkFactor})
}

// signInPulled is the step first-signin: the first sign-in and (unless
// op is "signin") the merge behind, on a store kept by
// OUTPOST_BENCH_PULLED (copy it first: the step merges it).
func signInPulled(ctx context.Context, a syncArgs) (joinResult, error) {
	var r joinResult
	w, err := sqlite.OpenWorkstation(ctx, chartPath(a.Dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return r, err
	}
	defer w.Close()
	err = firstSignIn(ctx, w, &r, a.Op != "signin")
	r.Seconds = r.SecondsFirstSignIn
	return r, err
}
