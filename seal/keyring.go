package seal

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// A practice's data keys come in epochs. The first (EpochID{}, the root)
// is made with the practice; deactivating a user, revoking a workstation or
// an administrator's "rotate now" starts a new one. New records are sealed
// under the current epoch's key and say which epoch in a short prefix;
// older records keep opening under their own epoch's key, which the
// Keyring holds. Records of the root epoch carry no prefix, so everything
// sealed before epochs existed opens unchanged.
//
// Layout of a blob sealed under a later epoch:
//
//	"OE" || epoch id (16 bytes) || Key.Seal output
//
// A root-epoch blob is a bare Key.Seal output (a random nonce first). A
// root blob that happens to start with "OE" and a known epoch id (a chance
// of 2^-144) still opens: Open falls back to the root key.

// EpochIDSize is the size of an epoch id; EpochID{} is the practice's
// first key (the root).
const EpochIDSize = 16

// EpochID names one data key of a practice's keyring.
type EpochID [EpochIDSize]byte

// Authentication tags (Keyring.Tag) prove that whoever made one held the
// data key of the epoch it names, and that the message is exactly what was
// tagged: used for the routing metadata of a change (its parents, clock,
// device, user and patient), which travels outside the sealed content but
// must be just as impossible for a server without the key to forge or
// alter. A tag is the epoch id, then HMAC-SHA256 under a subkey of that
// epoch's key.
const TagSize = EpochIDSize + sha256.Size

const tagLabel = "outpost/tag/v1"

// epochMagic starts a blob sealed under an epoch other than the root.
var epochMagic = []byte("OE")

const epochPrefix = 2 + EpochIDSize

// ErrUnknownEpoch is returned for a blob or tag of an epoch the keyring
// does not hold (a newer key this workstation has not received yet).
var ErrUnknownEpoch = errors.New("sealed under a data key this workstation does not hold")

// NewEpochID returns a fresh random epoch id (a version 4 UUID, so it can
// name the epoch's record in the change log).
func NewEpochID() (EpochID, error) {
	var id EpochID
	if _, err := rand.Read(id[:]); err != nil {
		return id, fmt.Errorf("make epoch id: %w", err)
	}
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id, nil
}

// ParseEpochID reads the UUID form String writes.
func ParseEpochID(s string) (EpochID, error) {
	var id EpochID
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != EpochIDSize || len(s) != 36 || s != EpochIDOf(b).String() {
		return id, fmt.Errorf("epoch id %.40q is not a lowercase UUID", s)
	}
	copy(id[:], b)
	return id, nil
}

// EpochIDOf copies 16 bytes into an EpochID.
func EpochIDOf(b []byte) EpochID {
	var id EpochID
	copy(id[:], b)
	return id
}

// String is the id as a lowercase UUID ("00000000-0000-0000-0000-000000000000"
// for the root).
func (e EpochID) String() string {
	h := hex.EncodeToString(e[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// IsRoot reports whether e is the practice's first epoch.
func (e EpochID) IsRoot() bool { return e == EpochID{} }

// Keyring holds a practice's data keys by epoch and seals under the
// current one. It is what a signed-in session holds; Wipe clears every key.
// It is safe for concurrent use: a rotation or a pulled epoch adds keys
// while records are sealed and opened.
type Keyring struct {
	mu      sync.RWMutex
	current EpochID
	keys    map[EpochID]*Key
	tagKeys map[EpochID][]byte // derived once per epoch: tags are made per change
}

// NewKeyring returns a ring holding k as the root epoch, current.
func NewKeyring(root *Key) *Keyring {
	r := &Keyring{keys: map[EpochID]*Key{}, tagKeys: map[EpochID][]byte{}}
	r.Add(EpochID{}, root)
	return r
}

// Add puts k in the ring as epoch id; it reports false (and keeps the key
// held) when the ring already holds another key for id.
func (r *Keyring) Add(id EpochID, k *Key) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if held, ok := r.keys[id]; ok {
		return held.Equal(k)
	}
	r.keys[id] = k
	r.tagKeys[id] = k.Derive(tagLabel)
	return true
}

// SetCurrent makes epoch id the one new blobs are sealed under.
func (r *Keyring) SetCurrent(id EpochID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.keys[id]; !ok {
		return fmt.Errorf("make epoch %s current: %w", id, ErrUnknownEpoch)
	}
	r.current = id
	return nil
}

// Current returns the current epoch and its key.
func (r *Keyring) Current() (EpochID, *Key) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current, r.keys[r.current]
}

// Root returns the practice's first key: subkeys that must stay the same
// across epochs (lookup tags such as the MRN's, the audit chain) derive
// from it.
func (r *Keyring) Root() *Key {
	k, _ := r.Key(EpochID{})
	return k
}

// Key returns the key of epoch id, if held.
func (r *Keyring) Key(id EpochID) (*Key, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	k, ok := r.keys[id]
	return k, ok
}

// Epochs lists the epochs held, in id order.
func (r *Keyring) Epochs() []EpochID {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]EpochID, 0, len(r.keys))
	for id := range r.keys {
		out = append(out, id)
	}
	slices.SortFunc(out, func(a, b EpochID) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// Seal seals plaintext under the current epoch (see Key.Seal).
func (r *Keyring) Seal(plaintext, ad []byte) []byte {
	id, k := r.Current()
	inner := k.Seal(plaintext, ad)
	if id.IsRoot() {
		return inner
	}
	out := make([]byte, 0, epochPrefix+len(inner))
	out = append(out, epochMagic...)
	out = append(out, id[:]...)
	return append(out, inner...)
}

// Open opens a blob sealed by Seal under any epoch the ring holds.
// ErrUnknownEpoch says the blob is of an epoch not held here; any other
// failure is ErrIntegrity.
func (r *Keyring) Open(sealed, ad []byte) ([]byte, error) {
	id, body, prefixed := epochOf(sealed)
	if !prefixed {
		return r.Root().Open(sealed, ad)
	}
	k, held := r.Key(id)
	if held {
		if pt, err := k.Open(body, ad); err == nil {
			return pt, nil
		}
	}
	if pt, err := r.Root().Open(sealed, ad); err == nil {
		return pt, nil // a root blob that looks prefixed (see above)
	}
	if !held {
		return nil, ErrUnknownEpoch
	}
	return nil, ErrIntegrity
}

// EpochOf names the epoch a sealed blob says it was sealed under.
func EpochOf(sealed []byte) EpochID {
	id, _, _ := epochOf(sealed)
	return id
}

func epochOf(sealed []byte) (EpochID, []byte, bool) {
	var id EpochID
	if len(sealed) < epochPrefix+Overhead || !bytes.Equal(sealed[:2], epochMagic) {
		return id, sealed, false
	}
	copy(id[:], sealed[2:epochPrefix])
	return id, sealed[epochPrefix:], !id.IsRoot()
}

// Derive derives a subkey from the root key (see Key.Derive), so it stays
// the same whatever the current epoch.
func (r *Keyring) Derive(label string) []byte { return r.Root().Derive(label) }

// Tag returns the tag of msg under the current epoch: its id, then
// HMAC-SHA256 under the epoch's tag subkey.
func (r *Keyring) Tag(msg []byte) []byte {
	r.mu.RLock()
	id, sub := r.current, r.tagKeys[r.current]
	r.mu.RUnlock()
	out := make([]byte, 0, TagSize)
	out = append(out, id[:]...)
	return append(out, hmacOf(sub, msg)...)
}

// CheckTag verifies a tag made by Tag under any epoch the ring holds.
func (r *Keyring) CheckTag(msg, tag []byte) error {
	if len(tag) != TagSize {
		return ErrIntegrity
	}
	var id EpochID
	copy(id[:], tag[:EpochIDSize])
	r.mu.RLock()
	sub, ok := r.tagKeys[id]
	r.mu.RUnlock()
	if !ok {
		return ErrUnknownEpoch
	}
	if !hmac.Equal(tag[EpochIDSize:], hmacOf(sub, msg)) {
		return ErrIntegrity
	}
	return nil
}

func hmacOf(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// Wipe clears every key of the ring (Key.Wipe's caveats apply).
func (r *Keyring) Wipe() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, k := range r.keys {
		k.Wipe()
		clear(r.tagKeys[id])
	}
}

// SealKeys seals the keys of ring under k, binding ad: how a new epoch
// carries every older epoch's key (the keyring of its epoch record).
func (k *Key) SealKeys(ring *Keyring, ad []byte) []byte {
	ring.mu.RLock()
	raw := make(map[string][]byte, len(ring.keys))
	for id, key := range ring.keys {
		raw[id.String()] = key.b[:]
	}
	pt, err := json.Marshal(raw)
	ring.mu.RUnlock()
	if err != nil {
		panic(err) // a map of byte slices always encodes
	}
	defer clear(pt)
	return k.Seal(pt, ad)
}

// OpenKeys opens what SealKeys sealed.
func (k *Key) OpenKeys(sealed, ad []byte) (map[EpochID]*Key, error) {
	pt, err := k.Open(sealed, ad)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	var raw map[string][]byte
	if err := json.Unmarshal(pt, &raw); err != nil {
		return nil, ErrIntegrity
	}
	out := make(map[EpochID]*Key, len(raw))
	for s, b := range raw {
		id, err := ParseEpochID(s)
		if err != nil {
			return nil, ErrIntegrity
		}
		key, err := KeyFromBytes(b)
		clear(b)
		if err != nil {
			return nil, ErrIntegrity
		}
		out[id] = key
	}
	return out, nil
}
