package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"outpost/sync/wire"
)

// Defaults of Options.
const (
	// DefaultDeviceQuota is what one workstation may store on the server:
	// years of a busy clinic's notes, with room for scanned documents.
	DefaultDeviceQuota = 4 << 30
	// DefaultBodyMemory bounds request bodies held and inflated at once
	// (see admission); it fits the largest push (MaxPushBody).
	DefaultBodyMemory = 96 << 20
	// DefaultBusyWait is how long a request waits for memory or a
	// decoding slot before it is refused as busy.
	DefaultBusyWait = 5 * time.Second
	// busyRetryAfter is the Retry-After of a busy reply, in seconds.
	busyRetryAfter = 2
)

// Options configure a Server.
type Options struct {
	// Fingerprint is the SHA-256 of the server's TLS certificate, which
	// workstations pin: requests are signed for it (required).
	Fingerprint []byte
	// DeviceQuota caps each device's stored bytes (0: DefaultDeviceQuota;
	// negative: no quota).
	DeviceQuota int64
	// BodyMemory bounds the memory of request bodies (0: DefaultBodyMemory).
	BodyMemory int64
	// MaxDecoding caps concurrent decompressions (0: the number of CPUs,
	// at least 2).
	MaxDecoding int
	// BusyWait (0: DefaultBusyWait).
	BusyWait time.Duration
	// Ledger remembers nonces and last-seen times (nil: the store's, see
	// Storage.NewLedger, of a process starting now).
	Ledger RequestLedger
}

// Server serves the sync protocol from a Store.
type Server struct {
	store Storage
	log   *slog.Logger
	// Now is the server clock (tests move it to check skew and expiry).
	Now func() time.Time
	// Limits bounds request bodies (default wire.DefaultEndpointLimits).
	Limits wire.EndpointLimits
	// MaxPullBytes caps a pull page (default MaxPullBytes).
	MaxPullBytes int
	// DeviceQuota caps each device's stored bytes (0: none).
	DeviceQuota int64
	// MaxProtocol is the newest protocol version served (default
	// wire.LatestProtocol); tests set wire.ProtocolV1 to stand for a
	// server built before v2.
	MaxProtocol int

	fingerprint []byte
	ledger      RequestLedger
	admit       *admission
	metrics     *metrics
}

// NewServer returns a server over store that logs request outcomes (never
// bodies) to log.
func NewServer(ctx context.Context, store Storage, log *slog.Logger, o Options) (*Server, error) {
	if len(o.Fingerprint) != sha256.Size {
		return nil, errors.New("sync server: the certificate fingerprint is missing")
	}
	if o.Ledger == nil {
		l, err := store.NewLedger(ctx, time.Now())
		if err != nil {
			return nil, fmt.Errorf("sync server: %w", err)
		}
		o.Ledger = l
	}
	switch {
	case o.DeviceQuota == 0:
		o.DeviceQuota = DefaultDeviceQuota
	case o.DeviceQuota < 0:
		o.DeviceQuota = 0
	}
	if o.BodyMemory <= 0 {
		o.BodyMemory = DefaultBodyMemory
	}
	if o.MaxDecoding <= 0 {
		o.MaxDecoding = max(2, runtime.GOMAXPROCS(0))
	}
	if o.BusyWait <= 0 {
		o.BusyWait = DefaultBusyWait
	}
	m := newMetrics(store)
	admit := newAdmission(o.BodyMemory, o.MaxDecoding, o.BusyWait)
	admit.metrics = m
	return &Server{store: store, log: log, Now: time.Now, Limits: wire.DefaultEndpointLimits, MaxPullBytes: MaxPullBytes,
		MaxProtocol: wire.LatestProtocol, DeviceQuota: o.DeviceQuota, fingerprint: bytes.Clone(o.Fingerprint), ledger: o.Ledger,
		admit: admit, metrics: m}, nil
}

// Flush saves the ledger's batched bookkeeping (last-seen times). The
// serve command calls it periodically and on shutdown.
func (s *Server) Flush(ctx context.Context) error { return s.ledger.Flush(ctx) }

// Close saves what the next server process needs (see MemoryLedger); call
// it once no request is in flight.
func (s *Server) Close(ctx context.Context) error { return s.ledger.Close(ctx) }

// Handler routes the protocol's endpoints and the health probes, counted
// and timed for MetricsHandler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v1/enroll", s.endpoint(false, func() wire.Limits { return s.Limits.Enroll }, s.enroll))
	mux.Handle("/v1/push", s.endpoint(true, func() wire.Limits { return s.Limits.Push }, s.push))
	mux.Handle("/v1/pull", s.endpoint(true, func() wire.Limits { return s.Limits.Pull }, s.pull))
	mux.Handle(wire.PathJoinHeads, s.endpoint(true, func() wire.Limits { return s.Limits.Pull }, s.joinHeads))
	mux.Handle(wire.PathAuditAnchor, s.endpoint(true, func() wire.Limits { return s.Limits.Enroll }, s.auditAnchor))
	s.handleHealth(mux)
	return s.observe(mux)
}

// handlerFunc handles one authenticated (or, for enrol, anonymous) request;
// decode reads its body into a message. It returns the reply value.
type handlerFunc func(ctx context.Context, dev Device, decode func(wire.Validator) error) (any, error)

// replyError is an error with its HTTP status and wire body.
type replyError struct {
	status int
	body   wire.ErrorBody
}

func (e *replyError) Error() string { return e.body.Code + ": " + e.body.Message }

func fail(status int, code, reason, msg string) *replyError {
	return &replyError{status: status, body: wire.ErrorBody{Code: code, Reason: reason, Message: msg}}
}

func (s *Server) endpoint(authenticated bool, limits func() wire.Limits, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := &request{s: s, r: r, lim: limits()}
		defer req.release()
		reply, err := s.serve(req, authenticated, h)
		if err != nil {
			s.writeError(w, req, err)
			return
		}
		// The reply speaks the request's protocol version.
		var buf bytes.Buffer
		if err := req.codec.Encode(&buf, reply); err != nil {
			s.writeError(w, req, err)
			return
		}
		w.Header().Set("Content-Type", req.codec.ContentType)
		if req.codec.ContentEncoding != "" {
			w.Header().Set("Content-Encoding", req.codec.ContentEncoding)
		}
		w.Header().Set(wire.HeaderProtocol, strconv.Itoa(req.codec.Version))
		// The length lets the workstation read a page of megabytes into one
		// buffer of that size (wire.Codec.Decode's size hint).
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Write(buf.Bytes())
		s.log.Info("sync request", "path", r.URL.Path, "device", req.dev.ID, "status", http.StatusOK, "protocol", req.codec.Version)
	})
}

// serve runs every check in order; nothing is written before all pass.
// The body is read only once the request is known to be of a plausible
// peer and size, and inflated only once it is authenticated and its
// declared size fits.
func (s *Server) serve(req *request, authenticated bool, h handlerFunc) (any, error) {
	r := req.r
	if r.Method != http.MethodPost {
		return nil, fail(http.StatusMethodNotAllowed, wire.CodeInvalid, "", "Only POST is supported.")
	}
	if err := s.negotiate(req); err != nil {
		return nil, err
	}
	if r.ContentLength > req.lim.Compressed {
		return nil, req.tooLarge("compressed", r.ContentLength)
	}
	if authenticated {
		// Before the body is read, so an unknown peer cannot make the
		// server buffer a large body.
		dev, err := s.knownDevice(r)
		if err != nil {
			return nil, err
		}
		req.dev = dev
	}
	if err := req.readBody(); err != nil {
		return nil, err
	}
	if authenticated {
		if err := s.authenticate(r, req.dev, req.body); err != nil {
			return nil, err
		}
	}
	return h(withFeatures(r.Context(), r.Header.Get(wire.HeaderFeatures)), req.dev, req.decode)
}

type featuresKey struct{}

// withFeatures carries the request's HeaderFeatures to its handler: the
// optional reply fields the workstation reads.
func withFeatures(ctx context.Context, header string) context.Context {
	return context.WithValue(ctx, featuresKey{}, header)
}

// wants reports whether the request named feature in HeaderFeatures.
func wants(ctx context.Context, feature string) bool {
	h, _ := ctx.Value(featuresKey{}).(string)
	return wire.HasFeature(h, feature)
}

// writeError sends err as an ErrorResponse; anything that is not a
// replyError is internal and its detail stays in the log.
func (s *Server) writeError(w http.ResponseWriter, req *request, err error) {
	r, dev := req.r, req.dev
	var re *replyError
	switch {
	case errors.As(err, &re):
		s.log.Warn("sync request refused", "path", r.URL.Path, "device", dev.ID, "status", re.status, "code", re.body.Code, "reason", re.body.Reason)
	case errors.Is(err, errBusy) || errors.Is(err, ErrLedgerFull):
		re = fail(http.StatusServiceUnavailable, wire.CodeBusy, "", "The practice server is busy; try again in a moment.")
		w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
		s.log.Warn("sync request refused: busy", "path", r.URL.Path, "device", dev.ID)
	default:
		s.log.Error("sync request failed", "path", r.URL.Path, "device", dev.ID, "err", err)
		re = fail(http.StatusInternalServerError, wire.CodeInternal, "", "The practice server had an internal error; nothing was stored.")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(wire.HeaderProtocol, strconv.Itoa(req.replyVersion()))
	w.WriteHeader(re.status)
	writeJSON(w, wire.ErrorResponse{Error: re.body})
}
