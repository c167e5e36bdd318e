package sqlite

import (
	"context"
	"log/slog"
	gosync "sync"
	"time"

	"outpost/internal/worker"
)

// walAutoPages is SQLite's own checkpoint threshold on every connection
// (PRAGMA wal_autocheckpoint; SQLite's default, set here so it is said).
// The commit that crosses it copies the log into the database and waits on
// that file's fsync: a clinician's save, or the audit entry of a chart
// open, paid for one now and then. Day to day the log is copied in the
// background when writes pause (walCheckpointer), so interactive work
// rarely reaches the threshold; a long burst (a pull, an import, a
// benchmark's loop of saves) still does, and that is kept on purpose: with
// the threshold raised to 10,000 pages the log grew past its old size
// instead of starting over, every fsync then extended the file, and a save
// in such a burst took 30% longer (BenchmarkRegisterPatient). A var so
// that a test can lower it (for the stores it opens after).
var walAutoPages = 1000

// How long the background checkpointer waits after a commit: until writes
// have been quiet for walQuiet, and never longer than walLatest, so a burst
// of saves is copied once and a steady stream (a pull) still is, every
// walLatest.
const (
	walQuiet  = 500 * time.Millisecond
	walLatest = 3 * time.Second
)

// walCheckpointer copies the write-ahead log into the database in the
// background (PRAGMA wal_checkpoint(PASSIVE): it waits for no reader or
// writer, and none waits for it). A checkpoint moves no data between
// durable states, so one that fails or is cut short by Close loses
// nothing: the log keeps every committed frame until a later one copies it.
type walCheckpointer struct {
	run  func(context.Context)
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	once gosync.Once
}

func startCheckpointer(run func(context.Context)) *walCheckpointer {
	c := &walCheckpointer{run: run, kick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// written tells the checkpointer a transaction committed. It never blocks.
func (c *walCheckpointer) written() {
	if c == nil { // a store not opened by OpenWorkstation
		return
	}
	select {
	case c.kick <- struct{}{}:
	default: // a checkpoint is already due
	}
}

// close stops the checkpointer, waiting for a checkpoint under way. A
// second close does nothing.
func (c *walCheckpointer) close() {
	if c == nil {
		return
	}
	c.once.Do(func() { close(c.stop) })
	<-c.done
}

func (c *walCheckpointer) loop() {
	defer close(c.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-c.stop; cancel() }()
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		if !c.settle() {
			return
		}
		// A checkpoint that panics is one that failed (it loses nothing,
		// see above); the next commit asks for another. Nothing else on
		// this goroutine would recover it, and it would end the app.
		if err := worker.Guard(func() error { c.run(ctx); return nil }); err != nil {
			slog.Warn("background checkpoint failed", "err", err)
		}
	}
}

// settle waits until the writes pause (walQuiet) or walLatest has passed,
// and says false when the checkpointer is stopped meanwhile.
func (c *walCheckpointer) settle() bool {
	latest := time.NewTimer(walLatest)
	defer latest.Stop()
	quiet := time.NewTimer(walQuiet)
	defer quiet.Stop()
	for {
		select {
		case <-c.stop:
			return false
		case <-latest.C:
			return true
		case <-quiet.C:
			return true
		case <-c.kick:
			quiet.Reset(walQuiet)
		}
	}
}
