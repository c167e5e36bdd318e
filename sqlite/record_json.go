package sqlite

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"outpost/chart"
)

// bigSourceText is the size from which a source document's text is
// escaped here rather than by encoding/json (below it the difference does
// not pay for the second encoding of the head).
const bigSourceText = 4 << 10

// encodeRecord is json.Marshal(rec), byte for byte. An import's source
// documents hold a patient's resources as one JSON string of up to 4 MiB
// (about 300 MB for the fixtures), which encoding/json escapes a byte at a
// time into a buffer it grows by doubling and then copies once more. Here
// the document without its text is encoded by encoding/json, and the text
// (the last member) is escaped into a buffer sized once: about a fifth
// less CPU (BenchmarkEncodeSourceDocument). TestEncodeRecordAsJSONMarshal
// and FuzzAppendJSONString hold it to encoding/json's bytes.
func encodeRecord(rec any) ([]byte, error) {
	sd, ok := rec.(*chart.SourceDocument)
	if !ok || len(sd.NDJSON) < bigSourceText {
		return json.Marshal(rec)
	}
	head := *sd
	head.NDJSON = ""
	b, err := json.Marshal(&head)
	const tail = `"ndjson":""}`
	if err != nil || !bytes.HasSuffix(b, []byte(tail)) {
		return json.Marshal(rec) // the text is no longer last: encoding/json decides
	}
	out := make([]byte, 0, len(b)+len(sd.NDJSON)+len(sd.NDJSON)/4+8)
	out = append(out, b[:len(b)-2]...) // up to the text's opening quote
	out = appendJSONString(out, sd.NDJSON)
	return append(out, '"', '}'), nil
}

// plainJSON marks the bytes a JSON string holds as they are: ASCII from
// 0x20 up but for " and \, and < > & (which json.Marshal escapes for HTML).
var plainJSON = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()

// appendJSONString appends s escaped as encoding/json escapes a string's
// contents (with HTML escaping, as json.Marshal does), without the quotes.
// Plain bytes are found by one table look-up each and copied a run at a
// time into dst, which the caller sizes once.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start, i := 0, 0
	for i < len(s) {
		b := s[i]
		if plainJSON[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}
