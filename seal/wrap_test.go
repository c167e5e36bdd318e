package seal

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// testWorkFactor keeps scrypt fast in tests; production uses DefaultWorkFactor.
const testWorkFactor = 10

func TestPassphraseWrapRoundTrip(t *testing.T) {
	k := mustKey(t)
	w, err := WrapWithPassphrase(k, "correct horse battery staple", testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(w, k.b[:]) {
		t.Fatal("wrapped key contains the raw key")
	}
	got, err := UnwrapWithPassphrase(w, "correct horse battery staple", DefaultWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(k) {
		t.Fatal("unwrapped a different key")
	}
}

func TestWrongPassphrase(t *testing.T) {
	k := mustKey(t)
	w, err := WrapWithPassphrase(k, "correct horse battery staple", testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnwrapWithPassphrase(w, "Correct horse battery staple", DefaultWorkFactor); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("got %v, want ErrWrongPassphrase", err)
	}
}

func TestEachWrapIsIndependent(t *testing.T) {
	// Two users' wraps of the same key: changing one passphrase rewraps only
	// that user's copy, and both still open the same key.
	k := mustKey(t)
	a, _ := WrapWithPassphrase(k, "alice passphrase one", testWorkFactor)
	b, _ := WrapWithPassphrase(k, "bob passphrase two", testWorkFactor)
	if bytes.Equal(a, b) {
		t.Fatal("wraps identical")
	}
	ka, err1 := UnwrapWithPassphrase(a, "alice passphrase one", DefaultWorkFactor)
	kb, err2 := UnwrapWithPassphrase(b, "bob passphrase two", DefaultWorkFactor)
	if err1 != nil || err2 != nil || !ka.Equal(kb) {
		t.Fatalf("wraps do not open the same key: %v %v", err1, err2)
	}
	if _, err := UnwrapWithPassphrase(a, "bob passphrase two", DefaultWorkFactor); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("bob's passphrase opened alice's wrap: %v", err)
	}
}

func TestRecoveryIdentity(t *testing.T) {
	k := mustKey(t)
	id, rcpt, err := NewRecoveryIdentity()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "AGE-SECRET-KEY-1") || !strings.HasPrefix(rcpt, "age1") {
		t.Fatalf("unexpected formats %q %q", id[:16], rcpt)
	}
	w, err := WrapForRecipient(k, rcpt)
	if err != nil {
		t.Fatal(err)
	}
	// As typed back from a printout: lower case, spaces and line breaks.
	typed := strings.ToLower(id[:20]) + " \n " + id[20:]
	got, err := UnwrapWithIdentity(w, typed)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(k) {
		t.Fatal("recovered a different key")
	}
	other, _, _ := NewRecoveryIdentity()
	if _, err := UnwrapWithIdentity(w, other); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("other identity: got %v", err)
	}
	if _, err := UnwrapWithIdentity(w, "not a key"); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("garbage identity: got %v", err)
	}
}

func TestUnwrapRefusesGarbage(t *testing.T) {
	for _, w := range [][]byte{nil, []byte("age-encryption.org/v1\n"), bytes.Repeat([]byte{0}, 100), make([]byte, maxWrapped+1)} {
		if _, err := UnwrapWithPassphrase(w, "whatever passphrase", DefaultWorkFactor); err == nil {
			t.Fatalf("garbage of %d bytes unwrapped", len(w))
		}
	}
}
