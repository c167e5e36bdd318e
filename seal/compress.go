package seal

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"sync"
)

// Plaintexts are compressed before sealing when that makes them smaller.
// Chart records are JSON text that shrinks two- to fourfold, and a
// ciphertext cannot be compressed afterwards: neither by the store nor by
// gzip on the wire. A leading marker byte says what follows. Everything
// sealed before compression existed is JSON, text or a file whose magic
// number is checked on the way in, none of which starts with 0x00 or 0x01,
// so it opens unchanged.
//
// Compression before encryption can leak content through length when an
// attacker controls part of a plaintext and watches the sealed size, many
// times over (CRIME). A chart record is written by staff, once per save,
// and its size is not observable by whoever could inject text into it, so
// the saving is worth it here.
const (
	markDeflate = 0x00
	markRaw     = 0x01
	// minCompress: shorter plaintexts rarely shrink by more than the
	// marker.
	minCompress = 96
	// MaxOpened bounds a decompressed plaintext (attachments are at most
	// 10 MiB), so a forged blob cannot make Open allocate without limit.
	MaxOpened = 64 << 20
)

var errTooLarge = errors.New("sealed plaintext is larger than MaxOpened")

var writers = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.DefaultCompression) // only fails on a bad level
	return w
}}

// pack returns what Seal encrypts for plaintext: the deflated plaintext
// after markDeflate when that is shorter, else the plaintext as is (after
// markRaw only when its first byte would read as a marker). fresh reports
// whether the result is a new buffer the caller should clear.
func pack(plaintext []byte) (body []byte, fresh bool) {
	if len(plaintext) >= minCompress {
		var buf bytes.Buffer
		buf.Grow(len(plaintext)/2 + 16)
		buf.WriteByte(markDeflate)
		w := writers.Get().(*flate.Writer)
		w.Reset(&buf)
		_, err := w.Write(plaintext)
		if err == nil {
			err = w.Close()
		}
		writers.Put(w)
		if err == nil && buf.Len() < len(plaintext) {
			return buf.Bytes(), true
		}
		clear(buf.Bytes())
	}
	if len(plaintext) > 0 && (plaintext[0] == markDeflate || plaintext[0] == markRaw) {
		return append([]byte{markRaw}, plaintext...), true
	}
	return plaintext, false
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
		r := flate.NewReader(bytes.NewReader(body[1:]))
		defer r.Close()
		var out bytes.Buffer
		out.Grow(len(body) * 3)
		n, err := io.Copy(&out, io.LimitReader(r, MaxOpened+1))
		if err != nil {
			clear(out.Bytes())
			return nil, err
		}
		if n > MaxOpened {
			clear(out.Bytes())
			return nil, errTooLarge
		}
		return out.Bytes(), nil
	}
	return body, nil
}
