package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
)

// Authentication tags. A tag proves that whoever made it held the data key
// of the epoch it names, and that msg is exactly what they tagged: used for
// the routing metadata of a change (its parents, clock, device, user and
// patient), which travels outside the sealed content but must be just as
// impossible for a server without the key to forge or alter.

// EpochIDSize is the size of an epoch id; EpochID{} is the practice's
// first key.
const EpochIDSize = 16

// EpochID names one data key of a practice's keyring.
type EpochID [EpochIDSize]byte

// TagSize is the size of a tag: the epoch id, then HMAC-SHA256.
const TagSize = EpochIDSize + sha256.Size

const tagLabel = "outpost/tag/v1"

// Tag returns the tag of msg under k (epoch: EpochID{}).
func (k *Key) Tag(msg []byte) []byte {
	out := make([]byte, EpochIDSize, TagSize)
	return append(out, k.mac(msg)...)
}

// CheckTag reports whether tag is k's tag of msg; any mismatch (altered
// msg, another key or epoch, a truncated tag) gives ErrIntegrity.
func (k *Key) CheckTag(msg, tag []byte) error {
	if len(tag) != TagSize || subtle.ConstantTimeCompare(tag[:EpochIDSize], make([]byte, EpochIDSize)) != 1 {
		return ErrIntegrity
	}
	if !hmac.Equal(tag[EpochIDSize:], k.mac(msg)) {
		return ErrIntegrity
	}
	return nil
}

func (k *Key) mac(msg []byte) []byte {
	sub := k.Derive(tagLabel)
	defer clear(sub)
	m := hmac.New(sha256.New, sub)
	m.Write(msg)
	return m.Sum(nil)
}
