package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"slices"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// kindPatient is the change kind of a patient's demographics.
const kindPatient = "patient"

// randomSealedLen is the size of a forged sealed blob: about what a small
// real one is, so no size check gives it away.
const randomSealedLen = 80

// rogue is the enrolled hostile device.
type rogue struct {
	c *transport.Client
}

// forgery is one change to push and what it is, for the output.
type forgery struct {
	change wire.Change
	what   string
}

// enrol enrols a new device id under a new key, naming no practice (the
// way a workstation joins one).
func enrol(ctx context.Context, code, name string) (*rogue, error) {
	parsed, err := transport.ParseEnrollmentCode(code)
	if err != nil {
		return nil, err
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make device key: %w", err)
	}
	c := transport.NewClient(parsed, chart.NewDeviceID(), key)
	if _, err := c.Enroll(ctx, parsed, name); err != nil {
		return nil, fmt.Errorf("enrol: %w", err)
	}
	return &rogue{c: c}, nil
}

// forge makes the changes o asks for. It reads what the server holds
// first: the altered copies need genuine changes, and the random ones
// borrow a real user's id.
func (r *rogue) forge(ctx context.Context, o options) ([]forgery, error) {
	genuine, err := r.patientChanges(ctx)
	if err != nil {
		return nil, err
	}
	if len(genuine) < o.altered {
		return nil, fmt.Errorf("-altered %d: the server holds %d patient changes to copy", o.altered, len(genuine))
	}
	user := chart.NewUserID()
	if len(genuine) > 0 {
		user = genuine[0].UserID
	}
	var out []forgery
	for range o.random {
		f, err := r.randomPatient(user)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	for _, g := range genuine[:o.altered] {
		out = append(out, r.altered(g))
	}
	return out, nil
}

// randomPatient is a new patient record whose sealed bytes are random and
// which carries no authentication tag.
func (r *rogue) randomPatient(user chart.UserID) (forgery, error) {
	sealed := make([]byte, randomSealedLen)
	if _, err := io.ReadFull(rand.Reader, sealed); err != nil {
		return forgery{}, fmt.Errorf("random content: %w", err)
	}
	p := chart.NewPatientID()
	c := wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(p), Kind: kindPatient, PatientID: p, Version: 1,
		HLC: clock.Timestamp{Wall: time.Now().UnixMilli()}.String(), DeviceID: r.c.DeviceID, UserID: user, Sealed: sealed}
	return forgery{c, fmt.Sprintf("new patient %s, %d random bytes, no tag", p, randomSealedLen)}, nil
}

// altered is a copy of genuine moved to a new patient: its sealed bytes,
// version, parents, clock, user and tag as written, under a new change id
// and this device (the server takes a device's pushes under its own id only).
func (r *rogue) altered(genuine wire.Change) forgery {
	c := genuine
	p := chart.NewPatientID()
	c.ChangeID, c.DeviceID, c.RecordID, c.PatientID = chart.NewChangeID(), r.c.DeviceID, string(p), p
	c.Parents = slices.Clone(genuine.Parents)
	return forgery{c, fmt.Sprintf("copy of change %s (patient %s) moved to patient %s, its tag kept",
		genuine.ChangeID, genuine.PatientID, p)}
}

// patientChanges pulls everything and returns the patient changes, newest
// (highest seq) first.
func (r *rogue) patientChanges(ctx context.Context) ([]wire.Change, error) {
	var out []wire.Change
	for after, more := int64(0), true; more; {
		page, err := r.c.Pull(ctx, after, wire.MaxPullLimit, nil)
		if err != nil {
			return nil, fmt.Errorf("pull: %w", err)
		}
		for _, c := range page.Changes {
			if c.Kind == kindPatient {
				out = append(out, c)
			}
		}
		after, more = page.Next, page.More
	}
	slices.Reverse(out)
	return out, nil
}

// push sends the forgeries in one batch and prints each with its seq.
func (r *rogue) push(ctx context.Context, forged []forgery, out io.Writer) error {
	changes := make([]wire.Change, len(forged))
	for i, f := range forged {
		changes[i] = f.change
	}
	acks, err := r.c.Push(ctx, changes)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	for i, a := range acks {
		fmt.Fprintf(out, "pushed %s seq %d: %s\n", a.ChangeID, a.Seq, forged[i].what)
	}
	return nil
}
