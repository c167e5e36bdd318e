package wire

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	gosync "sync"

	"outpost/chart"

	"github.com/google/uuid"
)

// frameHeader is a frame's fixed part, and its sections as sent.
type frameHeader struct {
	deflated bool
	metaSize int64  // declared inflated size of meta
	meta     []byte // as sent
	blobs    []byte
}

// DeclaredFrameSize is what a frame states it decodes to (its inflated
// metadata plus its raw sealed bytes), read from the header alone: a
// receiver refuses or budgets for it before inflating a byte, and
// DecodeFrame refuses a frame that inflates past it.
func DeclaredFrameSize(body []byte) (int64, error) {
	h, err := parseFrameHeader(body)
	if err != nil {
		return 0, err
	}
	return h.metaSize + int64(len(h.blobs)), nil
}

func parseFrameHeader(body []byte) (frameHeader, error) {
	var h frameHeader
	if len(body) < len(frameMagic)+3 || string(body[:len(frameMagic)]) != frameMagic {
		return h, invalidf("body is not a sync frame")
	}
	flags := body[len(frameMagic)]
	if flags&^frameDeflated != 0 {
		return h, invalidf("frame has unknown flags %#x", flags)
	}
	r := metaReader{b: body[len(frameMagic)+1:]}
	metaLen, metaSize := r.uvarint(), r.uvarint()
	if r.err != nil || metaLen > uint64(len(r.b)) || metaSize > 1<<40 {
		return h, invalidf("frame header is malformed")
	}
	h.deflated = flags&frameDeflated != 0
	if !h.deflated && metaLen != metaSize {
		return h, invalidf("frame header is malformed")
	}
	h.metaSize, h.meta, h.blobs = int64(metaSize), r.b[:metaLen], r.b[metaLen:]
	return h, nil
}

// DecodeFrame decodes one v2 body held in memory into v and validates it,
// as Decode does a v1 body: sizes are checked against lim before anything
// is allocated for them (the frame's whole body against lim.Compressed,
// what it declares it decodes to against lim.Uncompressed), counts and
// lengths are checked against what the body holds, and trailing or
// missing bytes, unknown JSON fields and invalid fields are refused.
// Errors wrap ErrTooLarge or ErrInvalid. Sealed bytes and tags are slices
// of body, which the caller must not reuse.
func DecodeFrame(body []byte, v Validator, lim Limits) error {
	if int64(len(body)) > lim.Compressed {
		return fmt.Errorf("%w: %d bytes (limit %d)", ErrTooLarge, len(body), lim.Compressed)
	}
	h, err := parseFrameHeader(body)
	if err != nil {
		return err
	}
	if h.metaSize+int64(len(h.blobs)) > lim.Uncompressed {
		return fmt.Errorf("%w: frame declares %d bytes (limit %d)", ErrTooLarge, h.metaSize+int64(len(h.blobs)), lim.Uncompressed)
	}
	meta, err := h.inflate()
	if err != nil {
		return err
	}
	head, changes, err := readMeta(meta, h.blobs)
	if err != nil {
		return err
	}
	if err := unmarshalStrict(head, v); err != nil {
		return decodeErr("frame head is not a valid message", err)
	}
	if err := attachChanges(v, changes); err != nil {
		return err
	}
	return v.Validate()
}

// attachChanges puts the change section into v (an empty list, not nil, as
// v1's JSON gives for a page with none).
func attachChanges(v any, changes []Change) error {
	f, ok := v.(Framed)
	switch {
	case !ok && len(changes) > 0:
		return invalidf("frame carries changes in a message that has none")
	case !ok:
		return nil
	case *f.FrameChanges() != nil:
		return invalidf("frame head carries changes outside the change section")
	}
	*f.FrameChanges() = changes
	return nil
}

// DecodeFrameFrom is DecodeFrame for a body read from r (a reply): at most
// lim.Compressed bytes are read.
func DecodeFrameFrom(r io.Reader, v Validator, lim Limits) error {
	body, err := readAll(&limitReader{r: r, left: lim.Compressed}, min(lim.Compressed, 64<<10)+1)
	if err != nil {
		return decodeErr("body could not be read", err)
	}
	return DecodeFrame(body, v, lim)
}

var flateReaders gosync.Pool

// inflate returns the metadata section, exactly its declared size.
func (h frameHeader) inflate() ([]byte, error) {
	if !h.deflated {
		return h.meta, nil
	}
	src := bytes.NewReader(h.meta)
	zr, _ := flateReaders.Get().(io.ReadCloser)
	if zr == nil {
		zr = flate.NewReader(src)
	} else if err := zr.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, decodeErr("frame metadata could not be inflated", err)
	}
	defer flateReaders.Put(zr)
	buf := make([]byte, h.metaSize+1)
	n, err := io.ReadFull(&limitReader{r: zr, left: h.metaSize}, buf)
	switch {
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("%w: frame metadata inflates past the %d bytes it declares", ErrTooLarge, h.metaSize)
	case err != io.ErrUnexpectedEOF || int64(n) != h.metaSize:
		return nil, decodeErr("frame metadata could not be inflated", err)
	case src.Len() != 0:
		return nil, invalidf("frame metadata has data after its compressed stream")
	}
	return buf[:n], nil
}

// readMeta reads the metadata section, taking each change's sealed bytes
// and tag from blobs, which it must use up exactly.
func readMeta(meta, blobs []byte) ([]byte, []Change, error) {
	r := metaReader{b: meta}
	head := r.take(r.uvarint())
	count := r.uvarint()
	switch {
	case r.err != nil:
		return nil, nil, invalidf("frame metadata is truncated")
	case count > maxFrameChanges:
		return nil, nil, invalidf("frame has %d changes (limit %d)", count, maxFrameChanges)
	case count > uint64(len(r.b)/minChangeMeta):
		return nil, nil, invalidf("frame claims %d changes in %d bytes of metadata", count, len(r.b))
	}
	changes := make([]Change, count)
	for i := range changes {
		c := &changes[i]
		sealed, auth := r.change(c)
		if r.err != nil {
			return nil, nil, invalidf("frame metadata of change %d is malformed", i)
		}
		if sealed > MaxSealedLen || auth > MaxAuthLen || sealed+auth > uint64(len(blobs)) {
			return nil, nil, invalidf("change %d declares %d sealed bytes and a %d-byte tag; the frame holds %d", i, sealed, auth, len(blobs))
		}
		c.Sealed, blobs = cut(blobs, sealed)
		c.Auth, blobs = cut(blobs, auth)
	}
	if len(r.b) != 0 || len(blobs) != 0 {
		return nil, nil, invalidf("frame has %d bytes of metadata and %d of content after its last change", len(r.b), len(blobs))
	}
	return head, changes, nil
}

// cut splits n bytes off b (nil when n is 0, as v1 leaves an absent tag);
// the part taken cannot be appended into the rest.
func cut(b []byte, n uint64) ([]byte, []byte) {
	if n == 0 {
		return nil, b
	}
	return b[:n:n], b[n:]
}

// metaReader reads the metadata section; the first error sticks and every
// read after it returns zero values.
type metaReader struct {
	b   []byte
	err error
}

var errShort = errors.New("truncated")

func (r *metaReader) fail() { r.err, r.b = errShort, nil }

func (r *metaReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *metaReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *metaReader) take(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *metaReader) byte() byte {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *metaReader) str() string {
	return string(r.take(uint64(r.byte())))
}

func (r *metaReader) id() string {
	switch r.byte() {
	case idEmpty:
		return ""
	case idUUID:
		b := r.take(16)
		if b == nil {
			return ""
		}
		return uuid.UUID(b).String()
	case idString:
		return r.str()
	}
	r.fail()
	return ""
}

// change reads one change's metadata into c and returns the lengths of
// its sealed bytes and tag.
func (r *metaReader) change(c *Change) (sealed, auth uint64) {
	c.ChangeID = chart.ChangeID(r.id())
	c.RecordID = r.id()
	c.Kind = r.str()
	c.PatientID = chart.PatientID(r.id())
	c.Version = r.varint()
	n := r.uvarint()
	if n > MaxParents || n > uint64(len(r.b)) {
		r.fail()
		return 0, 0
	}
	if n > 0 {
		c.Parents = make([]chart.ChangeID, n)
		for i := range c.Parents {
			c.Parents[i] = chart.ChangeID(r.id())
		}
	}
	c.HLC = r.str()
	c.DeviceID = chart.DeviceID(r.id())
	c.UserID = chart.UserID(r.id())
	return r.uvarint(), r.uvarint()
}

// FrameMetadata returns a frame's metadata section inflated, for tests
// and tools that look at what travels (the rest of a frame is raw).
func FrameMetadata(body []byte) ([]byte, error) {
	h, err := parseFrameHeader(body)
	if err != nil {
		return nil, err
	}
	if h.metaSize > MaxUncompressedBody {
		return nil, fmt.Errorf("%w: frame declares %d bytes of metadata", ErrTooLarge, h.metaSize)
	}
	return h.inflate()
}
