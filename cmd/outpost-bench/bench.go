package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// config is the orchestrator's command line.
type config struct {
	Dataset, ServerBin, Work string
	Out, Table, Pouch        string
	Latency                  time.Duration
	StepLimit                time.Duration // each workstation step's process is killed after this
	Scenarios                map[string]bool
}

// bench runs the scenarios: the server and the proxy live in this process's
// care, every workstation step is a child process (`outpost-bench step`).
type bench struct {
	cfg     config
	srv     *server
	px      *proxy
	A, B    string
	docs    float64 // documents of the data set loaded into A
	results []map[string]any
	out     io.Writer
}

// phase is one timed workstation step with the counters around it.
type phase struct {
	R                  map[string]any
	Wire               map[string]any
	ServerPeakRSSMB    float64
	ServerRSSAtStartMB float64
	// ServerCPUSeconds is the CPU the server process used during the step.
	ServerCPUSeconds float64
}

func (b *bench) log(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[outpost-bench %s] %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// child runs one workstation step in its own process and returns its JSON.
func (b *bench) child(op string, args stepArgs) (map[string]any, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	a, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.cfg.StepLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, "step", op, string(a))
	cmd.Stderr = os.Stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("step %s %s: %w", op, args.Dir, err)
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		return nil, fmt.Errorf("step %s: output %q: %w", op, out.String(), err)
	}
	return m, nil
}

// measure runs a step with the server's peak RSS reset before it and the
// proxy's byte counters read around it.
func (b *bench) measure(op string, args stepArgs) (phase, error) {
	pid := b.srv.pid()
	resetPeak(pid)
	p := phase{ServerRSSAtStartMB: mib(procKB(pid, "VmRSS"))}
	if n := b.srv.toggleProfile(true); n > 0 {
		b.log("server CPU profile server-%d.pprof: step %s %s", n, op, filepath.Base(args.Dir))
	}
	w0, cpu0 := b.px.stats(), procCPU(pid)
	r, err := b.child(op, args)
	cpu1 := procCPU(pid) // before the profile is written
	b.srv.toggleProfile(false)
	if err != nil {
		return p, err
	}
	w1 := b.px.stats()
	p.ServerCPUSeconds = round(cpu1-cpu0, 3)
	p.R = r
	p.ServerPeakRSSMB = mib(procKB(pid, "VmHWM"))
	p.Wire = map[string]any{"client_to_server_bytes": w1.Up - w0.Up, "server_to_client_bytes": w1.Down - w0.Down,
		"requests": r["requests"], "new_connections": w1.Conns - w0.Conns, "requests_by_kind": r["requests_by_kind"]}
	return p, nil
}

func (b *bench) syncStep(dir, op string, tweak func(*stepArgs)) (phase, error) {
	a := stepArgs{syncArgs: syncArgs{Dir: dir, Op: op, Attempts: 1}}
	if tweak != nil {
		tweak(&a)
	}
	p, err := b.measure("sync", a)
	if err == nil && p.R["ok"] != true {
		b.log("%s %s did not finish: %v", op, filepath.Base(dir), p.R["tries"])
	}
	return p, err
}

// fig is a phase in the harness's field names. changes counts the change
// log rows moved (records and their audit entries); docs, when known, the
// data set's documents they carry (the harness's docs).
func fig(p phase, changes, docs float64) map[string]any {
	m := map[string]any{"ok": p.R["ok"], "seconds": round(num(p.R["seconds"]), 3), "changes": changes,
		"wire": p.Wire, "client_peak_rss_mb": p.R["client_peak_rss_mb"], "client_go_heap_sys_mb": p.R["client_go_heap_sys_mb"],
		"server_peak_rss_mb": p.ServerPeakRSSMB, "server_rss_at_start_mb": p.ServerRSSAtStartMB,
		"client_cpu_seconds": p.R["cpu_seconds"], "server_cpu_seconds": p.ServerCPUSeconds,
		"replication": map[string]any{"changes_sent": p.R["changes_sent"], "changes_received": p.R["changes_received"],
			"attempts": p.R["attempts"], "tries": p.R["tries"]}}
	if s := num(p.R["seconds"]); s > 0 {
		m["changes_per_s"] = round(changes/s, 1)
		if docs > 0 {
			m["docs"], m["docs_per_s"] = docs, round(docs/s, 1)
		}
	}
	if c, ok := p.R["cuts"]; ok {
		m["cuts"] = c
	}
	return m
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

func (b *bench) emit(m map[string]any) {
	m["peer"] = "outpost"
	line, err := json.Marshal(m)
	if err != nil {
		b.log("encode result: %v", err)
		return
	}
	fmt.Fprintln(b.out, string(line))
	var decoded map[string]any // numbers as float64, as the harness's lines are read
	if err := json.Unmarshal(line, &decoded); err == nil {
		b.results = append(b.results, decoded)
	}
}

func (b *bench) facts() (map[string]storeFacts, error) {
	ctx := context.Background()
	out := map[string]storeFacts{}
	for name, p := range map[string]string{"A": chartPath(b.A), "B": chartPath(b.B)} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		f, err := inspectStore(ctx, p, true)
		if err != nil {
			return nil, err
		}
		out[name] = f
	}
	f, err := inspectStore(ctx, b.srv.dbPath(), false)
	if err != nil {
		return nil, err
	}
	out["server"] = f
	return out, nil
}

func disk(f map[string]storeFacts) map[string]int64 {
	return map[string]int64{"client_A": f["A"].DiskBytes, "client_B": f["B"].DiskBytes, "server_db": f["server"].DiskBytes}
}

// run is the whole benchmark.
func run(cfg config, out io.Writer) error {
	if err := os.RemoveAll(cfg.Work); err != nil {
		return err
	}
	b := &bench{cfg: cfg, A: filepath.Join(cfg.Work, "clientA"), B: filepath.Join(cfg.Work, "clientB"), out: out}
	srv, err := startServer(cfg.ServerBin, filepath.Join(cfg.Work, "server"))
	if err != nil {
		return err
	}
	defer srv.stop()
	b.srv = srv
	if b.px, err = startProxy(srv.addr); err != nil {
		return err
	}
	defer b.px.close()
	b.log("server pid %d on %s, proxy on %s", srv.pid(), srv.addr, b.px.addr())
	for _, s := range []func() error{b.s0, b.s1, b.s2, b.s2c, b.s3, b.s4, b.s5} {
		if err := s(); err != nil {
			return err
		}
	}
	return b.writeTable()
}

func (b *bench) s0() error {
	b.log("S0 loading %s into workstation A", b.cfg.Dataset)
	r, err := b.child("load", stepArgs{syncArgs: syncArgs{Dir: b.A}, Dataset: b.cfg.Dataset})
	if err != nil {
		return err
	}
	if err := b.enroll(b.A); err != nil {
		return err
	}
	// B enrols and joins A's practice now (as the app's join does before
	// its pull), so S2 measures the pull and the first sign-in.
	code, err := b.srv.enrollCode(b.px.addr())
	if err != nil {
		return err
	}
	if _, err := b.child("join", stepArgs{syncArgs: syncArgs{Dir: b.B}, Code: code}); err != nil {
		return err
	}
	if err := copyFile(idMapPath(b.A), idMapPath(b.B)); err != nil {
		return err
	}
	f, err := b.facts()
	if err != nil {
		return err
	}
	r["scenario"], r["date"], r["go"], r["cpus"] = "S0_setup", time.Now().UTC().Format("2006-01-02"), runtime.Version(), runtime.NumCPU()
	r["server"] = "outpost-server (real binary, HTTPS, TLS 1.3, SQLite) on 127.0.0.1 behind a counting TCP proxy"
	r["changes_in_log"] = f["A"].Changes
	b.docs = num(r["docs"])
	r["local_insert_seconds"] = round(num(r["seconds"]), 1)
	r["local_insert_docs_per_s"] = round(num(r["docs"])/num(r["seconds"]), 1)
	r["disk_bytes"] = disk(f)
	delete(r, "seconds")
	b.emit(r)
	return nil
}

func (b *bench) enroll(dir string) error {
	code, err := b.srv.enrollCode(b.px.addr())
	if err != nil {
		return err
	}
	_, err = b.child("enroll", stepArgs{syncArgs: syncArgs{Dir: dir}, Code: code})
	return err
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}
