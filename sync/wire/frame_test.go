package wire

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"

	"outpost/chart"
	"outpost/sync/clock"
)

var frameLimits = Limits{Compressed: 1 << 20, Uncompressed: 4 << 20}

// sampleChanges are n valid changes like a workstation's: random sealed
// bytes (ciphertext), a tag, parents on some, practice-wide ones too.
func sampleChanges(n, sealedLen int, seed uint64) []Change {
	rng := rand.New(rand.NewPCG(seed, 1))
	id := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		b[6], b[8] = 0x70|b[6]&0x0f, 0x80|b[8]&0x3f
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	}
	blob := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return b
	}
	device, user := chart.DeviceID(id()), chart.UserID(id())
	patients := []chart.PatientID{"", chart.PatientID(id()), chart.PatientID(id())}
	out := make([]Change, n)
	for i := range out {
		c := Change{ChangeID: chart.ChangeID(id()), RecordID: id(), Kind: []string{"patient", "note", "audit"}[i%3],
			PatientID: patients[i%3], Version: int64(1 + i%4), HLC: clock.Timestamp{Wall: 1732350000000 + int64(i), Logical: uint32(i % 3)}.String(),
			DeviceID: device, UserID: user, Sealed: blob(sealedLen + i%7), Auth: blob(32)}
		if i%2 == 1 {
			c.Parents = []chart.ChangeID{out[i-1].ChangeID}
		}
		out[i] = c
	}
	return out
}

func encodeFrame(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := EncodeFrame(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFrameRoundTrip(t *testing.T) {
	push := &PushRequest{Changes: sampleChanges(50, 300, 1)}
	var gotPush PushRequest
	if err := DecodeFrame(encodeFrame(t, push), &gotPush, frameLimits); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&gotPush, push) {
		t.Fatalf("push changed in a round trip:\n got %+v\nwant %+v", gotPush.Changes[0], push.Changes[0])
	}
	pull := &PullResponse{Changes: sampleChanges(3, 10, 2), Next: 41, More: true, Head: 99,
		Revoked: []Revocation{{DeviceID: "0190f1a0-0000-7000-8000-000000000009", At: 1732350000000}}}
	var gotPull PullResponse
	if err := DecodeFrame(encodeFrame(t, pull), &gotPull, frameLimits); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&gotPull, pull) {
		t.Fatalf("pull page changed in a round trip:\n got %+v\nwant %+v", gotPull, pull)
	}
	// A message without changes is a frame with a head only.
	req := &PullRequest{After: 7, Limit: 100, Patients: []chart.PatientID{}}
	var gotReq PullRequest
	if err := DecodeFrame(encodeFrame(t, req), &gotReq, frameLimits); err != nil || !reflect.DeepEqual(&gotReq, req) {
		t.Fatalf("pull request: got %+v, %v", gotReq, err)
	}
	if push.Changes[0].Sealed == nil || len(pull.Changes) != 3 {
		t.Fatal("encoding changed the message it encoded")
	}
}

// TestFrameKeepsMalformedChanges: a pull page's malformed change arrives
// as it was sent (ids that are not UUIDs as strings), for the workstation
// to quarantine, as in v1; a push refuses it (Change.Validate).
func TestFrameKeepsMalformedChanges(t *testing.T) {
	bad := sampleChanges(2, 10, 3)
	bad[1].RecordID, bad[1].Kind, bad[1].Version = "NOT-A-UUID", "Bad Kind!", 0
	bad[1].ChangeID = chart.ChangeID(string(bad[0].ChangeID[:35]) + "X")
	var page PullResponse
	if err := DecodeFrame(encodeFrame(t, &PullResponse{Changes: bad}), &page, frameLimits); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(page.Changes, bad) {
		t.Fatalf("malformed change altered: got %+v", page.Changes[1])
	}
	var push PushRequest
	err := DecodeFrame(encodeFrame(t, &PushRequest{Changes: bad}), &push, frameLimits)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("push of a malformed change: %v, want ErrInvalid", err)
	}
}

// frameOf assembles a frame by hand: meta is the (inflated) metadata
// section, deflated when asked, declaring size metaSize (-1: its length).
func frameOf(meta []byte, deflated bool, metaSize int, blobs []byte) []byte {
	section, flags := meta, byte(0)
	if deflated {
		section, flags = deflate(meta), frameDeflated
	}
	if metaSize < 0 {
		metaSize = len(meta)
	}
	b := append([]byte(frameMagic), flags)
	b = binary.AppendUvarint(b, uint64(len(section)))
	b = binary.AppendUvarint(b, uint64(metaSize))
	return append(append(b, section...), blobs...)
}

func TestFrameRefusesMalformed(t *testing.T) {
	good := encodeFrame(t, &PushRequest{Changes: sampleChanges(2, 10, 4)})
	one := sampleChanges(1, 10, 5)
	meta, _ := appendMeta(nil, []byte(`{"changes":null}`), one)
	blobs := append(bytes.Clone(one[0].Sealed), one[0].Auth...)
	cases := []struct {
		name string
		body []byte
		want error
	}{
		{"empty", nil, ErrInvalid},
		{"v1 gzip JSON", gz(t, `{"changes":[]}`), ErrInvalid},
		{"unknown flag", append(append([]byte(frameMagic), 0x80), good[5:]...), ErrInvalid},
		{"truncated", good[:len(good)-1], ErrInvalid},
		{"trailing byte", append(bytes.Clone(good), 0), ErrInvalid},
		{"plain with sizes differing", frameOf(meta, false, len(meta)+1, blobs), ErrInvalid},
		{"sealed past the body", frameOf(meta, false, -1, blobs[:5]), ErrInvalid},
		{"metadata after the last change", frameOf(append(bytes.Clone(meta), 0), false, -1, blobs), ErrInvalid},
		{"inflates past its declared size", frameOf(meta, true, len(meta)-1, blobs), ErrTooLarge},
		{"inflates short of its declared size", frameOf(meta, true, len(meta)+1, blobs), ErrInvalid},
		{"declares more than the limit", frameOf(meta, true, 8<<20, blobs), ErrTooLarge},
		{"head carries changes", frameOf(mustMeta(t, `{"changes":[]}`, one), false, -1, blobs), ErrInvalid},
		{"unknown head field", frameOf(mustMeta(t, `{"changes":null,"x":1}`, one), false, -1, blobs), ErrInvalid},
		{"no changes", frameOf(mustMeta(t, `{"changes":null}`, nil), false, -1, nil), ErrInvalid},
		{"count beyond the metadata", frameOf(binary.AppendUvarint(mustMeta(t, `{}`, nil)[:3], 4000), false, -1, nil), ErrInvalid},
		{"bad id tag", frameOf(bytes.Replace(meta, []byte{idUUID}, []byte{7}, 1), false, -1, blobs), ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p PushRequest
			if err := DecodeFrame(tc.body, &p, frameLimits); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	var p PushRequest
	if err := DecodeFrame(good, &p, Limits{Compressed: int64(len(good)) - 1, Uncompressed: 1 << 20}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("body over the compressed limit: %v", err)
	}
}

func mustMeta(t *testing.T, head string, cs []Change) []byte {
	t.Helper()
	m, err := appendMeta(nil, []byte(head), cs)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFrameBombsAllocateLittle: a frame declaring or inflating to far more
// than the limit is refused having allocated about nothing.
func TestFrameBombsAllocateLittle(t *testing.T) {
	zeros := make([]byte, 16<<20)
	bombs := map[string][]byte{
		"declares a terabyte":      frameOf([]byte{0}, false, 1<<40, nil)[:7],
		"declares 4 MiB + 1":       frameOf(zeros[:1024], true, 4<<20+1, nil),
		"16 MiB declared as 1 KiB": frameOf(zeros, true, 1024, nil),
		"5000 changes claimed":     frameOf(binary.AppendUvarint([]byte{0}, 1<<40), false, -1, nil),
	}
	for name, body := range bombs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var p PullResponse
		err := DecodeFrame(body, &p, frameLimits)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatalf("%s: accepted", name)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 256<<10 {
			t.Fatalf("%s: allocated %d bytes to refuse it (%v)", name, got, err)
		}
	}
}

// TestFrameIsSmallerThanV1: the point of v2. Sealed bytes travel raw, so a
// batch of changes takes less than v1's gzip(JSON(base64)).
func TestFrameIsSmallerThanV1(t *testing.T) {
	push := &PushRequest{Changes: sampleChanges(200, 400, 6)}
	var v1 bytes.Buffer
	if err := Encode(&v1, push); err != nil {
		t.Fatal(err)
	}
	v2 := encodeFrame(t, push)
	sealed := int(push.SealedBytes())
	if len(v2) >= v1.Len() || len(v2) > sealed+200*(32+110) {
		t.Fatalf("v2 %d bytes, v1 %d, sealed content %d: want v2 below v1 and within 142 bytes a change of the sealed content",
			len(v2), v1.Len(), sealed)
	}
	t.Logf("200 changes of 400 sealed bytes: v1 %d bytes, v2 %d (%.0f%%)", v1.Len(), len(v2), 100*float64(len(v2))/float64(v1.Len()))
}

// BenchmarkFrameCompression compares ways to compress a push of 1,000
// changes: v1 (gzip JSON), v2 as built (metadata deflated, ciphertext raw),
// and v2 with the whole frame gzipped instead.
func BenchmarkFrameCompression(b *testing.B) {
	push := &PushRequest{Changes: sampleChanges(1000, 400, 7)}
	ways := map[string]func(*bytes.Buffer) error{
		"v1-gzip-json":    func(w *bytes.Buffer) error { return Encode(w, push) },
		"v2-deflate-meta": func(w *bytes.Buffer) error { return EncodeFrame(w, push) },
		"v2-gzip-whole":   func(w *bytes.Buffer) error { return gzipWhole(w, push) },
	}
	for name, enc := range ways {
		b.Run(name, func(b *testing.B) {
			var w bytes.Buffer
			for b.Loop() {
				w.Reset()
				if err := enc(&w); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(w.Len()), "bytes")
		})
	}
}

func gzipWhole(w *bytes.Buffer, v any) error {
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err := EncodeFrame(zw, v); err != nil {
		return err
	}
	return zw.Close()
}

// BenchmarkDecodePush compares decoding the same push of 1,000 changes in
// v1 (gzip JSON, base64) and v2 (frame).
func BenchmarkDecodePush(b *testing.B) {
	push := &PushRequest{Changes: sampleChanges(1000, 400, 7)}
	var v1 bytes.Buffer
	if err := Encode(&v1, push); err != nil {
		b.Fatal(err)
	}
	v2 := encodeFrame(b, push)
	lim := Limits{Compressed: 8 << 20, Uncompressed: 8 << 20}
	for name, dec := range map[string]func() error{
		"v1": func() error { return DecodeBody(v1.Bytes(), &PushRequest{}, lim) },
		"v2": func() error { return DecodeFrame(v2, &PushRequest{}, lim) },
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := dec(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
