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
}

func joinPull(ctx context.Context, a syncArgs) (joinResult, error) {
	var r joinResult
	w, err := sqlite.OpenWorkstation(ctx, chartPath(a.Dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return r, err
	}
	defer w.Close()
	link := &linkRT{}
	c, err := newClient(a.Dir, link)
	if err != nil {
		return r, err
	}
	start := time.Now()
	if os.Getenv("OUTPOST_BENCH_JOIN") == "replay" { // the join before v2: every change the server holds
		r.Received, err = client.JoinPull(ctx, w, c, 0, nil)
	} else {
		r.Received, err = client.JoinFromHeads(ctx, w, c, nil)
	}
	if err != nil {
		return r, err
	}
	r.SecondsPull = time.Since(start).Seconds()
	t := time.Now()
	signIn := w.SignInChartFirst
	if os.Getenv("OUTPOST_BENCH_SIGNIN") == "all" {
		signIn = w.SignInWithProgress
	}
	s, err := signIn(ctx, clinicianUser, clinicianPass, nil)
	if err != nil {
		return r, fmt.Errorf("first sign-in after the join: %w", err)
	}
	r.SecondsFirstSignIn = time.Since(t).Seconds()
	r.Seconds = time.Since(start).Seconds()
	t = time.Now()
	if err := s.(*sqlite.Session).MergeBehind(ctx, nil); err != nil {
		return r, err
	}
	r.SecondsBehind = time.Since(t).Seconds()
	r.OK, r.Attempts, r.Tries = true, 1, []string{"ok"}
	r.Requests, r.RequestsByKind = link.requests()
	return r, nil
}
