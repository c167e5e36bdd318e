package seal

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"errors"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := mustKey(t)
	random := make([]byte, 5000)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	text := bytes.Repeat([]byte(`{"note":"chart "}`), 3000)
	cases := []struct {
		name   string
		pt     []byte
		maxLen int // of the sealed blob
	}{
		{"nil", nil, Overhead},
		{"empty", []byte{}, Overhead},
		{"short", []byte("x"), 1 + Overhead},
		{"random bytes stay as they are", random, len(random) + Overhead},
		{"text is compressed", text, len(text)/10 + Overhead},
		{"a leading marker byte is escaped", []byte{0x00, 'a'}, 3 + Overhead},
		{"a leading raw marker is escaped", append([]byte{0x01}, random[:200]...), 202 + Overhead},
	}
	for _, c := range cases {
		ad := AD("record", "patient", "42")
		s := k.Seal(c.pt, ad)
		if len(s) > c.maxLen {
			t.Fatalf("%s: sealed length %d, want at most %d", c.name, len(s), c.maxLen)
		}
		got, err := k.Open(s, ad)
		if err != nil {
			t.Fatalf("%s: open: %v", c.name, err)
		}
		if !bytes.Equal(got, c.pt) {
			t.Fatalf("%s: round trip changed the plaintext", c.name)
		}
	}
}

// Blobs sealed before compression existed (the plaintext sealed as is)
// still open to the same bytes.
func TestOpenReadsBlobsSealedWithoutAMarker(t *testing.T) {
	k := mustKey(t)
	for _, pt := range [][]byte{[]byte(`{"id":"x","name":"chart"}`), []byte("%PDF-1.4 scanned report"), nil} {
		aead, err := chacha20poly1305.NewX(k.b[:])
		if err != nil {
			t.Fatal(err)
		}
		nonce := make([]byte, chacha20poly1305.NonceSizeX)
		old := aead.Seal(nonce, nonce, pt, []byte("ad"))
		got, err := k.Open(old, []byte("ad"))
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("old blob opened as %q, %v; want %q", got, err, pt)
		}
	}
}

// An authentic blob whose deflate stream is broken or inflates past
// MaxOpened is refused as an integrity failure.
func TestOpenRefusesBadCompressedBodies(t *testing.T) {
	k := mustKey(t)
	aead, err := chacha20poly1305.NewX(k.b[:])
	if err != nil {
		t.Fatal(err)
	}
	var bomb bytes.Buffer
	bomb.WriteByte(markDeflate)
	w, _ := flate.NewWriter(&bomb, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	for range MaxOpened>>20 + 1 {
		w.Write(zeros)
	}
	w.Close()
	for name, body := range map[string][]byte{"broken": {markDeflate, 0xff, 0xfe}, "bomb": bomb.Bytes()} {
		nonce := make([]byte, chacha20poly1305.NonceSizeX)
		blob := aead.Seal(nonce, nonce, body, nil)
		if _, err := k.Open(blob, nil); !errors.Is(err, ErrIntegrity) {
			t.Fatalf("%s: open = %v, want ErrIntegrity", name, err)
		}
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	k := mustKey(t)
	a, b := k.Seal([]byte("same"), nil), k.Seal([]byte("same"), nil)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are identical: nonce reused")
	}
}

func TestOpenRefusesTampering(t *testing.T) {
	k := mustKey(t)
	ad := AD("record", "patient", "id-1", "3")
	s := k.Seal([]byte("Zebedee Quixotefield"), ad)
	for i := range s {
		bad := bytes.Clone(s)
		bad[i] ^= 0x01
		if _, err := k.Open(bad, ad); !errors.Is(err, ErrIntegrity) {
			t.Fatalf("flipping byte %d: got %v, want ErrIntegrity", i, err)
		}
	}
	if _, err := k.Open(s[:len(s)-1], ad); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("truncated: got %v", err)
	}
	if _, err := k.Open(s[:3], ad); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("shorter than overhead: got %v", err)
	}
}

func TestOpenBindsAssociatedData(t *testing.T) {
	k := mustKey(t)
	s := k.Seal([]byte("note"), AD("record", "patient", "id-1", "3"))
	for name, ad := range map[string][]byte{
		"other record":  AD("record", "patient", "id-2", "3"),
		"older version": AD("record", "patient", "id-1", "2"),
		"other kind":    AD("record", "note", "id-1", "3"),
		"no ad":         nil,
	} {
		if _, err := k.Open(s, ad); !errors.Is(err, ErrIntegrity) {
			t.Errorf("%s: got %v, want ErrIntegrity", name, err)
		}
	}
	if _, err := mustKey(t).Open(s, AD("record", "patient", "id-1", "3")); !errors.Is(err, ErrIntegrity) {
		t.Errorf("other key: got %v", err)
	}
}

func TestADIsUnambiguous(t *testing.T) {
	if bytes.Equal(AD("ab", "c"), AD("a", "bc")) {
		t.Fatal(`AD("ab","c") == AD("a","bc")`)
	}
	if bytes.Equal(AD("a", ""), AD("a")) {
		t.Fatal(`AD("a","") == AD("a")`)
	}
}

func TestKeyWipeAndEqual(t *testing.T) {
	k := mustKey(t)
	c, err := KeyFromBytes(k.b[:])
	if err != nil {
		t.Fatal(err)
	}
	if !k.Equal(c) {
		t.Fatal("copy not equal")
	}
	c.Wipe()
	if k.Equal(c) || c.b != [KeySize]byte{} {
		t.Fatal("wipe left key bytes")
	}
	if _, err := KeyFromBytes(make([]byte, 31)); err == nil {
		t.Fatal("31-byte key accepted")
	}
}

// FuzzOpen: arbitrary bytes never panic Open and never authenticate.
func FuzzOpen(f *testing.F) {
	k, _ := KeyFromBytes(bytes.Repeat([]byte{7}, KeySize))
	f.Add(k.Seal([]byte("seed"), []byte("ad")), []byte("ad"))
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, sealed, ad []byte) {
		pt, err := k.Open(sealed, ad)
		if err == nil && !bytes.Equal(ad, []byte("ad")) {
			t.Fatalf("forged blob opened: %q", pt)
		}
	})
}
