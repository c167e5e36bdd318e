package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// sealedMarker stands for a chart's content inside the sealed bytes: it
// must never reach a log line or a metric.
const sealedMarker = "CHART-CONTENT-MARKER-Hypertension-ICD10-I10"

// markedChanges are n changes of dev whose sealed bytes hold the marker
// (as plain text and amid random bytes).
func markedChanges(dev chart.DeviceID, patient chart.PatientID, n, size int) []wire.Change {
	out := make([]wire.Change, n)
	for i := range out {
		sealed := make([]byte, size)
		rand.Read(sealed)
		copy(sealed[size/2:], sealedMarker)
		out[i] = wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewPatientID()), Kind: "vitals",
			PatientID: patient, Version: 1, DeviceID: dev, UserID: chart.NewUserID(),
			HLC: clock.Timestamp{Wall: time.Now().UnixMilli(), Logical: uint32(i)}.String(), Sealed: sealed}
	}
	return out
}

// secrets are the strings of changes that only workstations may read:
// sealed content (raw and as JSON carries it) and the ids and kind of what
// was charted.
func secrets(changes []wire.Change) []string {
	out := []string{sealedMarker, "vitals"}
	for _, c := range changes {
		out = append(out, string(c.ChangeID), c.RecordID, string(c.PatientID), string(c.UserID),
			base64.StdEncoding.EncodeToString(c.Sealed)[:40])
	}
	return out
}

// The real binary, with JSON logs and metrics on: pushes whose sealed
// bytes and ids are known, a retried push, a refused forged one and one
// over quota. Every log line is JSON and holds none of them; the metrics
// counted the requests and their refusals and hold none of them either.
func TestLogsAndMetricsHoldNoChartData(t *testing.T) {
	dir := initDir(t)
	srv := startServer(t, dir, "-log-format", "json", "-log-level", "debug", "-metrics", "127.0.0.1:0", "-device-quota", "64KiB")
	if srv.metrics == "" {
		t.Fatal("serve -metrics printed no metrics address")
	}
	c := enrolClient(t, enrolCode(t, dir, srv.addr), nil)
	ctx := context.Background()
	patient := chart.NewPatientID()
	sent := markedChanges(c.DeviceID, patient, 5, 2000)
	for range 2 { // the second is a retry after a lost reply: acknowledged again
		if _, err := c.Push(ctx, sent); err != nil {
			t.Fatal(err)
		}
	}
	forged := markedChanges(chart.NewDeviceID(), patient, 1, 500) // names another device
	tooBig := markedChanges(c.DeviceID, patient, 2, 40000)
	for _, batch := range [][]wire.Change{forged, tooBig} {
		var te *transport.Error
		if _, err := c.Push(ctx, batch); !errors.As(err, &te) {
			t.Fatalf("push refused with %v, want a transport.Error", err)
		}
	}
	if _, err := c.Pull(ctx, 0, 100, nil); err != nil {
		t.Fatal(err)
	}
	all := append(append(append([]wire.Change{}, sent...), forged...), tooBig...)

	metrics := metricsWith(t, "http://"+srv.metrics+"/metrics", []string{
		`outpost_sync_requests_total{endpoint="push",status="200"} 2`,
		`outpost_sync_requests_total{endpoint="pull",status="200"} 1`,
		`outpost_sync_errors_total{code="invalid",endpoint="push",reason=""} 1`,
		`outpost_sync_errors_total{code="too_large",endpoint="push",reason="quota"} 1`,
		`outpost_sync_changes_stored 5`,
		`go_gc_duration_seconds_count`,
	})
	if got := get(t, "http://"+srv.metrics+"/readyz"); got != "ready\n" {
		t.Errorf("readyz on the metrics address = %q", got)
	}
	if err := srv.stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	logs := srv.stderr.String()
	for _, s := range append(secrets(all), string(c.PracticeID)) {
		if strings.Contains(metrics, s) {
			t.Errorf("the metrics hold %q", s)
		}
	}
	for _, s := range secrets(all) {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q", s)
		}
	}
	checkJSONLines(t, logs, []string{"sync request", "sync request refused"})
}

// metricsWith reads the metrics at url until they hold every wanted line
// (or ten seconds pass, then reports the missing ones). A request is
// counted once its handler returns, which can be just after its client has
// read the whole reply: under load the last pull was sometimes not counted
// yet at the first read.
func metricsWith(t *testing.T, url string, wanted []string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		metrics := get(t, url)
		var missing []string
		for _, want := range wanted {
			if !strings.Contains(metrics, want) {
				missing = append(missing, want)
			}
		}
		if len(missing) == 0 {
			return metrics
		}
		if time.Now().After(deadline) {
			for _, m := range missing {
				t.Errorf("the metrics lack %s", m)
			}
			return metrics
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkJSONLines checks every line is one JSON object with a time, a level
// and a message, and that each wanted message was logged.
func checkJSONLines(t *testing.T, logs string, wanted []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec struct{ Time, Level, Msg string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Time == "" || rec.Level == "" || rec.Msg == "" {
			t.Errorf("not a JSON log line: %q (%v)", line, err)
		}
		seen[rec.Msg] = true
	}
	for _, m := range wanted {
		if !seen[m] {
			t.Errorf("no %q line logged; the log:\n%s", m, logs)
		}
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	io.Copy(&b, resp.Body)
	return b.String()
}

// The logging flags refuse what they do not know, before serving.
func TestServeRefusesUnknownLogFlags(t *testing.T) {
	dir := initDir(t)
	for _, args := range [][]string{{"-log-format", "xml"}, {"-log-level", "loud"}} {
		var out, errOut bytes.Buffer
		if code := run(append([]string{"serve", "-dir", dir, "-addr", "127.0.0.1:0"}, args...), &out, &errOut); code != 2 {
			t.Errorf("serve %v exited %d, want 2 (usage)", args, code)
		}
	}
}
