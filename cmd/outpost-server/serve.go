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
	"syscall"
	"time"

	"outpost/syncserver"
)

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs, dir := flags("serve")
	addr := fs.String("addr", "127.0.0.1:8443", "listen address")
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	pair, fp, err := loadCertificate(certPath(*dir), keyPath(*dir))
	if err != nil {
		return err
	}
	store, err := openExisting(*dir)
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	srv := &http.Server{
		Handler:           syncserver.NewServer(store, log).Handler(),
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
	fmt.Fprintf(stdout, "Certificate SHA-256 fingerprint: %s\nListening on https://%s\n", formatFingerprint(fp), ln.Addr())
	if err := serveUntilSignal(srv, ln); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Stopped.")
	return nil
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
