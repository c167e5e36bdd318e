package server_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"outpost/sync/server"
	"outpost/sync/server/storetest"
	"outpost/sync/wire"
)

// A workstation built before incarnations (or seq ids) decodes replies
// strictly and would refuse a field it does not know: the server sends the
// incarnation, and the ids at the pull's seqs, only to a request naming
// them in Outpost-Features.
func TestPullSendsTheIncarnationOnlyWhenAsked(t *testing.T) {
	f := newFixture(t)
	c := f.enroll(t)
	want, err := f.store.Incarnation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pushed := storetest.Changes(c.DeviceID, 1, "", 64)
	if _, err := c.Push(context.Background(), pushed); err != nil {
		t.Fatal(err)
	}
	for _, features := range []string{"", "something-else", "something-else, " + wire.FeatureIncarnation, wire.FeatureSeqIDs} {
		// Accept-Encoding: the raw reply, not gunzipped by the transport.
		headers := map[string]string{"Accept-Encoding": "gzip"}
		if features != "" {
			headers[wire.HeaderFeatures] = features
		}
		req := f.request(t, rawRequest{path: "/v1/pull", body: gzipJSON(t, &wire.PullRequest{Limit: 10}), signer: c, headers: headers})
		resp, err := f.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		reply := map[string]any{}
		zr, err := gzip.NewReader(resp.Body)
		if err == nil {
			err = json.NewDecoder(zr).Decode(&reply)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("features %q: status %d, %v", features, resp.StatusCode, err)
		}
		got, sent := reply["incarnation"]
		if asked := wire.HasFeature(features, wire.FeatureIncarnation); asked != sent || asked && got != want {
			t.Fatalf("features %q: reply %v, want the incarnation %q only when asked", features, reply, want)
		}
		next, sent := reply["nextId"]
		if asked := wire.HasFeature(features, wire.FeatureSeqIDs); asked != sent || asked && next != string(pushed[0].ChangeID) {
			t.Fatalf("features %q: reply %v, want the id at next %s only when asked", features, reply, pushed[0].ChangeID)
		}
	}
}

// A store keeps its incarnation across opens; an older store gets one at
// its first open after the upgrade.
func TestIncarnationKeptAcrossOpens(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "server.db")
	first := openIncarnation(t, file)
	if again := openIncarnation(t, file); again != first {
		t.Fatalf("reopened store has incarnation %q, was %q", again, first)
	}
	s, err := server.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := s.Reincarnate(ctx)
	s.Close()
	if err != nil || renewed == first {
		t.Fatalf("Reincarnate: %q, %v", renewed, err)
	}
	if again := openIncarnation(t, file); again != renewed {
		t.Fatalf("reopened after Reincarnate: %q, want %q", again, renewed)
	}
}

func openIncarnation(t *testing.T, file string) string {
	t.Helper()
	s, err := server.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inc, err := s.Incarnation(context.Background())
	if err != nil || !wire.ValidIncarnation(inc) {
		t.Fatalf("incarnation %q, %v", inc, err)
	}
	return inc
}
