package wire

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	gosync "sync"

	"github.com/google/uuid"
)

// The v2 body ("frame"), used for every message of protocol 2 (docs/SYNC.md,
// "Protocol (version 2)"):
//
//	magic     4 bytes "OPS2"
//	flags     1 byte: bit 0 set = the metadata section is deflated; others 0
//	metaLen   uvarint: the metadata section's length as sent
//	metaSize  uvarint: its length once inflated (metaLen when not deflated)
//	meta      metaLen bytes
//	blobs     the rest of the body: each change's sealed bytes then its
//	          auth tag, in change order, raw
//
// The (inflated) metadata section is
//
//	headLen uvarint, head: the message as JSON without its changes
//	count   uvarint, then per change:
//	  changeId id, recordId id, kind str, patientId id, version varint,
//	  parent count uvarint, parents id..., hlc str, deviceId id, userId id,
//	  sealed length uvarint, auth length uvarint
//
// where an id is a tag byte (0: empty; 1: 16 raw bytes of a canonical UUID;
// 2: a str, for anything else, so a malformed id still arrives to be
// refused or quarantined as in v1) and a str is a length byte and bytes.
// Ciphertext does not compress, so only the metadata is deflated (at the
// fastest setting): measured in BenchmarkFrameCompression.
const (
	frameMagic    = "OPS2"
	frameDeflated = 1 << 0
	idEmpty       = 0
	idUUID        = 1
	idString      = 2
	// maxFrameChanges bounds a frame's change count: the larger of a push
	// and a pull page.
	maxFrameChanges = max(MaxChangesPerPush, MaxPullLimit)
	// minChangeMeta is the fewest metadata bytes a change takes (ten
	// one-byte fields and a one-byte version), so a frame's count cannot
	// claim more changes than its metadata holds.
	minChangeMeta = 11
)

// Framed is a message that carries changes: in a v2 frame they travel in
// the change section (metadata and raw sealed bytes), not in the JSON head.
// A new change-carrying message needs only this method to use the framing.
type Framed interface {
	FrameChanges() *[]Change
}

// FrameChanges implements Framed.
func (p *PushRequest) FrameChanges() *[]Change { return &p.Changes }

// FrameChanges implements Framed.
func (p *PullResponse) FrameChanges() *[]Change { return &p.Changes }

var flateWriters = gosync.Pool{New: func() any {
	zw, _ := flate.NewWriter(nil, flate.BestSpeed) // a valid level: no error
	return zw
}}

// EncodeFrame writes v as a v2 frame to w. Its changes (if v is Framed)
// go to the change section; everything else is the JSON head.
func EncodeFrame(w io.Writer, v any) error {
	head, changes, err := splitMessage(v)
	if err != nil {
		return fmt.Errorf("encode sync frame: %w", err)
	}
	meta, err := appendMeta(make([]byte, 0, len(head)+64+len(changes)*128), head, changes)
	if err != nil {
		return fmt.Errorf("encode sync frame: %w", err)
	}
	flags, section := byte(0), meta
	if packed := deflate(meta); len(packed) < len(meta) {
		flags, section = frameDeflated, packed
	}
	out := make([]byte, 0, 4+1+2*binary.MaxVarintLen64+len(section))
	out = append(out, frameMagic...)
	out = append(out, flags)
	out = binary.AppendUvarint(out, uint64(len(section)))
	out = binary.AppendUvarint(out, uint64(len(meta)))
	out = append(out, section...)
	if g, ok := w.(interface{ Grow(int) }); ok { // a bytes.Buffer: one allocation, no copies as it grows
		size := len(out)
		for i := range changes {
			size += len(changes[i].Sealed) + len(changes[i].Auth)
		}
		g.Grow(size)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("encode sync frame: %w", err)
	}
	for i := range changes {
		if _, err := w.Write(changes[i].Sealed); err != nil {
			return fmt.Errorf("encode sync frame: %w", err)
		}
		if _, err := w.Write(changes[i].Auth); err != nil {
			return fmt.Errorf("encode sync frame: %w", err)
		}
	}
	return nil
}

// splitMessage returns v's JSON without its changes, and the changes. The
// message itself is not modified (a copy loses its changes).
func splitMessage(v any) ([]byte, []Change, error) {
	var changes []Change
	if f, ok := v.(Framed); ok && reflect.TypeOf(v).Kind() == reflect.Pointer {
		changes = *f.FrameChanges()
		cp := reflect.New(reflect.TypeOf(v).Elem())
		cp.Elem().Set(reflect.ValueOf(v).Elem())
		v = cp.Interface()
		*v.(Framed).FrameChanges() = nil
	}
	if len(changes) > maxFrameChanges {
		return nil, nil, fmt.Errorf("%d changes (limit %d)", len(changes), maxFrameChanges)
	}
	head, err := json.Marshal(v)
	return head, changes, err
}

func appendMeta(b, head []byte, changes []Change) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(len(head)))
	b = append(b, head...)
	b = binary.AppendUvarint(b, uint64(len(changes)))
	for i := range changes {
		c := &changes[i]
		if !fitsStr(c) {
			return nil, fmt.Errorf("change %.40q has a field longer than %d bytes", c.ChangeID, maxStr)
		}
		b = appendChangeMeta(b, c)
	}
	return b, nil
}

// maxStr is the longest str of a frame (a length byte); no field of a
// valid change comes near it.
const maxStr = 255

// fitsStr reports whether every str of c fits a frame.
func fitsStr(c *Change) bool {
	long := func(s string) bool { return len(s) > maxStr }
	if long(string(c.ChangeID)) || long(c.RecordID) || long(c.Kind) || long(string(c.PatientID)) ||
		long(c.HLC) || long(string(c.DeviceID)) || long(string(c.UserID)) {
		return false
	}
	for _, p := range c.Parents {
		if long(string(p)) {
			return false
		}
	}
	return true
}

func appendChangeMeta(b []byte, c *Change) []byte {
	b = appendID(b, string(c.ChangeID))
	b = appendID(b, c.RecordID)
	b = appendStr(b, c.Kind)
	b = appendID(b, string(c.PatientID))
	b = binary.AppendVarint(b, c.Version)
	b = binary.AppendUvarint(b, uint64(len(c.Parents)))
	for _, p := range c.Parents {
		b = appendID(b, string(p))
	}
	b = appendStr(b, c.HLC)
	b = appendID(b, string(c.DeviceID))
	b = appendID(b, string(c.UserID))
	b = binary.AppendUvarint(b, uint64(len(c.Sealed)))
	return binary.AppendUvarint(b, uint64(len(c.Auth)))
}

// appendID writes a canonical UUID as 16 bytes, anything else as a str.
func appendID(b []byte, s string) []byte {
	if s == "" {
		return append(b, idEmpty)
	}
	if u, err := uuid.Parse(s); err == nil && u.String() == s {
		return append(append(b, idUUID), u[:]...)
	}
	return appendStr(append(b, idString), s)
}

// appendStr writes s (at most maxStr bytes: fitsStr) with a length byte.
func appendStr(b []byte, s string) []byte {
	return append(append(b, byte(len(s))), s...)
}

func deflate(meta []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(meta)/3 + 64)
	zw := flateWriters.Get().(*flate.Writer)
	defer flateWriters.Put(zw)
	zw.Reset(&buf)
	zw.Write(meta) // a bytes.Buffer does not fail
	zw.Close()
	return buf.Bytes()
}
