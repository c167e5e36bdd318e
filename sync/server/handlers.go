package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"outpost/sync/wire"
)

// knownDevice returns the enrolled device named by the request.
func (s *Server) knownDevice(r *http.Request) (Device, error) {
	dev, err := s.store.Device(r.Context(), r.Header.Get(wire.HeaderDevice))
	if errors.Is(err, ErrUnknownDevice) {
		return dev, fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonUnknownDevice,
			"This workstation is not enrolled with the practice server.")
	}
	return dev, err
}

// audience is this server as the device's requests must name it: with
// the device's practice, so a request signed for one practice is no good
// at another.
func (s *Server) audience(dev Device) wire.Audience {
	return wire.Audience{PracticeID: dev.PracticeID, Fingerprint: s.fingerprint}
}

// authenticate checks signature, clock, revocation and replay, in that
// order, so an unsigned request learns nothing but "not valid".
func (s *Server) authenticate(r *http.Request, dev Device, body []byte) error {
	a := wire.RequestAuth{
		DeviceID:  dev.ID,
		Timestamp: r.Header.Get(wire.HeaderTimestamp),
		Nonce:     r.Header.Get(wire.HeaderNonce),
		Signature: r.Header.Get(wire.HeaderSignature),
	}
	now := s.Now()
	if err := a.Verify(dev.PublicKey, s.audience(dev), r.Method, r.URL.Path, body, now); err != nil {
		if errors.Is(err, wire.ErrClockSkew) {
			return fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonClockSkew,
				fmt.Sprintf("This workstation's clock differs from the server's by more than %s.", wire.MaxClockSkew))
		}
		return fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonBadSignature,
			"The request signature is not valid for this workstation and this server.")
	}
	if dev.Revoked() {
		return fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonRevoked,
			"This workstation has been revoked by the practice administrator.")
	}
	switch err := s.ledger.Admit(r.Context(), dev.ID, a.Nonce, a.SignedAt(), now); {
	case errors.Is(err, ErrReplay):
		return fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonReplay,
			"This request was already received once (replay); it was refused.")
	case errors.Is(err, ErrRestarted):
		return fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonRestarted,
			"This request was signed before the practice server last started; sign it again.")
	case err != nil:
		return err
	}
	s.ledger.Seen(dev.ID, now)
	return nil
}

func (s *Server) enroll(ctx context.Context, _ Device, decode func(wire.Validator) error) (any, error) {
	var req wire.EnrollRequest
	if err := decode(&req); err != nil {
		return nil, err
	}
	practice, err := s.store.Enroll(ctx, req, s.Now())
	switch {
	case errors.Is(err, ErrBadCode):
		return nil, fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonBadCode,
			"The enrolment code is unknown, already used or expired. Ask your administrator for a new one.")
	case errors.Is(err, ErrWrongPractice):
		return nil, fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonWrongPractice,
			"This server belongs to another practice; this workstation cannot enrol with it. Check the enrolment code with your administrator.")
	case errors.Is(err, ErrNoPractice):
		return nil, fail(http.StatusConflict, wire.CodeInvalid, wire.ReasonNoPractice,
			"No workstation of this practice has connected yet: connect the practice's first workstation, then join.")
	case errors.Is(err, ErrDeviceExists):
		return nil, fail(http.StatusConflict, wire.CodeInvalid, "", "A workstation with this id is already enrolled.")
	case errors.Is(err, ErrKeyInUse):
		return nil, fail(http.StatusUnauthorized, wire.CodeUnauthorized, wire.ReasonKeyInUse,
			"This workstation's key is already enrolled or was revoked; enrol with a new key.")
	case err != nil:
		return nil, err
	}
	server, err := s.store.ServerID(ctx)
	if err != nil {
		return nil, err
	}
	s.log.Info("device enrolled", "device", req.DeviceID, "practice", practice)
	return &wire.EnrollResponse{PracticeID: chartPracticeID(practice), ServerID: server}, nil
}

func (s *Server) push(ctx context.Context, dev Device, decode func(wire.Validator) error) (any, error) {
	var req wire.PushRequest
	if err := decode(&req); err != nil {
		return nil, err
	}
	// A workstation pushes its own change log only; this also keeps one
	// device from posing as another in the relayed metadata.
	for _, c := range req.Changes {
		if string(c.DeviceID) != dev.ID {
			return nil, fail(http.StatusBadRequest, wire.CodeInvalid, "",
				fmt.Sprintf("Change %s names device %s, not the workstation that pushed it.", c.ChangeID, c.DeviceID))
		}
	}
	acks, err := s.store.Push(ctx, dev.ID, req.Changes, s.Now(), s.DeviceQuota)
	var quota *QuotaError
	if errors.As(err, &quota) {
		return nil, fail(http.StatusInsufficientStorage, wire.CodeTooLarge, wire.ReasonQuota, quotaMessage(dev, quota))
	}
	if err != nil {
		return nil, err
	}
	return &wire.PushResponse{Acks: acks}, nil
}

// quotaMessage tells the administrator what to do; the workstation shows it.
func quotaMessage(dev Device, q *QuotaError) string {
	return fmt.Sprintf("It holds %s from %q and this batch adds %s; the limit per workstation is %s. "+
		"Ask your administrator to restart the server with a larger -device-quota (see `outpost-server devices`).",
		size2(q.Stored), dev.Name, size2(q.Adding), size2(q.Quota))
}

func (s *Server) pull(ctx context.Context, dev Device, decode func(wire.Validator) error) (any, error) {
	var req wire.PullRequest
	if err := decode(&req); err != nil {
		return nil, err
	}
	resp, err := s.store.PullFor(ctx, dev.ID, req, s.MaxPullBytes)
	if err != nil {
		return nil, err
	}
	if !wants(ctx, wire.FeatureIncarnation) {
		resp.Incarnation = "" // a workstation built before it refuses the field
	}
	if wants(ctx, wire.FeatureSeqIDs) {
		ids, err := s.store.ChangeIDsAt(ctx, dev.ID, req.After, resp.Next)
		if err != nil {
			return nil, err
		}
		resp.AfterID, resp.NextID = ids[req.After], ids[resp.Next]
	}
	return &resp, nil
}
