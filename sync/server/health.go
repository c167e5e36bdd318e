package server

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// readyTimeout bounds the store check of /readyz: a load balancer's probe
// must get an answer even when the store hangs.
const readyTimeout = 2 * time.Second

// handleHealth adds the probes a load balancer or supervisor polls. They
// need no signature and answer one word: nothing of a practice, a device
// or the store's contents (an internal failure goes to the log only).
//
//	GET /healthz  200 while the process serves (liveness)
//	GET /readyz   200 when the store answers a query, else 503 (readiness)
func (s *Server) handleHealth(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		healthReply(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := storeAnswers(ctx, s.store); err != nil {
			s.log.Error("readiness: the store does not answer", "err", err)
			healthReply(w, http.StatusServiceUnavailable, "store unavailable")
			return
		}
		healthReply(w, http.StatusOK, "ready")
	})
}

// storeAnswers runs the store's cheapest query. It asks for what a store
// has of those methods, so the probe stays the same whichever store
// implementation the server runs on.
func storeAnswers(ctx context.Context, store any) error {
	switch st := store.(type) {
	case interface {
		ServerID(context.Context) (string, error)
	}:
		_, err := st.ServerID(ctx)
		return err
	case interface {
		Identity(context.Context) (string, string, error)
	}:
		_, _, err := st.Identity(ctx)
		return err
	}
	return errors.New("the store has no query for a readiness check")
}

// HealthHandler serves the probes alone (for the metrics address).
func (s *Server) HealthHandler() http.Handler {
	mux := http.NewServeMux()
	s.handleHealth(mux)
	return mux
}

func healthReply(w http.ResponseWriter, status int, word string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(word + "\n"))
}
