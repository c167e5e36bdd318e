package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// get fetches path from the fixture's sync address without signing.
func (f *fixture) get(t *testing.T, method, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// The probes need no signature, answer one word, and readiness follows the
// store: a load balancer stops sending work to a process whose store is gone.
func TestHealthProbes(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t) // the server is bound: a leak of its practice would show
	for _, p := range []struct{ path, want string }{{"/healthz", "ok\n"}, {"/readyz", "ready\n"}} {
		status, body := f.get(t, http.MethodGet, p.path)
		if status != http.StatusOK || body != p.want {
			t.Errorf("GET %s = %d %q, want 200 %q", p.path, status, body, p.want)
		}
		if strings.Contains(body, string(f.practice)) || strings.Contains(body, string(c.DeviceID)) {
			t.Errorf("GET %s tells a practice or device id: %q", p.path, body)
		}
	}
	if status, _ := f.get(t, http.MethodPost, "/healthz"); status != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", status)
	}
	f.store.Close()
	if status, body := f.get(t, http.MethodGet, "/readyz"); status != http.StatusServiceUnavailable || body != "store unavailable\n" {
		t.Errorf("GET /readyz with the store closed = %d %q, want 503 %q", status, body, "store unavailable\n")
	}
	if status, _ := f.get(t, http.MethodGet, "/healthz"); status != http.StatusOK {
		t.Errorf("GET /healthz with the store closed = %d, want 200 (the process is alive)", status)
	}
}
