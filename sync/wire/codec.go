package wire

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	gosync "sync"
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

var gzipWriters = gosync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // a valid level: no error
	return zw
}}

// Encode writes v as gzip(JSON) to w.
func Encode(w io.Writer, v any) error {
	// A gzip writer allocates about a megabyte of tables: reuse them.
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(w)
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
	return decode(r, v, lim, 64<<10)
}

// DecodeBody is Decode for a whole body in memory, as the server holds
// it: the inflated message is read into one buffer of the size the body
// declares (see DeclaredSize), so decoding holds the message once.
func DecodeBody(body []byte, v Validator, lim Limits) error {
	declared, err := DeclaredSize(body)
	if err != nil {
		return err
	}
	return decode(bytes.NewReader(body), v, lim, min(declared, lim.Uncompressed)+1)
}

// decode reads the message into a buffer starting at sizeHint bytes.
func decode(r io.Reader, v Validator, lim Limits, sizeHint int64) error {
	// Our own bufio.Reader is a ByteReader, so gzip reads through it without
	// buffering ahead, and bytes after the gzip member stay visible to us.
	compressed := bufio.NewReader(&limitReader{r: r, left: lim.Compressed})
	zr, err := gzip.NewReader(compressed)
	if err != nil {
		return decodeErr("body is not gzip", err)
	}
	zr.Multistream(false)
	// Reading to the end also makes gzip check its length and CRC trailer.
	data, err := readAll(&limitReader{r: zr, left: lim.Uncompressed}, sizeHint)
	if err != nil {
		return decodeErr("body could not be inflated", err)
	}
	if _, err := compressed.ReadByte(); err != io.EOF {
		return decodeErr("body has data after the gzip stream", err)
	}
	// Refuses unknown fields and trailing data too.
	if err := unmarshalStrict(data, v); err != nil {
		return decodeErr("body is not a valid message", err)
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return nil
}

// readAll reads r to its end into a buffer of capacity sizeHint at first,
// grown only if the data is longer.
func readAll(r io.Reader, sizeHint int64) ([]byte, error) {
	buf := make([]byte, 0, max(sizeHint, 512))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
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
