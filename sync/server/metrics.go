package server

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (tests run several servers in one process). Labels take their values
// from closed sets the server names (endpoints, statuses, error codes and
// reasons, budgets), never from a request: no device, practice, record or
// patient id can reach a label, and a stranger cannot grow the series.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec   // endpoint, status
	errors    *prometheus.CounterVec   // endpoint, code, reason
	latency   *prometheus.HistogramVec // endpoint
	bytesIn   *prometheus.CounterVec   // endpoint
	bytesOut  *prometheus.CounterVec   // endpoint
	inFlight  prometheus.Gauge
	admitWait *prometheus.HistogramVec // budget
	refused   *prometheus.CounterVec   // budget
}

// latencyBuckets span a pull served from cache to a large push queued
// behind durable commits on a busy box (seconds).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// changeCounter is a store that can count its changes (both do).
type changeCounter interface {
	ChangeCount(context.Context) (int64, error)
}

func newMetrics(store any) *metrics {
	const ns = "outpost_sync"
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "requests_total",
			Help: "Requests by endpoint and HTTP status."}, []string{"endpoint", "status"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "errors_total",
			Help: "Refused or failed requests by endpoint, error code and reason (docs/SYNC.md)."}, []string{"endpoint", "code", "reason"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "request_duration_seconds",
			Help: "Time from the request's headers to the end of its reply.", Buckets: latencyBuckets}, []string{"endpoint"}),
		bytesIn: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "request_bytes_total",
			Help: "Request body bytes read (compressed, as sent)."}, []string{"endpoint"}),
		bytesOut: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "response_bytes_total",
			Help: "Reply body bytes written (compressed, as sent)."}, []string{"endpoint"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "requests_in_flight",
			Help: "Requests being served now."}),
		admitWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "admission_wait_seconds",
			Help:    "Time a request waited for memory or a decoding slot (admission control), by budget.",
			Buckets: []float64{.0001, .001, .01, .1, .5, 1, 2.5, 5}}, []string{"budget"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "admission_refusals_total",
			Help: "Requests refused as busy after waiting their turn too long, by budget."}, []string{"budget"}),
	}
	m.reg.MustRegister(m.requests, m.errors, m.latency, m.bytesIn, m.bytesOut, m.inFlight, m.admitWait, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if c, ok := store.(changeCounter); ok {
		m.reg.MustRegister(storedGauge(ns, c))
	}
	return m
}

// storedGauge reads the store's change count at each scrape (on several
// processes over one store, each reports the same total).
func storedGauge(ns string, c changeCounter) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "changes_stored",
		Help: "Changes in the store (read when scraped)."}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n, err := c.ChangeCount(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
}

// MetricsHandler serves the metrics in the Prometheus text format. Serve
// it on its own address (outpost-server serve -metrics), not beside the
// sync port.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{Registry: s.metrics.reg})
}

// admitted records how long a request waited for budget and whether it
// got in; m may be nil (an admission made outside a Server).
func (m *metrics) admitted(budget string, waited time.Duration, err error) {
	if m == nil {
		return
	}
	m.admitWait.WithLabelValues(budget).Observe(waited.Seconds())
	if err != nil {
		m.refused.WithLabelValues(budget).Inc()
	}
}
