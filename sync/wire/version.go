package wire

import (
	"bytes"
	"io"
	"strconv"
)

// Protocol versions (docs/SYNC.md). A request names its version in the
// Outpost-Protocol header and the reply comes in the same one. A server
// refuses a version it does not speak with 426 and CodeIncompatible; a
// workstation speaking v2 then retries as v1 and keeps to v1 for the rest
// of its session. v1 is retired once every workstation speaks v2.
const (
	ProtocolV1 = 1
	ProtocolV2 = 2
	// LatestProtocol is what a workstation tries first.
	LatestProtocol = ProtocolV2
)

// ContentTypeV2 is the media type of a v2 body (a frame; see frame.go).
const ContentTypeV2 = "application/vnd.outpost.sync.v2"

// Codec reads and writes the bodies of one protocol version.
type Codec struct {
	Version     int
	Name        string // what a body is, for messages: "gzip", "a sync frame"
	SizeField   string // where a body declares its decoded size, for messages
	ContentType string
	// ContentEncoding is the HTTP Content-Encoding of its bodies: v1's
	// JSON is gzipped whole; v2 compresses its metadata inside the frame.
	ContentEncoding string
	// Encode writes a message.
	Encode func(w io.Writer, v any) error
	// DeclaredSize is the decoded size a body states, read without
	// decoding it (see DeclaredSize and DeclaredFrameSize).
	DeclaredSize func(body []byte) (int64, error)
	// LooksDecodable tells a body too large by its declared size from
	// noise, cheaply.
	LooksDecodable func(body []byte) bool
	// DecodeBody decodes a body held in memory, Decode one read from r.
	DecodeBody func(body []byte, v Validator, lim Limits) error
	Decode     func(r io.Reader, v Validator, lim Limits) error
}

// Codecs of the versions this build speaks.
var (
	CodecV1 = Codec{Version: ProtocolV1, Name: "gzip", SizeField: "gzip trailer", ContentType: ContentType, ContentEncoding: "gzip", Encode: Encode,
		DeclaredSize: DeclaredSize, LooksDecodable: LooksInflatable, DecodeBody: DecodeBody, Decode: Decode}
	CodecV2 = Codec{Version: ProtocolV2, Name: "a sync frame", SizeField: "frame header", ContentType: ContentTypeV2, Encode: EncodeFrame,
		DeclaredSize: DeclaredFrameSize, LooksDecodable: looksFramed, DecodeBody: DecodeFrame, Decode: DecodeFrameFrom}
)

// CodecFor returns the codec of the version named by an Outpost-Protocol
// header, if this build speaks it.
func CodecFor(header string) (Codec, bool) {
	switch header {
	case strconv.Itoa(ProtocolV1):
		return CodecV1, true
	case strconv.Itoa(ProtocolV2):
		return CodecV2, true
	}
	return Codec{}, false
}

func looksFramed(body []byte) bool { return bytes.HasPrefix(body, []byte(frameMagic)) }
