package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// enrolTimeout bounds enrolment: one small request the person is waiting on.
const enrolTimeout = time.Minute

// enrolment is a parsed code and a clean device name, checked before any
// network traffic.
func enrolment(code, deviceName string) (wire.EnrollmentCode, string, error) {
	name := strings.TrimSpace(deviceName)
	if name == "" || len(name) > wire.MaxDeviceNameLen {
		return wire.EnrollmentCode{}, "", chart.FieldError("deviceName",
			"Give this workstation a name of 1 to %d characters (for example \"Front desk\").", wire.MaxDeviceNameLen)
	}
	c, err := transport.ParseEnrollmentCode(strings.TrimSpace(code))
	if err != nil {
		return c, "", userError(err, "code")
	}
	return c, name, nil
}

// userError gives a transport error the chart error form the frontend
// decodes (transport errors carry a message for the user).
func userError(err error, field string) error {
	var he *transport.Error
	if errors.As(err, &he) {
		ce := he.ChartError()
		ce.Field = field
		return ce
	}
	return err
}

// connect enrols this workstation's own device id under a new key, naming
// its practice (which binds a new server to it), and saves the identity.
func (sy *Sync) connect(s chart.Session, code, deviceName string) error {
	ws := sy.a.opts.Sync
	if ws == nil || sy.a.runner == nil {
		return chart.Errorf(chart.EINTERNAL, "Sync is not available in this build of Outpost.")
	}
	c, name, err := enrolment(code, deviceName)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(sy.a.ctx, enrolTimeout)
	defer cancel()
	dev, err := ws.DeviceID(ctx)
	if err != nil {
		return err
	}
	id, err := enrol(ctx, c, dev, name, s.Practice().ID)
	if err != nil {
		return err
	}
	if err := ws.SaveSyncIdentity(ctx, id); err != nil {
		return fmt.Errorf("connect to the practice server: %w", err)
	}
	if a, ok := s.(syncConnectAuditor); ok {
		return a.AuditSyncConnected(ctx, c.Addr)
	}
	return nil
}

// syncConnectAuditor is the session's record of a connection (an
// administrative act, audited like a practice setting).
type syncConnectAuditor interface {
	AuditSyncConnected(ctx context.Context, addr string) error
}

// enrol registers device with a new Ed25519 key.
func enrol(ctx context.Context, c wire.EnrollmentCode, dev chart.DeviceID, name string, practice chart.PracticeID) (wire.SyncIdentity, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return wire.SyncIdentity{}, fmt.Errorf("make device key: %w", err)
	}
	if _, err := transport.NewClient(c, dev, key).EnrollWith(ctx, c, name, practice); err != nil {
		return wire.SyncIdentity{}, userError(err, "code")
	}
	return wire.SyncIdentity{ServerAddr: c.Addr, Fingerprint: c.Fingerprint[:], DeviceID: dev, PrivateKey: key,
		PracticeID: practice, EnrolledAt: time.Now(), DeviceName: name}, nil
}

// join makes a fresh workstation a member of the practice the server
// serves, then pulls everything so its users can sign in.
func (sy *Sync) join(code, deviceName string) error {
	ws := sy.a.opts.Sync
	joiner, ok := ws.(PracticeJoiner)
	if !ok || sy.a.runner == nil {
		return chart.Errorf(chart.EINTERNAL, "Joining a practice is not available in this build of Outpost.")
	}
	ctx := sy.a.ctx
	st, err := sy.a.ws.Status(ctx)
	if err != nil {
		return err
	}
	id, enrolled, err := ws.SyncIdentity(ctx)
	if err != nil {
		return err
	}
	switch {
	case enrolled && st.NeedsFirstSignIn:
		// A join cut short: resume its pull (the code is not used again).
	case st.HasPractice || st.NeedsFirstSignIn:
		return chart.Errorf(chart.EINVALID, "This workstation already has a practice. An administrator can connect it to the practice server in Settings.")
	default:
		if id, err = sy.enrolNew(joiner, code, deviceName); err != nil {
			return err
		}
	}
	if err := sy.joinPull(joiner, id); err != nil {
		return err
	}
	sy.a.runner.Trigger()
	return nil
}

// enrolNew enrols under a new device id, takes the practice the server
// answers for, and saves the identity.
func (sy *Sync) enrolNew(joiner PracticeJoiner, code, deviceName string) (wire.SyncIdentity, error) {
	c, name, err := enrolment(code, deviceName)
	if err != nil {
		return wire.SyncIdentity{}, err
	}
	ctx, cancel := context.WithTimeout(sy.a.ctx, enrolTimeout)
	defer cancel()
	dev := chart.NewDeviceID()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return wire.SyncIdentity{}, fmt.Errorf("make device key: %w", err)
	}
	resp, err := transport.NewClient(c, dev, key).EnrollWith(ctx, c, name, "")
	if err != nil {
		return wire.SyncIdentity{}, userError(err, "code")
	}
	// The identity first: if BeginJoin then fails, a retry enrols afresh
	// and replaces it; the other way round a retry would be refused.
	id := wire.SyncIdentity{ServerAddr: c.Addr, Fingerprint: c.Fingerprint[:], DeviceID: dev, PrivateKey: key,
		PracticeID: resp.PracticeID, EnrolledAt: time.Now(), DeviceName: name}
	if err := sy.a.opts.Sync.SaveSyncIdentity(ctx, id); err != nil {
		return id, fmt.Errorf("join the practice: %w", err)
	}
	if err := joiner.BeginJoin(ctx, resp.PracticeID, dev); err != nil {
		return id, err
	}
	return id, nil
}

// joinPull takes the practice's records into the joining store from their
// heads (resuming a join cut short), showing progress through the status
// event.
func (sy *Sync) joinPull(joiner PracticeJoiner, id wire.SyncIdentity) (err error) {
	sy.setJoin(true, 0, "")
	defer func() { sy.setJoin(false, 0, userMessage(err)) }()
	c := transport.ClientFor(id)
	_, err = client.JoinFromHeads(sy.a.ctx, joiner, c, func(p client.Progress) {
		sy.setJoin(true, float64(p.Done)/float64(p.Total), "")
	})
	return userError(err, "")
}

// setJoin records the join's progress (or its failure) and emits it.
func (sy *Sync) setJoin(joining bool, progress float64, failure string) {
	u := &sy.a.syncUI
	u.mu.Lock()
	u.joining, u.joinProg, u.joinErr = joining, min(1, progress), failure
	u.joinPhase = ""
	if joining {
		u.joinPhase = client.PhaseReceiving
	}
	u.mu.Unlock()
	sy.a.emitSyncStatus()
}

// userMessage is err's message for the status bar ("" for nil).
func userMessage(err error) string {
	if err == nil {
		return ""
	}
	return chart.ErrorMessage(userError(err, ""))
}
