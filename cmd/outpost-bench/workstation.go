package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"outpost/chart"
	"outpost/sqlite"
	"outpost/sync/transport"
)

// Bench workstations use a low scrypt work factor: sign-in is not a sync
// figure, and every step is its own process that signs in again.
const (
	benchWorkFactor = 10
	adminUser       = "ada"
	adminPass       = "correct horse battery staple"
	// The administrator may not write clinical content, so the records are
	// written, read and synced by a clinician.
	clinicianUser = "cleo"
	clinicianPass = "clinician horse battery staple"
)

func chartPath(dir string) string  { return filepath.Join(dir, "chart.db") }
func devicePath(dir string) string { return filepath.Join(dir, "device.json") }
func idMapPath(dir string) string  { return filepath.Join(dir, "ids.json") }

// openSignedIn opens the workstation in dir and signs the clinician in.
func openSignedIn(ctx context.Context, dir string) (*sqlite.Workstation, *sqlite.Session, error) {
	w, err := sqlite.OpenWorkstation(ctx, chartPath(dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return nil, nil, err
	}
	s, err := w.SignIn(ctx, clinicianUser, clinicianPass)
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("sign in on %s: %w", dir, err)
	}
	return w, s.(*sqlite.Session), nil
}

// deviceFile is the bench's record of a workstation's enrolment. The app
// will keep its device key in its own store; the bench keeps it beside the
// chart so that each step's process can sign requests.
type deviceFile struct {
	DeviceID    chart.DeviceID     `json:"deviceId"`
	PrivateKey  ed25519.PrivateKey `json:"privateKey"`
	BaseURL     string             `json:"baseUrl"`
	Fingerprint []byte             `json:"fingerprint"`
	PracticeID  chart.PracticeID   `json:"practiceId"`
}

// enroll registers the workstation in dir with the server named in code.
func enroll(ctx context.Context, dir, code string) (deviceFile, error) {
	var df deviceFile
	ec, err := transport.ParseEnrollmentCode(code)
	if err != nil {
		return df, err
	}
	w, s, err := openSignedIn(ctx, dir)
	if err != nil {
		return df, err
	}
	defer w.Close()
	st, err := w.Status(ctx)
	if err != nil {
		return df, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return df, err
	}
	// The enrolment binds the server to this practice (the first device)
	// or checks that the device belongs to it.
	c := transport.NewClient(ec, st.DeviceID, priv)
	resp, err := c.EnrollWith(ctx, ec, "bench "+filepath.Base(dir), s.Practice().ID)
	if err != nil {
		return df, fmt.Errorf("enrol %s: %w", dir, err)
	}
	df = deviceFile{DeviceID: st.DeviceID, PrivateKey: priv, BaseURL: c.BaseURL, Fingerprint: ec.Fingerprint[:],
		PracticeID: resp.PracticeID}
	return df, writeJSON(devicePath(dir), df)
}

// newClient returns the enrolled workstation's sync client with the
// counting (and, for S5, faulty) transport around the real one.
func newClient(dir string, link *linkRT) (*transport.Client, error) {
	var df deviceFile
	if err := readJSON(devicePath(dir), &df); err != nil {
		return nil, err
	}
	hc := transport.NewHTTPClient(df.Fingerprint)
	link.inner = hc.Transport
	hc.Transport = link
	return &transport.Client{BaseURL: df.BaseURL, PinnedFingerprint: df.Fingerprint, DeviceID: df.DeviceID,
		PrivateKey: df.PrivateKey, PracticeID: df.PracticeID, HTTP: hc}, nil
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
