package main

import "time"

// The scenarios, in the harness's order and with its names.

func (b *bench) s1() error {
	b.log("S1 initial push")
	p, err := b.syncStep(b.A, "push", nil)
	if err != nil {
		return err
	}
	f, err := b.facts()
	if err != nil {
		return err
	}
	m := fig(p, num(p.R["changes_sent"]), b.docs)
	m["scenario"] = "S1_initial_push"
	m["check"] = map[string]any{"server_changes": f["server"].Changes, "expected": f["A"].Changes,
		"unacked_on_A": f["A"].Unacked, "same_change_ids": f["server"].ChangeIDDigest == f["A"].ChangeIDDigest,
		"pass": f["server"].ChangeIDDigest == f["A"].ChangeIDDigest && f["A"].Unacked == 0}
	m["disk_bytes"] = disk(f)
	b.emit(m)
	return nil
}

func (b *bench) s2() error {
	b.log("S2 initial pull: workstation B joins (pull, then the first sign-in merges)")
	p, err := b.measure("join-pull", stepArgs{syncArgs: syncArgs{Dir: b.B}})
	if err != nil {
		return err
	}
	f, err := b.facts()
	if err != nil {
		return err
	}
	m := fig(p, num(p.R["changes_received"]), b.docs)
	m["scenario"] = "S2_initial_pull"
	m["seconds_pull_phase"], m["seconds_first_signin_merge"] = p.R["seconds_pull_phase"], p.R["seconds_first_signin_merge"]
	m["seconds_merge_behind"] = p.R["seconds_merge_behind"]
	// The workstation's CPU of the two phases until the chart is usable;
	// the server's (server_cpu_seconds) is all in the pull phase.
	m["cpu_seconds_pull_phase"], m["cpu_seconds_first_signin"] = p.R["cpu_seconds_pull_phase"], p.R["cpu_seconds_first_signin"]
	m["note"] = "join from heads (client.JoinFromHeads; OUTPOST_BENCH_JOIN=replay: every change, client.JoinPull), pages stored unopened, then the first sign-in merges what the chart needs (the seconds end there) and the charts' records merge behind (seconds_merge_behind)"
	m["check"] = map[string]any{"server_changes": f["server"].Changes, "client_changes": f["B"].Changes,
		"pass": f["server"].ChangeIDDigest == f["B"].ChangeIDDigest}
	m["disk_bytes"] = disk(f)
	b.emit(m)
	return nil
}

// s2c gives each workstation its first run of the direction it has not
// used yet, as the harness does, so S3/S4 start from steady state. A's
// first pull brings back its own 50k changes (the server does not filter
// a device's own changes out of its pull).
func (b *bench) s2c() error {
	b.log("S2c first reverse sync (A pulls, B pushes)")
	a, err := b.syncStep(b.A, "pull", nil)
	if err != nil {
		return err
	}
	bp, err := b.syncStep(b.B, "push", nil)
	if err != nil {
		return err
	}
	b.emit(map[string]any{"scenario": "S2c_first_reverse_sync",
		"note":   "A's first pull (the server leaves out A's own changes), B's first push (nothing to send)",
		"A_pull": fig(a, num(a.R["changes_received"]), 0), "B_push": fig(bp, num(bp.R["changes_sent"]), 0)})
	return nil
}

func (b *bench) delta(seed uint64) (map[string]any, error) {
	return b.child("edit-delta", stepArgs{syncArgs: syncArgs{Dir: b.A}, Seed: seed, Notes: 500, Vitals: 450, Retract: 50})
}

func (b *bench) s3() error {
	b.log("S3 end-of-day delta")
	ed, err := b.delta(1)
	if err != nil {
		return err
	}
	f0, err := b.facts()
	if err != nil {
		return err
	}
	push, err := b.syncStep(b.A, "push", nil)
	if err != nil {
		return err
	}
	f1, err := b.facts()
	if err != nil {
		return err
	}
	pull, err := b.syncStep(b.B, "pull", nil)
	if err != nil {
		return err
	}
	f, err := b.facts()
	if err != nil {
		return err
	}
	adv := f1["server"].Changes - f0["server"].Changes
	same := f["B"].ChangeIDDigest == f["server"].ChangeIDDigest
	b.emit(map[string]any{"scenario": "S3_delta", "changes": ed,
		"push": fig(push, num(push.R["changes_sent"]), 0), "pull": fig(pull, num(pull.R["changes_received"]), 0),
		"round_trips_total": num(push.R["requests"]) + num(pull.R["requests"]),
		"check": map[string]any{"server_change_advance": adv, "expected": pushDue(f0["A"]),
			"note":                 "A's whole outbox moves: the delta's record changes, and its queued audit entries (the delta's, each step's sign-in, the push step's own) as one batch per patient plus one practice-wide",
			"audit_entries_queued": f0["A"].AuditQueued, "audit_batches_due": f0["A"].AuditBatches,
			"audit_batches_made":   batchesMade(f0["A"], f1["A"]),
			"changes":              map[string]int64{"A": f["A"].Changes, "server": f["server"].Changes, "B": f["B"].Changes},
			"A_unacked_after_push": f1["A"].Unacked, "B_holds_exactly_the_servers_changes": same,
			"pass": same && f1["A"].Unacked == 0 && adv == pushDue(f0["A"]) && batchesMade(f0["A"], f1["A"]) == f0["A"].AuditBatches},
		"disk_bytes": disk(f)})
	return nil
}

func (b *bench) s4() error {
	b.log("S4 conflict: the same 100 patients edited on A and B")
	const seed, n = 4, 100
	for _, w := range []struct{ dir, who string }{{b.A, "A"}, {b.B, "B"}} {
		if _, err := b.child("edit-conflict", stepArgs{syncArgs: syncArgs{Dir: w.dir}, Who: w.who, Seed: seed, N: n}); err != nil {
			return err
		}
	}
	var syncs []phase
	for _, dir := range []string{b.A, b.B, b.A} {
		p, err := b.syncStep(dir, "sync", nil)
		if err != nil {
			return err
		}
		syncs = append(syncs, p)
	}
	checks := map[string]map[string]any{}
	for name, dir := range map[string]string{"A": b.A, "B": b.B} {
		c, err := b.child("check-conflict", stepArgs{syncArgs: syncArgs{Dir: dir}, Seed: seed, N: n})
		if err != nil {
			return err
		}
		checks[name] = c
	}
	agree := 0
	wa, _ := checks["A"]["winners"].(map[string]any)
	wb, _ := checks["B"]["winners"].(map[string]any)
	for id, v := range wa {
		if wb[id] == v {
			agree++
		}
	}
	f, err := b.facts()
	if err != nil {
		return err
	}
	sf := func(p phase) map[string]any {
		return fig(p, num(p.R["changes_sent"])+num(p.R["changes_received"]), 0)
	}
	kept := func(w string) float64 { return num(checks[w]["with_conflict_kept"]) }
	lost := num(checks["A"]["lost"]) + num(checks["B"]["lost"])
	b.emit(map[string]any{"scenario": "S4_conflict", "edited_docs": n,
		"syncs":             map[string]any{"A_first": sf(syncs[0]), "B": sf(syncs[1]), "A_second": sf(syncs[2])},
		"round_trips_total": num(syncs[0].R["requests"]) + num(syncs[1].R["requests"]) + num(syncs[2].R["requests"]),
		"conflicts_recorded": map[string]any{"A": kept("A"), "B": kept("B"),
			"server": "n/a: the server relays sealed changes and holds both versions; it does not merge"},
		"both_edits_retrievable":              map[string]any{"A": checks["A"]["both_edits_retrievable"], "B": checks["B"]["both_edits_retrievable"]},
		"lost":                                lost,
		"same_winner_on_A_B":                  agree,
		"winner_side":                         checks["A"]["winner_side"],
		"A_holds_exactly_the_servers_changes": f["A"].ChangeIDDigest == f["server"].ChangeIDDigest,
		"check":                               map[string]any{"pass": lost == 0 && agree == n && kept("A") == n && kept("B") == n},
		"disk_bytes":                          disk(f)})
	return nil
}

func (b *bench) s5() error {
	b.log("S5 bad link: +%s per request, one cut each way", b.cfg.Latency)
	ed, err := b.delta(2)
	if err != nil {
		return err
	}
	f0, err := b.facts()
	if err != nil {
		return err
	}
	// The lost ack is on the 3rd push when there are 3 (the harness's
	// place); a smaller delta fits in fewer batches, then the last is cut.
	pushes := int(f0["A"].Unacked+999) / 1000
	bad := func(f *fault) func(*stepArgs) {
		return func(a *stepArgs) {
			a.Attempts, a.RetryDelay, a.Latency, a.Fault = 5, time.Second.String(), b.cfg.Latency.String(), f
		}
	}
	push, err := b.syncStep(b.A, "push", bad(&fault{Path: "/v1/push", Nth: min(3, pushes), Mode: "ack"}))
	if err != nil {
		return err
	}
	f1, err := b.facts()
	if err != nil {
		return err
	}
	pull, err := b.syncStep(b.B, "pull", bad(&fault{Path: "/v1/pull", Nth: 1, Mode: "midbody"}))
	if err != nil {
		return err
	}
	f, err := b.facts()
	if err != nil {
		return err
	}
	adv := f1["server"].Changes - f0["server"].Changes
	same := f["B"].ChangeIDDigest == f["server"].ChangeIDDigest
	ok := push.R["ok"] == true && pull.R["ok"] == true
	b.emit(map[string]any{"scenario": "S5_bad_link", "latency_ms_per_request": b.cfg.Latency.Milliseconds(), "changes": ed,
		"faults": map[string]any{"push": "lost ack: the cut push reaches the server, which commits and replies; the client's transport drops the reply and the connection",
			"pull": "mid-transfer: the 1st pull reply is cut after half its body (the harness cuts its 3rd _bulk_get; Outpost's delta pull is 1-2 requests)"},
		"retry_policy": "a failed sync is re-run up to 5 times, 1 s apart (resumes from the outbox and the pull cursor)",
		"push":         fig(push, num(push.R["changes_sent"]), 0), "pull": fig(pull, num(pull.R["changes_received"]), 0),
		"check": map[string]any{"server_change_advance_on_push": adv, "outbox_before_push": f0["A"].Unacked,
			"audit_entries_queued": f0["A"].AuditQueued, "audit_batches_due": f0["A"].AuditBatches,
			"audit_batches_made":   batchesMade(f0["A"], f1["A"]),
			"acked":                num(push.R["changes_sent"]),
			"A_unacked_after_push": f1["A"].Unacked,
			"conflicts_before":     f0["A"].ConflictRows, "conflicts_after": f["A"].ConflictRows,
			"changes":                             map[string]int64{"A": f["A"].Changes, "server": f["server"].Changes, "B": f["B"].Changes},
			"B_holds_exactly_the_servers_changes": same,
			"no_duplicates":                       adv == pushDue(f0["A"]),
			"pass": ok && same && adv == pushDue(f0["A"]) && batchesMade(f0["A"], f1["A"]) == f0["A"].AuditBatches &&
				f1["A"].Unacked == 0 && f0["A"].ConflictRows == f["A"].ConflictRows},
		"disk_bytes": disk(f)})
	return nil
}

// pushDue is how many changes a push of workstation w moves to the
// server: its unsent changes and the batches its queued audit entries
// become (inspectAuditQueue).
func pushDue(w storeFacts) int64 { return w.Unacked + w.AuditBatches }

// batchesMade is how many changes a push appended to the workstation's own
// change log, between before and after: the audit batches it packed.
func batchesMade(before, after storeFacts) int64 { return after.Changes - before.Changes }
