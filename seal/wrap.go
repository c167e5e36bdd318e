package seal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
)

// DefaultWorkFactor is age's scrypt work factor (2^18: about a second on a
// laptop), which is what makes guessing passphrases offline expensive.
const DefaultWorkFactor = 18

// ErrWrongPassphrase is returned when a passphrase does not unwrap a key.
var ErrWrongPassphrase = errors.New("the passphrase does not unlock this key")

// ErrWrongRecoveryKey is returned when a recovery identity does not unwrap a key.
var ErrWrongRecoveryKey = errors.New("the recovery key does not unlock this key")

// maxWrapped bounds what Unwrap reads: a wrapped 32-byte key is a few hundred bytes.
const maxWrapped = 64 << 10

// WrapWithPassphrase wraps k for a passphrase with scrypt at workFactor
// (DefaultWorkFactor in production; tests use less).
func WrapWithPassphrase(k *Key, passphrase string, workFactor int) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, fmt.Errorf("wrap key with passphrase: %w", err)
	}
	r.SetWorkFactor(workFactor)
	return wrap(k, r)
}

// ErrWorkFactor is returned for a wrapped key whose scrypt work factor is
// above the ceiling the caller accepts: every attempt to unwrap it would
// cost up to gigabytes of memory and minutes of work, which a hostile
// server could hand a workstation on purpose.
var ErrWorkFactor = errors.New("the wrapped key asks for more passphrase work than this practice allows")

// UnwrapWithPassphrase recovers a key wrapped by WrapWithPassphrase,
// refusing (ErrWorkFactor, before any scrypt work) a wrap whose work factor
// is above maxWorkFactor.
func UnwrapWithPassphrase(wrapped []byte, passphrase string, maxWorkFactor int) (*Key, error) {
	if n, ok := scryptWorkFactor(wrapped); !ok || n > maxWorkFactor {
		return nil, ErrWorkFactor
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, fmt.Errorf("unwrap key: %w", err)
	}
	id.SetMaxWorkFactor(maxWorkFactor)
	k, err := unwrap(wrapped, id)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return nil, ErrWrongPassphrase
	}
	return k, err
}

// scryptWorkFactor reads the work factor of a passphrase-wrapped key from
// its age header ("-> scrypt SALT N"); ok is false if there is none.
func scryptWorkFactor(wrapped []byte) (int, bool) {
	header, _, _ := bytes.Cut(wrapped, []byte("\n---"))
	for line := range bytes.Lines(header) {
		f := strings.Fields(string(line))
		if len(f) == 4 && f[0] == "->" && f[1] == "scrypt" {
			n, err := strconv.Atoi(f[3])
			return n, err == nil && n > 0
		}
	}
	return 0, false
}

// NewRecoveryIdentity returns a fresh age X25519 identity ("AGE-SECRET-KEY-1…",
// to be printed and kept safe) and its public recipient ("age1…").
func NewRecoveryIdentity() (identity, recipient string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", fmt.Errorf("generate recovery key: %w", err)
	}
	return id.String(), id.Recipient().String(), nil
}

// WrapForRecipient wraps k for an age X25519 recipient ("age1…").
func WrapForRecipient(k *Key, recipient string) ([]byte, error) {
	r, err := age.ParseX25519Recipient(strings.TrimSpace(recipient))
	if err != nil {
		return nil, fmt.Errorf("wrap key for recovery recipient: %w", err)
	}
	return wrap(k, r)
}

// UnwrapWithIdentity recovers a key wrapped by WrapForRecipient. identity may
// carry surrounding white space, as pasted from a printout.
func UnwrapWithIdentity(wrapped []byte, identity string) (*Key, error) {
	id, err := age.ParseX25519Identity(strings.ToUpper(strings.Join(strings.Fields(identity), "")))
	if err != nil {
		return nil, ErrWrongRecoveryKey
	}
	k, err := unwrap(wrapped, id)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return nil, ErrWrongRecoveryKey
	}
	return k, err
}

func wrap(k *Key, r age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, fmt.Errorf("wrap key: %w", err)
	}
	if _, err := w.Write(k.b[:]); err != nil {
		return nil, fmt.Errorf("wrap key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("wrap key: %w", err)
	}
	return buf.Bytes(), nil
}

func unwrap(wrapped []byte, id age.Identity) (*Key, error) {
	if len(wrapped) > maxWrapped {
		return nil, fmt.Errorf("unwrap key: wrapped key is implausibly large (%d bytes)", len(wrapped))
	}
	r, err := age.Decrypt(bytes.NewReader(wrapped), id)
	if err != nil {
		return nil, fmt.Errorf("unwrap key: %w", err)
	}
	return readKey(r)
}

// readKey reads exactly one key from r into a buffer it clears before
// returning, so the only copy left is the Key's own. (io.ReadAll would leave
// the key bytes in a grown buffer for the garbage collector.) age's own
// buffers are out of reach: docs/SECURITY.md.
func readKey(r io.Reader) (*Key, error) {
	var buf [KeySize + 1]byte
	defer clear(buf[:])
	n, err := io.ReadFull(r, buf[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("unwrap key: %w", err)
	}
	if n > KeySize {
		return nil, fmt.Errorf("unwrap key: the wrapped data is longer than a %d-byte key", KeySize)
	}
	return KeyFromBytes(buf[:n])
}
