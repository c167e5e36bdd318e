package wire

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/frame from frameVectors")

// A test vector (testdata/frame/NAME, in the manner of age's testkit):
// header lines "expect: success|invalid|too large", "message: push|pull"
// and, for success, "json: " the message decoded, as v1 JSON; a blank
// line; the body in hex. Limits are frameLimits. A decoder in another
// language can be checked against them.
type frameVector struct {
	name, expect, message, comment string
	body                           []byte
}

func frameVectors(t *testing.T) []frameVector {
	one := sampleChanges(1, 12, 11)
	meta := mustMeta(t, `{"changes":null}`, one)
	blobs := append(bytes.Clone(one[0].Sealed), one[0].Auth...)
	bad := sampleChanges(1, 5, 12)
	bad[0].RecordID, bad[0].Version = "not-a-uuid", 0
	return []frameVector{
		{"push_two_changes", "success", "push", "metadata deflated, sealed bytes and tags raw",
			encodeFrame(t, &PushRequest{Changes: sampleChanges(2, 16, 13)})},
		{"pull_page", "success", "pull", "a page with cursors and a revoked workstation",
			encodeFrame(t, &PullResponse{Changes: sampleChanges(1, 8, 14), Next: 12, More: true, Head: 40,
				Revoked: []Revocation{{DeviceID: "0190f1a0-0000-7000-8000-000000000009", At: 1732350000000}}})},
		{"pull_page_empty", "success", "pull", "no changes: an empty list", encodeFrame(t, &PullResponse{Next: 3, Head: 3})},
		{"pull_page_incarnation", "success", "pull", "the server store's incarnation, sent to a workstation that asked for it",
			encodeFrame(t, &PullResponse{Next: 7, Head: 7, Incarnation: "5f0c6b2e9a41d3087c6e12ab34cd56ef"})},
		{"pull_bad_incarnation", "invalid", "pull", "an incarnation that is not 32 lowercase hex digits",
			encodeFrame(t, &PullResponse{Next: 7, Head: 7, Incarnation: "5F0C6B2E"})},
		{"pull_page_seq_ids", "success", "pull", "the ids of the changes at the request's after and at next, sent to a workstation that asked for them",
			encodeFrame(t, &PullResponse{Next: 9, Head: 9, AfterID: "0190f1a0-0000-7000-8000-000000000007", NextID: "0190f1a0-0000-7000-8000-000000000011"})},
		{"pull_bad_seq_id", "invalid", "pull", "a change id at a seq that is not a lowercase UUID",
			encodeFrame(t, &PullResponse{Next: 9, Head: 9, AfterID: "0190F1A0-0000-7000-8000-000000000007"})},
		{"pull_malformed_change", "success", "pull", "a malformed change reaches the workstation to be quarantined",
			encodeFrame(t, &PullResponse{Changes: bad})},
		{"push_malformed_change", "invalid", "push", "a push validates every change", encodeFrame(t, &PushRequest{Changes: bad})},
		{"push_plain_metadata", "success", "push", "metadata not deflated", frameOf(meta, false, -1, blobs)},
		{"inflates_past_declared", "too large", "push", "metadata inflates past its declared size", frameOf(meta, true, len(meta)-1, blobs)},
		{"declares_over_limit", "too large", "push", "declares 8 MiB of metadata", frameOf(meta, true, 8<<20, blobs)},
		{"trailing_byte", "invalid", "push", "a byte after the last tag", frameOf(meta, false, -1, append(bytes.Clone(blobs), 0))},
		{"sealed_past_body", "invalid", "push", "sealed length beyond the body", frameOf(meta, false, -1, blobs[:4])},
		{"head_carries_changes", "invalid", "push", "changes in the JSON head", frameOf(mustMeta(t, `{"changes":[]}`, one), false, -1, blobs)},
		{"count_over_limit", "invalid", "pull", "claims 5001 changes (metadata deflated)", frameOf(binary5001(), true, -1, nil)},
		{"unknown_flag", "invalid", "push", "flag bit 7", append([]byte(frameMagic+"\x80"), frameOf(meta, false, -1, blobs)[5:]...)},
	}
}

func binary5001() []byte {
	m := []byte{2, '{', '}'}
	m = append(m, 0x89, 0x27) // uvarint 5001
	return append(m, make([]byte, 5001*minChangeMeta)...)
}

func (v frameVector) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "expect: %s\nmessage: %s\ncomment: %s\n", v.expect, v.message, v.comment)
	if v.expect == "success" {
		msg := v.decodeInto()
		if err := DecodeFrame(v.body, msg, frameLimits); err != nil {
			panic(err)
		}
		j, _ := json.Marshal(msg)
		fmt.Fprintf(&b, "json: %s\n", j)
	}
	b.WriteString("\n")
	h := hex.EncodeToString(v.body)
	for len(h) > 64 {
		b.WriteString(h[:64] + "\n")
		h = h[64:]
	}
	b.WriteString(h + "\n")
	return b.String()
}

func (v frameVector) decodeInto() Validator {
	if v.message == "pull" {
		return &PullResponse{}
	}
	return &PushRequest{}
}

func readVector(t *testing.T, path string) (frameVector, string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	header, body, ok := strings.Cut(string(raw), "\n\n")
	if !ok {
		t.Fatalf("%s: no blank line after the header", path)
	}
	v := frameVector{name: filepath.Base(path)}
	var wantJSON string
	for _, line := range strings.Split(header, "\n") {
		k, val, _ := strings.Cut(line, ": ")
		switch k {
		case "expect":
			v.expect = val
		case "message":
			v.message = val
		case "json":
			wantJSON = val
		}
	}
	if v.body, err = hex.DecodeString(strings.ReplaceAll(body, "\n", "")); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v, wantJSON
}

func TestFrameVectors(t *testing.T) {
	dir := filepath.Join("testdata", "frame")
	if *updateVectors {
		os.MkdirAll(dir, 0o755)
		for _, v := range frameVectors(t) {
			if err := os.WriteFile(filepath.Join(dir, v.name), []byte(v.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) < 10 {
		t.Fatalf("%d test vectors in %s", len(files), dir)
	}
	for _, path := range files {
		v, wantJSON := readVector(t, path)
		msg := v.decodeInto()
		err := DecodeFrame(v.body, msg, frameLimits)
		want := map[string]error{"success": nil, "invalid": ErrInvalid, "too large": ErrTooLarge}[v.expect]
		switch {
		case want == nil && err != nil, want != nil && !errors.Is(err, want):
			t.Errorf("%s: got %v, want %s", v.name, err, v.expect)
		case want == nil:
			got, _ := json.Marshal(msg)
			if string(got) != wantJSON {
				t.Errorf("%s: decoded\n %s\nwant\n %s", v.name, got, wantJSON)
			}
			again := reflect.New(reflect.TypeOf(msg).Elem()).Interface().(Validator)
			if err := DecodeFrame(encodeFrame(t, msg), again, frameLimits); err != nil || !reflect.DeepEqual(again, msg) {
				t.Errorf("%s: re-encoded differs: %v", v.name, err)
			}
		}
	}
}

// FuzzDecodeFrame: DecodeFrame never panics and never allocates past its
// limits (the Go fuzzer's own memory limit, and TestFrameBombsAllocateLittle),
// and what it accepts survives encoding and decoding again unchanged.
func FuzzDecodeFrame(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "frame", "*"))
	for _, path := range files {
		raw, _ := os.ReadFile(path)
		if _, body, ok := strings.Cut(string(raw), "\n\n"); ok {
			b, _ := hex.DecodeString(strings.ReplaceAll(body, "\n", ""))
			f.Add(b)
		}
	}
	f.Add([]byte(frameMagic))
	small := Limits{Compressed: 1 << 16, Uncompressed: 1 << 18}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, msg := range []Validator{&PullResponse{}, &PushRequest{}} {
			if err := DecodeFrame(body, msg, small); err != nil {
				if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("error neither invalid nor too large: %v", err)
				}
				continue
			}
			var again bytes.Buffer
			if err := EncodeFrame(&again, msg); err != nil {
				t.Fatalf("accepted %T does not encode: %v", msg, err)
			}
			back := reflect.New(reflect.TypeOf(msg).Elem()).Interface().(Validator)
			if err := DecodeFrame(again.Bytes(), back, Limits{Compressed: 1 << 20, Uncompressed: 1 << 20}); err != nil {
				t.Fatalf("re-encoded %T does not decode: %v", msg, err)
			}
			if !reflect.DeepEqual(back, msg) {
				t.Fatalf("round trip changed %T:\n got %+v\nwant %+v", msg, back, msg)
			}
		}
	})
}
