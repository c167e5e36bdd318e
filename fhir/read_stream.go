package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// stream splits a JSON document into values without decoding them: it
// finds where each value ends (strings and brackets counted), hands out a
// copy of its bytes, and has json.Valid check them. That is one scan and
// one copy per Bundle entry, where json.Decoder makes two scans. It keeps
// only the value being read (plus a read-ahead buffer), and counts the
// lines it has passed so an error names its line.
type stream struct {
	r   io.Reader
	buf []byte
	pos int
	eof bool
	err error
	// base is the stream offset of buf[0]; lines the newlines before it.
	base  int64
	lines int
	// trusted skips the validity check (see RereadFile).
	trusted bool
	// index is where the members of the last value's first two levels of
	// objects are, when validEnd read it (empty when it was read the long
	// way): valid until the next read.
	index objIndex
}

// readMode says how a read treats its input and its caller.
type readMode struct {
	// trusted skips the validity check (see RereadFile).
	trusted bool
	// borrowed hands out each entry's bytes in the reader's buffer, valid
	// until fn returns, instead of a copy (see ScanFile).
	borrowed bool
}

const streamChunk = 64 << 10

// readAhead is how much of the input value has in its buffer, when there
// is that much, before the validator walks a value: a Bundle entry larger
// than this (3% of the fixtures' bytes) is walked twice.
const readAhead = streamChunk

func newStream(r io.Reader) *stream {
	return &stream{r: r, buf: make([]byte, 0, streamChunk)}
}

// more reads at least one more byte into buf (never moving what is there);
// false at the end of the input.
func (s *stream) more() bool {
	for !s.eof {
		if cap(s.buf)-len(s.buf) < streamChunk/4 {
			grown := make([]byte, len(s.buf), 2*cap(s.buf)+streamChunk)
			copy(grown, s.buf)
			s.buf = grown
		}
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.err = err
			}
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// release drops the bytes already read, so the buffer holds only what is
// ahead: called between values.
func (s *stream) release() {
	if s.pos < streamChunk {
		return
	}
	s.lines += bytes.Count(s.buf[:s.pos], []byte{'\n'})
	s.base += int64(s.pos)
	n := copy(s.buf, s.buf[s.pos:])
	s.buf = s.buf[:n]
	s.pos = 0
}

// next is the next byte that is not white space, not consumed; 0 at the end.
func (s *stream) next() byte {
	for {
		for s.pos < len(s.buf) {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c
			}
		}
		if !s.more() {
			return 0
		}
	}
}

// offset is the stream offset of the read position.
func (s *stream) offset() int64 { return s.base + int64(s.pos) }

// lineAt is the 1-based line of a stream offset still in the buffer.
func (s *stream) lineAt(off int64) int {
	i := int(off - s.base)
	i = max(0, min(i, len(s.buf)))
	return s.lines + bytes.Count(s.buf[:i], []byte{'\n'}) + 1
}

// value reads one whole value, checked to be valid JSON. Its bytes are
// the stream's buffer, valid until the next read: a caller that keeps
// them keeps a copy.
func (s *stream) value() ([]byte, error) {
	s.release()
	if s.next() == 0 {
		return nil, s.unexpectedEnd()
	}
	start := s.pos
	s.index.reset()
	if !s.trusted {
		// The common case, one walk: an object, array or string whole in
		// the buffer that the validator accepts ends where valueEnd would
		// find its end (validEnd), and is valid: the bytes are walked once,
		// where valueEnd then isValidJSON walked them twice. Reading up to
		// readAhead bytes ahead first keeps most values whole in the
		// buffer (a read of gzip hands out at most 32 KiB); a larger one
		// is read the long way.
		for len(s.buf)-start < readAhead && s.more() {
		}
		if end, ok := validEnd(s.buf, start, &s.index); ok {
			s.pos = end
			return s.buf[start:end:end], nil
		}
	}
	return s.valueTwoWalks(start)
}

// valueTwoWalks reads the value starting at buf[start] the long way: its
// end found first (reading more as needed), then its bytes checked, a
// refusal located by encoding/json's error. Every value that validEnd does
// not take, broken ones among them, is read this way.
func (s *stream) valueTwoWalks(start int) ([]byte, error) {
	end, err := s.valueEnd(start)
	if err != nil {
		return nil, err
	}
	v := s.buf[start:end:end]
	if !s.trusted && !isValidJSON(v) {
		var x json.RawMessage
		err := json.Unmarshal(v, &x)
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, &streamError{msg: syn.Error(), at: s.base + int64(start) + syn.Offset - 1}
		}
		return nil, s.unexpectedEnd()
	}
	s.pos = end
	return v, nil
}

// valueEnd finds where the value starting at buf[i] ends. Inside strings
// (most of a FHIR file: narratives, base64) it jumps from quote to quote.
func (s *stream) valueEnd(i int) (int, error) {
	depth, inString := 0, false
	for {
		for i < len(s.buf) {
			if inString {
				j := bytes.IndexByte(s.buf[i:], '"')
				if j < 0 {
					i = len(s.buf)
					break
				}
				i += j
				if escapedQuote(s.buf, i) {
					i++
					continue
				}
				inString = false
				i++
				if depth == 0 {
					return i, nil
				}
				continue
			}
			if depth > 0 {
				// Inside an object or array only quotes and brackets
				// matter: pass the rest (names, numbers, indentation) in
				// a tight loop.
				buf := s.buf
				for i < len(buf) && !structural[buf[i]] {
					i++
				}
				if i == len(buf) {
					break
				}
			}
			switch c := s.buf[i]; {
			case c == '"':
				inString = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				if depth == 0 {
					return i, nil // the end of a number or literal
				}
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'):
				return i, nil
			}
			i++
		}
		if !s.more() {
			if depth == 0 && !inString && i > s.pos {
				return i, nil // a number or literal at the very end
			}
			return 0, s.unexpectedEnd()
		}
	}
}

// structural marks the bytes valueEnd looks at inside an object or array.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// escapedQuote says whether the quote at buf[q] is escaped: preceded by an
// odd number of backslashes.
func escapedQuote(buf []byte, q int) bool {
	n := 0
	for k := q - 1; k >= 0 && buf[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

// expect consumes c or fails naming what was found instead.
func (s *stream) expect(c byte, context string) error {
	if got := s.next(); got != c {
		return s.unexpected(got, context)
	}
	s.pos++
	return nil
}

func (s *stream) unexpected(got byte, context string) error {
	if got == 0 {
		return s.unexpectedEnd()
	}
	return &streamError{msg: fmt.Sprintf("invalid character %q %s", got, context), at: s.offset()}
}

func (s *stream) unexpectedEnd() error {
	if s.err != nil {
		return s.err
	}
	return io.ErrUnexpectedEOF
}

// streamError is a syntax error at a stream offset.
type streamError struct {
	msg string
	at  int64
}

func (e *streamError) Error() string { return e.msg }
