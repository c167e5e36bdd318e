package seal

import (
	"bytes"
	"errors"
	"testing"
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
	for _, pt := range [][]byte{nil, {}, []byte("x"), bytes.Repeat([]byte("chart "), 10000)} {
		ad := AD("record", "patient", "42")
		s := k.Seal(pt, ad)
		if len(s) != len(pt)+Overhead {
			t.Fatalf("sealed length %d, want %d", len(s), len(pt)+Overhead)
		}
		got, err := k.Open(s, ad)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		if !bytes.Equal(got, pt) {
			t.Fatalf("round trip changed the plaintext")
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
