package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The first 3 patients of the harness's data set (node dump.js 3), 60
// documents: every form, and one vitals set whose diastolic is not below
// its systolic.
const testDataset = "testdata/dataset-3.ndjson"

func TestLoadDatasetMapsEveryDocument(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "A")
	res, err := loadDataset(ctx, dir, testDataset)
	if err != nil {
		t.Fatal(err)
	}
	if res.Docs != 60 || len(res.NotLoaded) != 0 || res.VitalsWithoutBP != 1 {
		t.Fatalf("loaded %d docs (%d vitals without BP), refused %v; want all 60, 1 without BP",
			res.Docs, res.VitalsWithoutBP, res.NotLoaded)
	}
	// An encounter becomes an encounter and its note: 20 docs per patient,
	// 25 records.
	if res.Changes != 75 || res.ChangesByKind["note"] != 15 || res.ChangesByKind["patient"] != 3 {
		t.Fatalf("records by kind %v (%d), want 75 with 15 notes and 3 patients", res.ChangesByKind, res.Changes)
	}
	var ids idMap
	if err := readJSON(idMapPath(dir), &ids); err != nil {
		t.Fatal(err)
	}
	w, s, err := openSignedIn(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p, err := s.OpenPatient(ctx, ids.Patients[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.GivenName != "Lucy" || p.FamilyName != "Phiri" || p.MRN != "100000" || p.Address.City != "Mkuranga" {
		t.Fatalf("first patient mapped as %+v", p)
	}
	notes, err := s.Notes(ctx, p.ID)
	if err != nil || len(notes) != 5 || len(notes[0].Sections[0].Text) < 1024 {
		t.Fatalf("notes %d (%v), want 5 with the 1-2 KB text", len(notes), err)
	}
}

// A vitals set dated before its patient's birth (the data set draws the two
// dates independently) is left out and counted, not a refused mapping.
func TestLoadDatasetCountsVitalsBeforeBirth(t *testing.T) {
	src, err := os.ReadFile(testDataset)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")
	moved := 0
	for i, l := range lines {
		if strings.Contains(l, `"form":"vitals"`) && moved < 2 {
			lines[i] = regexp.MustCompile(`"reported_date":\d+`).ReplaceAllString(l, `"reported_date":-1262304000000`) // 1 January 1930, before every DOB here
			moved++
		}
	}
	path := filepath.Join(t.TempDir(), "dataset.ndjson")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := loadDataset(context.Background(), filepath.Join(t.TempDir(), "A"), path)
	if err != nil {
		t.Fatal(err)
	}
	if res.VitalsBeforeBirth != 2 || len(res.NotLoaded) != 0 || res.ChangesByKind["vitals"] != 18-2 {
		t.Fatalf("before birth %d, refused %v, vitals stored %d; want 2, none, 16",
			res.VitalsBeforeBirth, res.NotLoaded, res.ChangesByKind["vitals"])
	}
}

func TestLinkCutsTheNthRequest(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		io.WriteString(w, strings.Repeat("x", 1000))
	}))
	defer srv.Close()
	get := func(l *linkRT) (string, error) {
		c := &http.Client{Transport: l}
		resp, err := c.Post(srv.URL+"/v1/push", "text/plain", nil)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	ack := &linkRT{inner: http.DefaultTransport, fault: &fault{Path: "/v1/push", Nth: 2, Mode: "ack"}}
	for i, wantErr := range []bool{false, true, false} {
		_, err := get(ack)
		if (err != nil) != wantErr {
			t.Fatalf("ack mode, request %d: err %v", i+1, err)
		}
	}
	if hits != 3 {
		t.Fatalf("the server saw %d requests, want 3: a lost ack still reaches it", hits)
	}
	mid := &linkRT{inner: http.DefaultTransport, fault: &fault{Path: "/v1/push", Nth: 1, Mode: "midbody"}}
	body, err := get(mid)
	if err == nil || len(body) != 500 {
		t.Fatalf("midbody cut gave %d bytes, err %v; want 500 and an error", len(body), err)
	}
	if n, byKind := mid.requests(); n != 1 || byKind["POST /v1/push"] != 1 || len(mid.cuts) != 1 {
		t.Fatalf("counted %d %v, cuts %v", n, byKind, mid.cuts)
	}
}
