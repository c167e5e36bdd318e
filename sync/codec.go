package sync

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Limits bounds one message body, before and after decompression. A body
// over either limit is refused with ErrTooLarge, so a small gzip bomb cannot
// make the receiver allocate gigabytes.
type Limits struct {
	Compressed   int64
	Uncompressed int64
}

// DefaultLimits bound a reply (docs/SYNC.md); requests have the tighter
// DefaultEndpointLimits.
var DefaultLimits = Limits{Compressed: MaxCompressedBody, Uncompressed: MaxUncompressedBody}

// ErrTooLarge is returned by Decode for a body over its Limits.
var ErrTooLarge = errors.New("sync message is too large")

// DeclaredSize is the inflated size a gzip body states in its trailer
// (ISIZE, the size modulo 4 GiB). A receiver that holds the whole body can
// refuse a body declaring more than its limit before inflating a byte, and
// decode one declaring less with Limits.Uncompressed set to the declared
// size: a body that lies inflates past it and fails with ErrTooLarge, and
// gzip itself refuses one whose trailer does not match. So what a request
// may make the server hold is known before it is inflated.
func DeclaredSize(body []byte) (int64, error) {
	// A gzip member is at least a 10-byte header and an 8-byte trailer.
	if len(body) < 18 || body[0] != 0x1f || body[1] != 0x8b {
		return 0, invalidf("body is not gzip")
	}
	return int64(binary.LittleEndian.Uint32(body[len(body)-4:])), nil
}

// LooksInflatable reports whether body starts as a gzip stream that
// inflates: the first bytes only, so it costs nearly nothing even for a
// bomb. A receiver refusing a body by its declared size uses it to tell a
// body that is too large from one that is not gzip at all.
func LooksInflatable(body []byte) bool {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var probe [512]byte
	_, err = io.ReadFull(zr, probe[:])
	return err == nil || err == io.EOF || err == io.ErrUnexpectedEOF
}

// Encode writes v as gzip(JSON) to w.
func Encode(w io.Writer, v any) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return fmt.Errorf("encode sync message: %w", err)
	}
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return fmt.Errorf("encode sync message: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("encode sync message: %w", err)
	}
	return nil
}

// Decode reads exactly one gzip(JSON) message from r into v and validates
// it. It refuses bodies over lim, unknown fields, trailing data (inside or
// after the gzip stream), truncated or corrupt gzip, and any invalid field;
// errors wrap ErrTooLarge or ErrInvalid. On error v may be partly filled and
// must not be used.
func Decode(r io.Reader, v Validator, lim Limits) error {
	// Our own bufio.Reader is a ByteReader, so gzip reads through it without
	// buffering ahead, and bytes after the gzip member stay visible to us.
	compressed := bufio.NewReader(&limitReader{r: r, left: lim.Compressed})
	zr, err := gzip.NewReader(compressed)
	if err != nil {
		return decodeErr("body is not gzip", err)
	}
	zr.Multistream(false)
	body := &limitReader{r: zr, left: lim.Uncompressed}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeErr("body is not a valid message", err)
	}
	// Draining the rest also makes gzip check its length and CRC trailer.
	if err := onlySpace(io.MultiReader(dec.Buffered(), body)); err != nil {
		return decodeErr("body has trailing data", err)
	}
	if _, err := compressed.ReadByte(); err != io.EOF {
		return decodeErr("body has data after the gzip stream", err)
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return nil
}

// decodeErr keeps ErrTooLarge visible and turns anything else into ErrInvalid.
func decodeErr(what string, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	if err == nil {
		return invalidf("%s", what)
	}
	return fmt.Errorf("%w: %s: %v", ErrInvalid, what, err)
}

func onlySpace(r io.Reader) error {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			if b != ' ' && b != '\n' && b != '\r' && b != '\t' {
				return errors.New("non-space bytes after the JSON value")
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// limitReader fails with ErrTooLarge once more than left bytes are read,
// unlike io.LimitReader, which would silently truncate.
type limitReader struct {
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, fmt.Errorf("%w (limit exceeded)", ErrTooLarge)
	}
	return n, err
}
