package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/server/storetest"
	"outpost/sync/wire"
)

// scrape reads the server's metrics as Prometheus would.
func (f *fixture) scrape(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(f.server.MetricsHandler())
	defer ts.Close()
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sample returns the value of the series named exactly (name and labels as
// the text format writes them), or -1 if there is none.
func sample(t *testing.T, text, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("series %s: %v", series, err)
			}
			return n
		}
	}
	return -1
}

// After real requests the counters have moved by what was sent, refusals
// are counted by their reason, and no label holds an id.
func TestMetricsCountRealRequests(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	patient := chart.NewPatientID()
	changes := storetest.Changes(c.DeviceID, 3, patient, 300)
	if _, err := c.Push(context.Background(), changes); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Pull(context.Background(), 0, 10, nil); err != nil {
		t.Fatal(err)
	}
	// Unsigned and from no enrolled device: refused before the body is read.
	status, _ := f.send(t, rawRequest{path: "/v1/push", body: gzipJSON(t, wire.PushRequest{Changes: changes}),
		headers: map[string]string{wire.HeaderDevice: string(chart.NewDeviceID())}})
	if status != http.StatusUnauthorized {
		t.Fatalf("unsigned push = %d", status)
	}
	f.get(t, http.MethodGet, "/readyz")
	f.get(t, http.MethodGet, "/v1/"+string(patient)) // an unknown path, holding an id

	text := f.scrape(t)
	for series, want := range map[string]float64{
		`outpost_sync_requests_total{endpoint="enroll",status="200"}`:                            1,
		`outpost_sync_requests_total{endpoint="push",status="200"}`:                              1,
		`outpost_sync_requests_total{endpoint="push",status="401"}`:                              1,
		`outpost_sync_requests_total{endpoint="pull",status="200"}`:                              1,
		`outpost_sync_requests_total{endpoint="readyz",status="200"}`:                            1,
		`outpost_sync_requests_total{endpoint="other",status="404"}`:                             1,
		`outpost_sync_errors_total{code="unauthorized",endpoint="push",reason="unknown_device"}`: 1,
		`outpost_sync_errors_total{code="http_404",endpoint="other",reason=""}`:                  1,
		`outpost_sync_changes_stored`:                                                            3,
		`outpost_sync_request_duration_seconds_count{endpoint="push"}`:                           2,
		`outpost_sync_admission_refusals_total{budget="bodies"}`:                                 -1, // none refused: no series yet
	} {
		if got := sample(t, text, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	for _, series := range []string{`outpost_sync_request_bytes_total{endpoint="push"}`, `outpost_sync_response_bytes_total{endpoint="pull"}`,
		`outpost_sync_admission_wait_seconds_count{budget="bodies"}`, `outpost_sync_admission_wait_seconds_count{budget="decoding"}`,
		`go_goroutines`, `process_resident_memory_bytes`} {
		if got := sample(t, text, series); got <= 0 {
			t.Errorf("%s = %v, want > 0", series, got)
		}
	}
	ids := []string{string(f.practice), string(c.DeviceID), string(patient), string(changes[0].ChangeID), changes[0].RecordID}
	for _, id := range ids {
		if strings.Contains(text, id) {
			t.Errorf("the metrics hold the id %s", id)
		}
	}
	// Every label value is one of the server's own words.
	labels := regexp.MustCompile(`[a-z_]+="([^"]*)"`)
	for _, m := range labels.FindAllStringSubmatch(text, -1) {
		if len(m[1]) > 40 {
			t.Errorf("a label value looks like data: %q", m[0])
		}
	}
}
