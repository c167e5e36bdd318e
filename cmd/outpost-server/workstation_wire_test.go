package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"

	"outpost/chart"
	"outpost/sqlite"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// wireRecorder keeps every request and response body a client exchanges,
// decompressed, as the bytes that crossed the wire inside TLS.
type wireRecorder struct {
	inner http.RoundTripper
	mu    gosync.Mutex
	seen  [][]byte
}

func (w *wireRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		w.keep(body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := w.inner.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	w.keep(body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// keep stores body, and its decompressed form when it is gzip (v1) or
// a frame's deflated metadata (v2).
func (w *wireRecorder) keep(body []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen = append(w.seen, body)
	if meta, err := wire.FrameMetadata(body); err == nil {
		w.seen = append(w.seen, meta)
	}
	if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
		if plain, err := io.ReadAll(zr); err == nil {
			w.seen = append(w.seen, plain)
		}
	}
}

func (w *wireRecorder) total() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, b := range w.seen {
		n += len(b)
	}
	return n
}

func (w *wireRecorder) holds(word string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, b := range w.seen {
		if bytes.Contains(b, []byte(word)) {
			return true
		}
	}
	return false
}

func record(st *station) *wireRecorder {
	rec := &wireRecorder{inner: transport.NewHTTPClient(st.c.PinnedFingerprint).Transport}
	st.c.HTTP = &http.Client{Transport: rec}
	return rec
}

// TestNoPlaintextOnTheWireOrOnTheServer records every body two real
// workstations exchange with the real server binary while a patient, a
// signed clinical note and a new user travel, and scans them and the
// server's files: no patient name, phone, address, note text, staff name
// or practice name appears, though the other workstation reads them all.
func TestNoPlaintextOnTheWireOrOnTheServer(t *testing.T) {
	ctx := context.Background()
	r := newPracticeRig(t)
	a := r.firstStation(t, "A")
	recA := record(a)

	p, err := a.s.RegisterPatient(ctx, chart.Patient{GivenName: "Quintessa", FamilyName: "Vandermolen",
		BirthDate: "1958-02-03", Sex: chart.SexFemale, Phone: "+1 555 0987 654",
		Address: chart.Address{Line1: "77 Juniper Hollow Road", City: "Tonopah", Country: "US"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.s.AddUser(ctx, chart.NewUser{FullName: "Cordelia Featherstonehaugh", Username: "cleo",
		Role: chart.RoleClinician, Passphrase: wsPass}); err != nil {
		t.Fatal(err)
	}
	cs, err := a.w.SignIn(ctx, "cleo", wsPass)
	if err != nil {
		t.Fatal(err)
	}
	a.s = cs.(*sqlite.Session)
	enc, err := a.s.SaveEncounter(ctx, chart.Encounter{Meta: chart.Meta{PatientID: p.ID}, Type: chart.EncounterOffice,
		Start: "2026-11-23T08:30", Reason: "Haemoptysis after the mine dust"})
	if err != nil {
		t.Fatal(err)
	}
	note, err := a.s.SaveNoteDraft(ctx, chart.Note{Meta: chart.Meta{PatientID: p.ID}, EncounterID: enc.ID,
		Kind: chart.NoteClinical, Title: "Acute visit", TemplateID: "builtin-acute-soap", Sections: []chart.NoteSection{
			{Key: "subjective", Label: "Subjective", Text: "Coughing blood since the silverbirch harvest."},
			{Key: "plan", Label: "Plan", Text: "Chest radiograph in Tonopah."}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.s.SignNote(ctx, note.ID, note.Version); err != nil {
		t.Fatal(err)
	}
	a.sync(t)

	b := r.joinStation(t, a, "B")
	recB := record(b)
	b.sync(t)
	cb, err := b.w.SignIn(ctx, "cleo", wsPass)
	if err != nil {
		t.Fatalf("the clinician added on A cannot sign in on B: %v", err)
	}
	got, err := cb.Note(ctx, note.ID)
	if err != nil || got.Sections[0].Text != "Coughing blood since the silverbirch harvest." || !got.Signed() {
		t.Fatalf("B reads the note as %+v, %v; want the signed note", got, err)
	}

	secrets := []string{"Quintessa", "Vandermolen", "0987 654", "Juniper Hollow", "Tonopah", "Haemoptysis",
		"silverbirch", "radiograph", "Cordelia", "Featherstonehaugh", "Outpost Valley Clinic"}
	if recA.total() == 0 || recB.total() == 0 {
		t.Fatal("the recorder saw no traffic")
	}
	for _, w := range secrets {
		if recA.holds(w) || recB.holds(w) {
			t.Errorf("%q crossed the wire in plaintext", w)
		}
	}
	files, err := filepath.Glob(filepath.Join(r.dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("server files: %v %v", files, err)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			continue // a directory
		}
		for _, w := range secrets {
			if bytes.Contains(body, []byte(w)) {
				t.Errorf("%q is in the server's %s in plaintext", w, filepath.Base(f))
			}
		}
	}
}
