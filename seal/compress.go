package seal

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
)

// Plaintexts are compressed before sealing when that makes them smaller.
// Chart records are JSON text that shrinks two- to fourfold, and a
// ciphertext cannot be compressed afterwards: neither by the store nor by
// gzip on the wire. A leading marker byte says what follows. Everything
// sealed before compression existed is JSON, text or a file whose magic
// number is checked on the way in (PDF, PNG, JPEG), none of which starts
// with 0x00, 0x01 or 0x02, so it opens unchanged.
//
// Compression before encryption can leak content through length when an
// attacker controls part of a plaintext and watches the sealed size, many
// times over (CRIME). A chart record is written by staff, once per save,
// and its size is not observable by whoever could inject text into it, so
// the saving is worth it here.
const (
	// markDeflate: a raw deflate stream (blobs sealed before the
	// dictionary existed; still opened, no longer written).
	markDeflate = 0x00
	markRaw     = 0x01
	// markDeflateDict1: the plaintext's length (uvarint), then a deflate
	// stream against the preset dictionary records-v1.dict. The length
	// lets Open allocate the plaintext once, at its size.
	markDeflateDict1 = 0x02
	// minCompress: shorter plaintexts rarely shrink by more than the
	// marker.
	minCompress = 96
	// bulkAbove: plaintexts longer than this deflate at bulkLevel. Most
	// records are about a kilobyte, and their time goes to resetting the
	// writer; an imported source document is a megabyte or more, and its
	// time to matching, where level 2 is about twice as fast as the
	// default for about 40% more output (docs/benchmarks.md, FHIR import).
	bulkAbove = 64 << 10
	bulkLevel = 2
	// MaxOpened bounds a decompressed plaintext (attachments are at most
	// 10 MiB), so a forged blob cannot make Open allocate without limit.
	MaxOpened = 64 << 20
)

// dict1 is the JSON skeleton of every kind of sealed record (field names,
// empty values, the shape of a timestamp; no chart data). Records are a
// few hundred bytes each, too short for deflate to learn their field names
// from the record itself: against the dictionary they shrink about a third
// more, and inflate three times faster. It is frozen: blobs name it by
// markDeflateDict1, and TestDictionaryIsFrozen pins its hash. A new
// dictionary needs a new marker (see sqlite/seal_dict_gen_test.go).
//
//go:embed records-v1.dict
var dict1 []byte

var (
	errTooLarge = errors.New("sealed plaintext is larger than MaxOpened")
	errLength   = errors.New("sealed plaintext does not have its stated length")
)

// writers and readers are reused: a fresh deflate reader allocates a 32 KB
// window and its tables, which cost more than inflating a record, and a
// writer about a megabyte. They are kept in free lists rather than
// sync.Pools, which every garbage collection empties: a chart read makes
// enough garbage that an audited read rebuilt its writer most times.
var (
	writers     = newFreeList(func() *flate.Writer { return newWriter(flate.DefaultCompression) })
	bulkWriters = newFreeList(func() *flate.Writer { return newWriter(bulkLevel) })
	readers     = newFreeList(func() io.ReadCloser { return flate.NewReader(bytes.NewReader(nil)) })
)

func newWriter(level int) *flate.Writer {
	w, _ := flate.NewWriterDict(nil, level, dict1) // only fails on a bad level
	return w
}

// freeList keeps up to two items per CPU for reuse, across garbage
// collections.
type freeList[T any] struct {
	free  chan T
	fresh func() T
}

func newFreeList[T any](fresh func() T) *freeList[T] {
	return &freeList[T]{free: make(chan T, 2*runtime.GOMAXPROCS(0)), fresh: fresh}
}

func (f *freeList[T]) get() T {
	select {
	case x := <-f.free:
		return x
	default:
		return f.fresh()
	}
}

func (f *freeList[T]) put(x T) {
	select {
	case f.free <- x:
	default: // full: let the collector have it
	}
}

// pack returns what Seal encrypts for plaintext: the deflated plaintext
// after markDeflateDict1 when that is shorter, else the plaintext as is
// (after markRaw only when its first byte would read as a marker). fresh
// reports whether the result is a new buffer the caller should clear.
func pack(plaintext []byte) (body []byte, fresh bool) {
	if len(plaintext) >= minCompress {
		if body, ok := deflate(plaintext); ok {
			return body, true
		}
	}
	if len(plaintext) > 0 && plaintext[0] <= markDeflateDict1 {
		return append([]byte{markRaw}, plaintext...), true
	}
	return plaintext, false
}

// deflate compresses plaintext against dict1 (smallDeflater up to
// smallMax bytes, compress/flate above), reporting false (and leaving
// nothing behind) when that does not make it shorter.
func deflate(plaintext []byte) ([]byte, bool) {
	if len(plaintext) <= smallMax { // most records: see smallDeflater
		head := deflateHeader(plaintext)
		out := smallEncoder(head, plaintext)
		if len(out) >= len(plaintext) {
			clear(out)
			return nil, false
		}
		if readsBack(out[len(head):], plaintext) {
			return out, true
		}
		clear(out)
	}
	buf := bytes.NewBuffer(deflateHeader(plaintext))
	pool := writers
	if len(plaintext) > bulkAbove {
		pool = bulkWriters
	}
	w := pool.get()
	w.Reset(buf) // keeps the dictionary
	_, err := w.Write(plaintext)
	if err == nil {
		err = w.Close()
	}
	pool.put(w)
	if err == nil && buf.Len() < len(plaintext) {
		return buf.Bytes(), true
	}
	clear(buf.Bytes())
	return nil, false
}

// smallEncoder is deflateSmall; a test swaps in a faulty one to show that
// readsBack catches it.
var smallEncoder = deflateSmall

// deflateHeader starts a markDeflateDict1 body: the marker, then the
// plaintext's length, with room for about half the plaintext after.
func deflateHeader(plaintext []byte) []byte {
	head := make([]byte, 0, len(plaintext)/2+16)
	head = append(head, markDeflateDict1)
	return binary.AppendUvarint(head, uint64(len(plaintext)))
}

// readsBack reports whether stream inflates to exactly plaintext. The small
// encoder is our own code; compress/flate's reader is the one every blob is
// opened with, so each stream is read back before it is sealed and a
// mismatch falls back to compress/flate's writer: a defect in the encoder
// costs speed, never a record. The check costs about a fifth of encoding.
func readsBack(stream, plaintext []byte) bool {
	got, err := inflateSized(stream, dict1, len(plaintext))
	ok := err == nil && bytes.Equal(got, plaintext)
	clear(got)
	return ok
}

// unpack reverses pack. It takes ownership of body (clearing it when it
// returns a new buffer).
func unpack(body []byte) ([]byte, error) {
	if len(body) == 0 {
		return body, nil
	}
	switch body[0] {
	case markRaw:
		return body[1:], nil
	case markDeflate:
		defer clear(body)
		return inflateUnsized(body[1:])
	case markDeflateDict1:
		defer clear(body)
		n, k := binary.Uvarint(body[1:])
		if k <= 0 || n > MaxOpened {
			return nil, errTooLarge
		}
		return inflateSized(body[1+k:], dict1, int(n))
	}
	return body, nil
}

// withReader runs f with a pooled deflate reader reset onto compressed.
func withReader(compressed, dict []byte, f func(io.Reader) error) error {
	r := readers.get()
	defer readers.put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(compressed), dict); err != nil {
		return err
	}
	return f(r)
}

// inflateSized inflates exactly n bytes into one buffer of that size and
// checks that the stream ends there.
func inflateSized(compressed, dict []byte, n int) ([]byte, error) {
	out := make([]byte, n)
	err := withReader(compressed, dict, func(r io.Reader) error {
		if _, err := io.ReadFull(r, out); err != nil {
			return errLength
		}
		var one [1]byte
		if m, err := r.Read(one[:]); m != 0 || err != io.EOF {
			return errLength
		}
		return nil
	})
	if err != nil {
		clear(out)
		return nil, err
	}
	return out, nil
}

// inflateUnsized inflates a stream of unknown length, up to MaxOpened.
func inflateUnsized(compressed []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(compressed) * 3)
	err := withReader(compressed, nil, func(r io.Reader) error {
		n, err := io.Copy(&out, io.LimitReader(r, MaxOpened+1))
		if err == nil && n > MaxOpened {
			err = errTooLarge
		}
		return err
	})
	if err != nil {
		clear(out.Bytes())
		return nil, err
	}
	return out.Bytes(), nil
}
