package sync

import (
	"bufio"
	"compress/gzip"
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

// DefaultLimits are the protocol's limits (docs/SYNC.md).
var DefaultLimits = Limits{Compressed: MaxCompressedBody, Uncompressed: MaxUncompressedBody}

// ErrTooLarge is returned by Decode for a body over its Limits.
var ErrTooLarge = errors.New("sync message is too large")

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
