package server

import (
	"fmt"
	"net/http"
	"strings"

	"outpost/sync/wire"
)

// negotiate picks the request's codec from its Outpost-Protocol header
// and checks the body's encoding. A version this server does not speak is
// refused with 426: a v2 workstation then retries as v1 (docs/SYNC.md).
func (s *Server) negotiate(req *request) error {
	r := req.r
	v := r.Header.Get(wire.HeaderProtocol)
	codec, ok := wire.CodecFor(v)
	if !ok || codec.Version > s.maxProtocol() {
		return fail(http.StatusUpgradeRequired, wire.CodeIncompatible, "",
			fmt.Sprintf("This server speaks sync protocol %s; the request used %q. Update Outpost on this workstation or the server.", s.spoken(), v))
	}
	req.codec = codec
	if r.Header.Get("Content-Encoding") != codec.ContentEncoding {
		if codec.Version == wire.ProtocolV1 {
			return fail(http.StatusBadRequest, wire.CodeInvalid, "", "The request body must be gzip-compressed.")
		}
		return fail(http.StatusBadRequest, wire.CodeInvalid, "",
			fmt.Sprintf("A protocol %d request body is a frame (%s) without a Content-Encoding.", codec.Version, codec.ContentType))
	}
	return nil
}

func (s *Server) maxProtocol() int {
	if s.MaxProtocol == 0 {
		return wire.LatestProtocol
	}
	return s.MaxProtocol
}

// spoken lists the versions served, e.g. "1 or 2".
func (s *Server) spoken() string {
	vs := make([]string, 0, 2)
	for v := wire.ProtocolV1; v <= s.maxProtocol(); v++ {
		vs = append(vs, fmt.Sprint(v))
	}
	return strings.Join(vs, " or ")
}

// replyVersion is the protocol an error reply names: the request's, or
// the newest served when the request's was refused.
func (q *request) replyVersion() int {
	if q.codec.Version == 0 {
		return q.s.maxProtocol()
	}
	return q.codec.Version
}
