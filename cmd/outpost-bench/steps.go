package main

import (
	"context"
	"fmt"
	"time"

	"outpost/sqlite"
	"outpost/sync/client"
	"outpost/sync/transport"
)

// syncArgs configures one sync step in a workstation process.
type syncArgs struct {
	Dir        string `json:"dir"`
	Op         string `json:"op"` // push | pull | sync
	Attempts   int    `json:"attempts"`
	RetryDelay string `json:"retry_delay"`
	Latency    string `json:"latency"`
	Fault      *fault `json:"fault,omitempty"`
}

// syncResult uses the harness's field names where they mean the same.
type syncResult struct {
	OK             bool           `json:"ok"`
	Seconds        float64        `json:"seconds"`
	Sent           int            `json:"changes_sent"`
	Received       int            `json:"changes_received"`
	Conflicts      int            `json:"conflicts_in_touched_records"`
	Requests       int            `json:"requests"`
	RequestsByKind map[string]int `json:"requests_by_kind"`
	// CPUSeconds is the CPU this process spent syncing (on a shared,
	// loaded machine a steadier figure than the wall clock's seconds).
	CPUSeconds      float64     `json:"cpu_seconds"`
	Attempts        int         `json:"attempts"`
	Tries           []string    `json:"tries,omitempty"`
	Cuts            []cutRecord `json:"cuts,omitempty"`
	ClientPeakRSSMB float64     `json:"client_peak_rss_mb"`
	GoPeakHeapMB    float64     `json:"client_go_heap_sys_mb"`
}

// runSync pushes, pulls or syncs (push then pull, client.SyncOnce) the
// workstation, re-running a failed attempt like the harness's app does.
func runSync(ctx context.Context, a syncArgs) (syncResult, error) {
	var r syncResult
	w, s, err := openSignedIn(ctx, a.Dir)
	if err != nil {
		return r, err
	}
	defer w.Close()
	link := &linkRT{fault: a.Fault}
	if link.latency, err = parseDuration(a.Latency); err != nil {
		return r, err
	}
	delay, err := parseDuration(a.RetryDelay)
	if err != nil {
		return r, err
	}
	c, err := newClient(a.Dir, link)
	if err != nil {
		return r, err
	}
	start, cpu := time.Now(), cpuTime()
	for r.Attempts < max(a.Attempts, 1) {
		if r.Attempts > 0 {
			time.Sleep(delay)
		}
		r.Attempts++
		rep, err := once(ctx, a.Op, s, c)
		r.Sent += rep.Sent + rep.AuditSent // every change moved, audit entries too
		r.Received += rep.Received
		r.Conflicts += rep.Conflicts
		if err == nil {
			r.OK = true
			r.Tries = append(r.Tries, "ok")
			break
		}
		r.Tries = append(r.Tries, err.Error())
	}
	r.Seconds = time.Since(start).Seconds()
	r.CPUSeconds = (cpuTime() - cpu).Seconds()
	r.Requests, r.RequestsByKind = link.requests()
	r.Cuts = link.cuts
	return r, nil
}

func once(ctx context.Context, op string, s *sqlite.Session, c *transport.Client) (client.Report, error) {
	switch op {
	case "push":
		return client.PushOnce(ctx, s, c)
	case "pull":
		return client.PullOnce(ctx, s, c)
	case "sync":
		return client.SyncOnce(ctx, s, c)
	}
	return client.Report{}, fmt.Errorf("unknown sync op %q", op)
}

func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: %w", s, err)
	}
	return d, nil
}
