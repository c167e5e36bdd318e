package seal

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func mustEpoch(t *testing.T) EpochID {
	t.Helper()
	id, err := NewEpochID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestKeyringEpochs: blobs sealed under each epoch open with a ring that
// holds it; root blobs are plain Key blobs (what was sealed before epochs
// existed opens unchanged); a blob of an epoch not held says so.
func TestKeyringEpochs(t *testing.T) {
	root, k1 := mustKey(t), mustKey(t)
	e1 := mustEpoch(t)
	ad := AD("record", "1")
	legacy := root.Seal([]byte("sealed before epochs"), ad)

	ring := NewKeyring(root)
	underRoot := ring.Seal([]byte("root era"), ad)
	ring.Add(e1, k1)
	if err := ring.SetCurrent(e1); err != nil {
		t.Fatal(err)
	}
	underE1 := ring.Seal([]byte("epoch one"), ad)
	if EpochOf(underE1) != e1 || EpochOf(underRoot) != (EpochID{}) || !bytes.HasPrefix(underE1, []byte("OE")) {
		t.Fatalf("epoch prefixes: %s / %s", EpochOf(underE1), EpochOf(underRoot))
	}
	for name, c := range map[string]struct {
		blob []byte
		want string
	}{"legacy": {legacy, "sealed before epochs"}, "root": {underRoot, "root era"}, "e1": {underE1, "epoch one"}} {
		got, err := ring.Open(c.blob, ad)
		if err != nil || string(got) != c.want {
			t.Fatalf("%s: open = %q, %v", name, got, err)
		}
	}
	if _, err := NewKeyring(root).Open(underE1, ad); !errors.Is(err, ErrUnknownEpoch) {
		t.Fatalf("a ring without e1 opened its blob: %v", err)
	}
	if _, err := ring.Open(underE1, AD("record", "2")); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("wrong AD: %v", err)
	}
	flipped := append([]byte(nil), underE1...)
	flipped[len(flipped)-1] ^= 1
	if _, err := ring.Open(flipped, ad); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("flipped bit: %v", err)
	}
}

func TestKeyringTags(t *testing.T) {
	root, k1 := mustKey(t), mustKey(t)
	e1 := mustEpoch(t)
	ring := NewKeyring(root)
	rootTag := ring.Tag([]byte("m"))
	if EpochIDOf(rootTag[:EpochIDSize]) != (EpochID{}) || len(rootTag) != TagSize {
		t.Fatal("a root-epoch tag does not name the root")
	}
	ring.Add(e1, k1)
	ring.SetCurrent(e1)
	tag := ring.Tag([]byte("m"))
	if EpochIDOf(tag[:EpochIDSize]) != e1 {
		t.Fatal("the tag does not name its epoch")
	}
	for _, tg := range [][]byte{rootTag, tag} {
		if err := ring.CheckTag([]byte("m"), tg); err != nil {
			t.Fatal(err)
		}
		if err := ring.CheckTag([]byte("n"), tg); !errors.Is(err, ErrIntegrity) {
			t.Fatalf("another message verified: %v", err)
		}
	}
	if err := NewKeyring(root).CheckTag([]byte("m"), tag); !errors.Is(err, ErrUnknownEpoch) {
		t.Fatalf("a ring without e1 checked its tag: %v", err)
	}
}

// TestSealKeys: an epoch's key carries every older key, and only it opens
// them.
func TestSealKeys(t *testing.T) {
	root, k1, k2 := mustKey(t), mustKey(t), mustKey(t)
	e1, e2 := mustEpoch(t), mustEpoch(t)
	ring := NewKeyring(root)
	ring.Add(e1, k1)
	ad := AD("outpost/epoch-keyring/v1", e2.String())
	sealed := k2.SealKeys(ring, ad)
	got, err := k2.OpenKeys(sealed, ad)
	if err != nil || len(got) != 2 || !got[EpochID{}].Equal(root) || !got[e1].Equal(k1) {
		t.Fatalf("open keys = %v, %v", got, err)
	}
	if _, err := k1.OpenKeys(sealed, ad); err == nil {
		t.Fatal("another epoch's key opened the keyring")
	}
	if id, err := ParseEpochID(e2.String()); err != nil || id != e2 {
		t.Fatalf("epoch id round trip: %v %v", id, err)
	}
	if _, err := ParseEpochID(strings.ToUpper(e2.String())); err == nil {
		t.Fatal("an upper-case epoch id parsed")
	}
}

// TestUserKeyBox: a key sealed to a user's public half opens only with
// that user's secret and the same AD.
func TestUserKeyBox(t *testing.T) {
	alice, err := UserKeysFrom(mustKey(t))
	if err != nil {
		t.Fatal(err)
	}
	bob, _ := UserKeysFrom(mustKey(t))
	k := mustKey(t)
	ad := AD("outpost/keybox/v1", "epoch", "alice")
	box, err := SealKeyTo(alice.BoxPublic(), k, ad)
	if err != nil {
		t.Fatal(err)
	}
	got, err := alice.OpenKey(box, ad)
	if err != nil || !got.Equal(k) {
		t.Fatalf("alice opens = %v", err)
	}
	if _, err := bob.OpenKey(box, ad); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("bob opened alice's box: %v", err)
	}
	if _, err := alice.OpenKey(box, AD("outpost/keybox/v1", "epoch", "bob")); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("another AD opened: %v", err)
	}
}

// TestWorkFactorCeiling: a wrapped key asking for more scrypt work than the
// caller allows is refused before any scrypt runs (a hostile server could
// otherwise make every sign-in attempt cost gigabytes).
func TestWorkFactorCeiling(t *testing.T) {
	k := mustKey(t)
	w, err := WrapWithPassphrase(k, "correct horse battery staple", 12)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := UnwrapWithPassphrase(w, "correct horse battery staple", 12); err != nil || !got.Equal(k) {
		t.Fatalf("at the ceiling: %v", err)
	}
	if _, err := UnwrapWithPassphrase(w, "correct horse battery staple", 11); !errors.Is(err, ErrWorkFactor) {
		t.Fatalf("above the ceiling: %v", err)
	}
	// A header claiming 2^30 (gigabytes per attempt) is refused at once.
	forged := bytes.Replace(w, []byte(" 12\n"), []byte(" 30\n"), 1)
	if _, err := UnwrapWithPassphrase(forged, "correct horse battery staple", DefaultWorkFactor); !errors.Is(err, ErrWorkFactor) {
		t.Fatalf("forged work factor: %v", err)
	}
	if _, err := UnwrapWithPassphrase([]byte("not age at all"), "x", DefaultWorkFactor); !errors.Is(err, ErrWorkFactor) {
		t.Fatalf("no scrypt header: %v", err)
	}
}
