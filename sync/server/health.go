package server

import (
	"context"
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
		if _, _, err := s.store.Identity(ctx); err != nil {
			s.log.Error("readiness: the store does not answer", "err", err)
			healthReply(w, http.StatusServiceUnavailable, "store unavailable")
			return
		}
		healthReply(w, http.StatusOK, "ready")
	})
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
