package syncserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	hlc "outpost/sync"
)

// Server serves the sync protocol from a Store.
type Server struct {
	store *Store
	log   *slog.Logger
	// Now is the server clock (tests move it to check skew and expiry).
	Now func() time.Time
	// Limits bounds request bodies (default hlc.DefaultLimits).
	Limits hlc.Limits
	// MaxPullBytes caps a pull page (default MaxPullBytes).
	MaxPullBytes int
}

// NewServer returns a server over store that logs request outcomes (never
// bodies) to log.
func NewServer(store *Store, log *slog.Logger) *Server {
	return &Server{store: store, log: log, Now: time.Now, Limits: hlc.DefaultLimits, MaxPullBytes: MaxPullBytes}
}

// Handler routes the protocol's endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v1/enroll", s.endpoint(false, s.enroll))
	mux.Handle("/v1/push", s.endpoint(true, s.push))
	mux.Handle("/v1/pull", s.endpoint(true, s.pull))
	mux.Handle(hlc.PathAuditAnchor, s.endpoint(true, s.auditAnchor))
	return mux
}

// handlerFunc handles one authenticated (or, for enrol, anonymous) request
// whose raw gzip body is body, returning the reply value.
type handlerFunc func(ctx context.Context, dev Device, body []byte) (any, error)

// replyError is an error with its HTTP status and wire body.
type replyError struct {
	status int
	body   hlc.ErrorBody
}

func (e *replyError) Error() string { return e.body.Code + ": " + e.body.Message }

func fail(status int, code, reason, msg string) *replyError {
	return &replyError{status: status, body: hlc.ErrorBody{Code: code, Reason: reason, Message: msg}}
}

func (s *Server) endpoint(authenticated bool, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply, dev, err := s.serve(r, authenticated, h)
		if err != nil {
			s.writeError(w, r, dev, err)
			return
		}
		var buf bytes.Buffer
		if err := hlc.Encode(&buf, reply); err != nil {
			s.writeError(w, r, dev, err)
			return
		}
		w.Header().Set("Content-Type", hlc.ContentType)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set(hlc.HeaderProtocol, strconv.Itoa(hlc.ProtocolVersion))
		w.Write(buf.Bytes())
		s.log.Info("sync request", "path", r.URL.Path, "device", dev.ID, "status", http.StatusOK)
	})
}

// serve runs every check in order; nothing is written before all pass.
func (s *Server) serve(r *http.Request, authenticated bool, h handlerFunc) (any, Device, error) {
	var dev Device
	if r.Method != http.MethodPost {
		return nil, dev, fail(http.StatusMethodNotAllowed, hlc.CodeInvalid, "", "Only POST is supported.")
	}
	if v := r.Header.Get(hlc.HeaderProtocol); v != strconv.Itoa(hlc.ProtocolVersion) {
		return nil, dev, fail(http.StatusUpgradeRequired, hlc.CodeIncompatible, "",
			fmt.Sprintf("This server speaks sync protocol %d; the request used %q. Update Outpost on this workstation or the server.", hlc.ProtocolVersion, v))
	}
	if r.Header.Get("Content-Encoding") != "gzip" {
		return nil, dev, fail(http.StatusBadRequest, hlc.CodeInvalid, "", "The request body must be gzip-compressed.")
	}
	if authenticated {
		// Before the body is read, so an unknown peer cannot make the
		// server buffer a large body.
		var err error
		if dev, err = s.knownDevice(r); err != nil {
			return nil, dev, err
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, s.Limits.Compressed))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, dev, fail(http.StatusRequestEntityTooLarge, hlc.CodeTooLarge, "",
				fmt.Sprintf("The request is larger than the server accepts (%d MiB compressed).", s.Limits.Compressed>>20))
		}
		return nil, dev, fail(http.StatusBadRequest, hlc.CodeInvalid, "", "The request body could not be read.")
	}
	if authenticated {
		if err := s.authenticate(r, dev, body); err != nil {
			return nil, dev, err
		}
	}
	reply, err := h(r.Context(), dev, body)
	return reply, dev, err
}

// knownDevice returns the enrolled device named by the request.
func (s *Server) knownDevice(r *http.Request) (Device, error) {
	dev, err := s.store.Device(r.Context(), r.Header.Get(hlc.HeaderDevice))
	if errors.Is(err, ErrUnknownDevice) {
		return dev, fail(http.StatusUnauthorized, hlc.CodeUnauthorized, hlc.ReasonUnknownDevice,
			"This workstation is not enrolled with the practice server.")
	}
	return dev, err
}

// authenticate checks signature, clock, revocation and replay, in that
// order, so an unsigned request learns nothing but "not valid".
func (s *Server) authenticate(r *http.Request, dev Device, body []byte) error {
	a := hlc.RequestAuth{
		DeviceID:  dev.ID,
		Timestamp: r.Header.Get(hlc.HeaderTimestamp),
		Nonce:     r.Header.Get(hlc.HeaderNonce),
		Signature: r.Header.Get(hlc.HeaderSignature),
	}
	now := s.Now()
	if err := a.Verify(dev.PublicKey, r.Method, r.URL.Path, body, now); err != nil {
		if errors.Is(err, hlc.ErrClockSkew) {
			return fail(http.StatusUnauthorized, hlc.CodeUnauthorized, hlc.ReasonClockSkew,
				fmt.Sprintf("This workstation's clock differs from the server's by more than %s.", hlc.MaxClockSkew))
		}
		return fail(http.StatusUnauthorized, hlc.CodeUnauthorized, hlc.ReasonBadSignature,
			"The request signature is not valid for this workstation.")
	}
	if dev.Revoked() {
		return fail(http.StatusUnauthorized, hlc.CodeUnauthorized, hlc.ReasonRevoked,
			"This workstation has been revoked by the practice administrator.")
	}
	if err := s.store.SeeNonce(r.Context(), dev.ID, a.Nonce, now); errors.Is(err, ErrReplay) {
		return fail(http.StatusUnauthorized, hlc.CodeUnauthorized, hlc.ReasonReplay,
			"This request was already received once (replay); it was refused.")
	} else if err != nil {
		return err
	}
	return nil
}

// decode maps codec errors to replies.
func (s *Server) decode(body []byte, v hlc.Validator) error {
	err := hlc.Decode(bytes.NewReader(body), v, s.Limits)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, hlc.ErrTooLarge):
		return fail(http.StatusRequestEntityTooLarge, hlc.CodeTooLarge, "", fmt.Sprintf("The request is larger than the server accepts (%d MiB uncompressed).", s.Limits.Uncompressed>>20))
	default:
		return fail(http.StatusBadRequest, hlc.CodeInvalid, "", "The request was malformed: "+err.Error())
	}
}

func (s *Server) enroll(ctx context.Context, _ Device, body []byte) (any, error) {
	var req hlc.EnrollRequest
	if err := s.decode(body, &req); err != nil {
		return nil, err
	}
	err := s.store.Enroll(ctx, req, s.Now())
	switch {
	case errors.Is(err, ErrBadCode):
		return nil, fail(http.StatusUnauthorized, hlc.CodeUnauthorized, hlc.ReasonBadCode,
			"The enrolment code is unknown, already used or expired. Ask your administrator for a new one.")
	case errors.Is(err, ErrWrongPractice):
		return nil, fail(http.StatusUnauthorized, hlc.CodeUnauthorized, hlc.ReasonWrongPractice,
			"This server belongs to another practice; this workstation cannot enrol with it. Check the enrolment code with your administrator.")
	case errors.Is(err, ErrNoPractice):
		return nil, fail(http.StatusConflict, hlc.CodeInvalid, hlc.ReasonNoPractice,
			"No workstation of this practice has connected yet: connect the practice's first workstation, then join.")
	case errors.Is(err, ErrDeviceExists):
		return nil, fail(http.StatusConflict, hlc.CodeInvalid, "", "A workstation with this id is already enrolled.")
	case err != nil:
		return nil, err
	}
	practice, server, err := s.store.Identity(ctx)
	if err != nil {
		return nil, err
	}
	s.log.Info("device enrolled", "device", req.DeviceID, "practice", practice)
	return &hlc.EnrollResponse{PracticeID: chartPracticeID(practice), ServerID: server}, nil
}

func (s *Server) push(ctx context.Context, dev Device, body []byte) (any, error) {
	var req hlc.PushRequest
	if err := s.decode(body, &req); err != nil {
		return nil, err
	}
	// A workstation pushes its own change log only; this also keeps one
	// device from posing as another in the relayed metadata.
	for _, c := range req.Changes {
		if string(c.DeviceID) != dev.ID {
			return nil, fail(http.StatusBadRequest, hlc.CodeInvalid, "",
				fmt.Sprintf("Change %s names device %s, not the workstation that pushed it.", c.ChangeID, c.DeviceID))
		}
	}
	acks, err := s.store.Push(ctx, dev.ID, req.Changes, s.Now())
	if err != nil {
		return nil, err
	}
	return &hlc.PushResponse{Acks: acks}, nil
}

func (s *Server) pull(ctx context.Context, dev Device, body []byte) (any, error) {
	var req hlc.PullRequest
	if err := s.decode(body, &req); err != nil {
		return nil, err
	}
	resp, err := s.store.PullFor(ctx, dev.ID, req, s.MaxPullBytes)
	if err != nil {
		return nil, err
	}
	if err := s.store.TouchDevice(ctx, dev.ID, s.Now()); err != nil {
		return nil, err
	}
	return &resp, nil
}

// writeError sends err as an ErrorResponse; anything that is not a
// replyError is internal and its detail stays in the log.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, dev Device, err error) {
	var re *replyError
	if !errors.As(err, &re) {
		s.log.Error("sync request failed", "path", r.URL.Path, "device", dev.ID, "err", err)
		re = fail(http.StatusInternalServerError, hlc.CodeInternal, "", "The practice server had an internal error; nothing was stored.")
	} else {
		s.log.Warn("sync request refused", "path", r.URL.Path, "device", dev.ID, "status", re.status, "code", re.body.Code, "reason", re.body.Reason)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(hlc.HeaderProtocol, strconv.Itoa(hlc.ProtocolVersion))
	w.WriteHeader(re.status)
	writeJSON(w, hlc.ErrorResponse{Error: re.body})
}
