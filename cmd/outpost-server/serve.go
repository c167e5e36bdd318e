package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"outpost/sync/server"
)

// Defaults of the serve flags. The memory ceiling fits a small practice
// server beside other services; request bodies get half of it (see
// server.Options.BodyMemory), the rest is the store's cache, replies
// and the runtime.
const (
	defaultMemoryLimit   = 128 << 20
	defaultFlushInterval = 10 * time.Second
)

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs, dir := flags("serve")
	addr := fs.String("addr", "127.0.0.1:8443", "listen address")
	memory := sizeFlag(fs, "memory-limit", defaultMemoryLimit, "memory the server aims to stay under, e.g. 128MiB")
	quota := sizeFlag(fs, "device-quota", server.DefaultDeviceQuota, "storage each workstation may use on the server, e.g. 4GiB (0: no limit)")
	flush := fs.Duration("flush-interval", defaultFlushInterval, "how often workstations' last-sync times are saved")
	profileDir := fs.String("cpuprofile", "", "developers: SIGUSR1 starts, and the next stops, a CPU profile written in this folder")
	metricsAddr := fs.String("metrics", "", "listen address of the Prometheus metrics over plain HTTP, e.g. 127.0.0.1:9090 (default: off)")
	logs := addLogFlags(fs)
	url := storeFlag(fs)
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	log, err := logs.logger(stderr)
	if err != nil {
		return err
	}
	if *flush <= 0 {
		return fmt.Errorf("%w: -flush-interval must be positive", errUsage)
	}
	if *memory < 64<<20 {
		return fmt.Errorf("%w: -memory-limit must be at least 64MiB", errUsage)
	}
	pair, fp, err := loadCertificate(certPath(*dir), keyPath(*dir))
	if err != nil {
		return err
	}
	store, err := openStore(*dir, *url)
	if err != nil {
		return err
	}
	defer store.Close()
	// A soft limit: the collector works harder near it, and admission
	// control keeps request bodies under half of it.
	debug.SetMemoryLimit(*memory)
	syncSrv, err := server.NewServer(context.Background(), store, log, server.Options{
		Fingerprint: fp[:], DeviceQuota: quotaOption(*quota), BodyMemory: *memory / 2})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler:           syncSrv.Handler(),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{pair}},
		ReadHeaderTimeout: 15 * time.Second,
		ReadTimeout:       10 * time.Minute, // a full push over a slow link
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// The bound address is printed (not just the requested one) so that
	// -addr 127.0.0.1:0 is usable by scripts and tests.
	fmt.Fprintf(stdout, "Certificate SHA-256 fingerprint: %s\n", formatFingerprint(fp))
	stopMetrics, err := serveMetrics(*metricsAddr, syncSrv, log, stdout)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMetrics()
	fmt.Fprintf(stdout, "Listening on https://%s\n", ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "metrics", *metricsAddr)
	stopProfile, err := profileOnSignal(*profileDir, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopProfile()
	stopFlush := flushEvery(syncSrv, *flush, log)
	serveErr := serveUntilSignal(srv, ln)
	stopFlush()
	// After Shutdown no request is in flight: what the ledger holds is
	// complete.
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := syncSrv.Close(closeCtx); err != nil {
		log.Error("save request ledger", "err", err)
	}
	if serveErr != nil {
		return serveErr
	}
	fmt.Fprintln(stdout, "Stopped.")
	return nil
}

// quotaOption maps the flag (0: none) to server.Options (negative: none).
func quotaOption(q int64) int64 {
	if q == 0 {
		return -1
	}
	return q
}

// flushEvery saves last-seen times periodically until the returned stop.
func flushEvery(s *server.Server, every time.Duration, log *slog.Logger) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := s.Flush(context.Background()); err != nil {
					log.Error("save last-seen times", "err", err)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// serveUntilSignal serves until SIGINT/SIGTERM, then stops accepting and
// lets requests in flight finish (a push in flight commits or rolls back
// whole either way).
func serveUntilSignal(srv *http.Server, ln net.Listener) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
