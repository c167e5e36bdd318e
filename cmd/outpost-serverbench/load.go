package main

import (
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	gosync "sync"
	"time"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// loadConfig is the load phase: practices × workstations, each syncing
// visits (one push of a visit's changes, then pulls to the head), bounded
// by count and by duration.
type loadConfig struct {
	store                   string // sqlite or postgres
	pgURL                   string
	processes               int // server processes on PostgreSQL
	practices, workstations int
	visits                  int
	duration                time.Duration
	pullLimit               int
	serveFlags              []string
}

// station is one workstation: its clients (one per server process of its
// site, sharing one HTTP client as a workstation does), what it pushed and
// acknowledged, and every change it pulled.
type station struct {
	practice int
	clients  []*transport.Client
	turn     int
	user     chart.UserID
	cursor   int64
	acked    []chart.ChangeID
	outbox   []wire.Change // a batch not acknowledged yet: pushed again before the check
	received map[chart.ChangeID]int
	rng      *rand.Rand
}

// next is the client of the next request: round-robin over the processes.
func (st *station) next() *transport.Client {
	c := st.clients[st.turn%len(st.clients)]
	st.turn++
	return c
}

// loadRun collects what the workstations measured.
type loadRun struct {
	mu        gosync.Mutex
	latencies map[string][]time.Duration // by request type
	errors    map[string]int
	cutOff    int   // requests in flight when the time bound ended the run
	pushed    int   // changes acknowledged
	sealed    int64 // their sealed bytes
	pulled    int   // changes received
}

// observe records one request; one cut off by the run's time bound (ctx
// done) is counted apart, neither timed nor an error.
func (r *loadRun) observe(ctx context.Context, kind string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil && ctx.Err() != nil {
		r.cutOff++
		return
	}
	r.latencies[kind] = append(r.latencies[kind], d)
	if err != nil {
		r.errors[kind+": "+err.Error()]++
	}
}

func load(binary string, cfg loadConfig) error {
	loadStart := loadAverage()
	f, err := startFleet(binary, cfg)
	if err != nil {
		return err
	}
	defer f.stop()
	fmt.Printf("load: %s, %d practices × %d workstations, %d visits each (at most %s); %d server processes\n",
		cfg.store, cfg.practices, cfg.workstations, cfg.visits, cfg.duration, len(f.servers))
	run := &loadRun{latencies: map[string][]time.Duration{}, errors: map[string]int{}}
	t0 := time.Now()
	stations, err := enrolAll(f, cfg, run)
	if err != nil {
		return err
	}
	fmt.Printf("load: enrolled %d workstations in %s\n", len(stations), time.Since(t0).Round(time.Millisecond))
	cpu0 := benchCPU()
	ctx, cancel := context.WithTimeout(context.Background(), cfg.duration)
	defer cancel()
	start := time.Now()
	var wg gosync.WaitGroup
	for _, st := range stations {
		wg.Add(1)
		go func() { defer wg.Done(); st.day(ctx, cfg, run) }()
	}
	wg.Wait()
	elapsed := time.Since(start)
	benchSecs := benchCPU() - cpu0
	report(f, cfg, run, elapsed, benchSecs, loadStart)
	return verify(stations, f.sites, cfg.pullLimit)
}

func startFleet(binary string, cfg loadConfig) (*fleet, error) {
	switch cfg.store {
	case "sqlite":
		return sqliteFleet(binary, cfg.practices, cfg.serveFlags)
	case "postgres":
		if !onLoopback(cfg.pgURL) {
			return nil, errors.New("-store postgres needs -pg postgres://USER@127.0.0.1:PORT/DB (an empty database on loopback)")
		}
		return postgresFleet(binary, cfg.pgURL, cfg.practices, cfg.processes, cfg.serveFlags)
	}
	return nil, fmt.Errorf("-store must be sqlite or postgres, not %q", cfg.store)
}

// onLoopback: the load stays on this machine, PostgreSQL included.
func onLoopback(pgURL string) bool {
	u, err := url.Parse(pgURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return false
	}
	switch u.Hostname() {
	case "127.0.0.1", "::1", "localhost":
		return true
	case "": // a Unix socket (?host=/run/postgresql)
		return strings.HasPrefix(u.Query().Get("host"), "/")
	}
	return false
}

// enrolAll enrols every practice's workstations: the first names a new
// practice, the others join it (several practices at once).
func enrolAll(f *fleet, cfg loadConfig, run *loadRun) ([]*station, error) {
	stations := make([]*station, cfg.practices*cfg.workstations)
	err := forEach(cfg.practices, 8, func(p int) error {
		practice := ""
		for w := range cfg.workstations {
			st, err := enrolStation(f.sites[p], p, practice, run)
			if err != nil {
				return fmt.Errorf("practice %d workstation %d: %w", p, w, err)
			}
			practice = string(st.clients[0].PracticeID)
			stations[p*cfg.workstations+w] = st
		}
		return nil
	})
	return stations, err
}

func enrolStation(s site, p int, practice string, run *loadRun) (*station, error) {
	code, err := s.code(practice)
	if err != nil {
		return nil, err
	}
	_, key, err := ed25519.GenerateKey(crand.Reader)
	if err != nil {
		return nil, err
	}
	c := transport.NewClient(code, chart.NewDeviceID(), key)
	named := chart.PracticeID(practice)
	if named == "" {
		named = chart.NewPracticeID()
	}
	t0 := time.Now()
	_, err = c.EnrollWith(context.Background(), code, "Exam room "+string(c.DeviceID)[:8], named)
	run.observe(context.Background(), "enroll", time.Since(t0), err)
	if err != nil {
		return nil, err
	}
	st := &station{practice: p, user: chart.NewUserID(), received: map[chart.ChangeID]int{},
		rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
	for _, srv := range s.servers {
		clone := *c
		clone.BaseURL = "https://" + srv.addr
		clone.HTTP = c.HTTP
		st.clients = append(st.clients, &clone)
	}
	if st.clients[0].HTTP == nil {
		hc := transport.NewHTTPClient(c.PinnedFingerprint)
		for _, cl := range st.clients {
			cl.HTTP = hc
		}
	}
	return st, nil
}

// day syncs the workstation's visits: each visit's changes pushed in one
// batch (retried as the sync loop would while the server is busy), then
// pulls to the head.
func (st *station) day(ctx context.Context, cfg loadConfig, run *loadRun) {
	for range cfg.visits {
		if ctx.Err() != nil {
			return
		}
		st.outbox = visit(st.clients[0].DeviceID, st.user, st.rng)
		if !st.push(ctx, run) {
			return
		}
		if !st.pullToHead(ctx, cfg.pullLimit, run) {
			return
		}
	}
}

// maxTries bounds the retries of one request refused as temporary.
const maxTries = 5

// push sends the outbox until it is acknowledged; a batch that is not
// stays there (its changes may be stored: the reply may be what was lost).
func (st *station) push(ctx context.Context, run *loadRun) bool {
	batch := st.outbox
	for try := 1; ; try++ {
		t0 := time.Now()
		_, err := st.next().Push(ctx, batch)
		run.observe(ctx, "push", time.Since(t0), err)
		if err == nil {
			run.mu.Lock()
			run.pushed += len(batch)
			for _, c := range batch {
				run.sealed += int64(len(c.Sealed))
				st.acked = append(st.acked, c.ChangeID)
			}
			run.mu.Unlock()
			st.outbox = nil
			return true
		}
		if !retry(ctx, err, try) {
			return false
		}
	}
}

func (st *station) pullToHead(ctx context.Context, limit int, run *loadRun) bool {
	for try := 1; ; {
		t0 := time.Now()
		page, err := st.next().Pull(ctx, st.cursor, limit, nil)
		run.observe(ctx, "pull", time.Since(t0), err)
		if err != nil {
			if !retry(ctx, err, try) {
				return false
			}
			try++
			continue
		}
		for _, c := range page.Changes {
			st.received[c.ChangeID]++
		}
		run.mu.Lock()
		run.pulled += len(page.Changes)
		run.mu.Unlock()
		st.cursor = page.Next
		if !page.More {
			return true
		}
	}
}

// retry waits before another try of a request refused as temporary (busy,
// a restart, a lost connection) and says whether to try again.
func retry(ctx context.Context, err error, try int) bool {
	var te *transport.Error
	if try >= maxTries || ctx.Err() != nil || (errors.As(err, &te) && !te.Temporary) {
		return false
	}
	select {
	case <-time.After(time.Duration(try) * 200 * time.Millisecond):
		return true
	case <-ctx.Done():
		return false
	}
}
