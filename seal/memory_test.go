package seal

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// Issue #16.5: every Seal and Open built a fresh AEAD, each holding a copy
// of the key that nothing clears. A Key builds one, and Open costs no more
// allocations than the AEAD's own Open.
func TestKeyKeepsOneAEAD(t *testing.T) {
	k := mustKey(t)
	ad := []byte("ad")
	blob := k.Seal([]byte("x"), ad) // short: sealed raw, so Open is the AEAD and nothing else
	aead, err := chacha20poly1305.NewX(k.b[:])
	if err != nil {
		t.Fatal(err)
	}
	n := chacha20poly1305.NonceSizeX
	alone := testing.AllocsPerRun(200, func() { aead.Open(nil, blob[:n], blob[n:], ad) })
	viaKey := testing.AllocsPerRun(200, func() { k.Open(blob, ad) })
	if viaKey > alone {
		t.Fatalf("Key.Open allocates %.0f times, the AEAD's Open alone %.0f: an AEAD (and a key copy) per call", viaKey, alone)
	}
}

func TestWipeDropsTheAEAD(t *testing.T) {
	k := mustKey(t)
	blob := k.Seal([]byte("chart"), nil)
	mustOpen(t, k, blob)
	if k.aead.Load() == nil {
		t.Fatal("no AEAD kept after the first Open")
	}
	k.Wipe()
	if k.aead.Load() != nil || k.b != [KeySize]byte{} {
		t.Fatal("Wipe left the AEAD or the key bytes")
	}
	if _, err := k.Open(blob, nil); err == nil {
		t.Fatal("a wiped key still opens what it sealed")
	}
}

// recordingReader hands out a key and remembers the buffers it was given.
type recordingReader struct {
	src  *bytes.Reader
	seen [][]byte
}

func (r *recordingReader) Read(p []byte) (int, error) {
	r.seen = append(r.seen, p)
	return r.src.Read(p)
}

// Issue #16.5: the unwrapped key bytes were left in io.ReadAll's buffer.
func TestReadKeyClearsItsBuffer(t *testing.T) {
	want := bytes.Repeat([]byte{0xA5}, KeySize)
	r := &recordingReader{src: bytes.NewReader(want)}
	k, err := readKey(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.b[:], want) {
		t.Fatal("read a different key")
	}
	for _, p := range r.seen {
		if bytes.Contains(p[:cap(p)], want[:8]) {
			t.Fatal("a buffer the key was read into still holds key bytes")
		}
	}
	for _, bad := range [][]byte{want[:KeySize-1], append(want, 1), nil} {
		if _, err := readKey(bytes.NewReader(bad)); err == nil {
			t.Errorf("a %d-byte key was accepted", len(bad))
		}
	}
}
