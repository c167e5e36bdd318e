package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"outpost/sync/wire"
)

// request is one request's body and what it holds of the admission
// budgets, released when the reply is written.
type request struct {
	s        *Server
	r        *http.Request
	lim      wire.Limits
	codec    wire.Codec // the request's protocol version (negotiate)
	dev      Device
	body     []byte
	releases []func()
}

func (q *request) release() {
	for _, f := range q.releases {
		f()
	}
	q.releases = nil
}

func (q *request) hold(release func(), err error) error {
	if err != nil {
		return err
	}
	q.releases = append(q.releases, release)
	return nil
}

// readBody reads the compressed body, at most the endpoint's limit, into
// memory reserved for it first (its announced length, or the limit).
func (q *request) readBody() error {
	want := q.lim.Compressed
	if q.r.ContentLength >= 0 {
		want = q.r.ContentLength
	}
	a := q.s.admit
	if err := q.hold(a.reserve(q.r.Context(), a.bodies, want)); err != nil {
		return err
	}
	// ReadFrom wants bytes.MinRead free before each read: with less room
	// at the end of a body of announced length it grew the buffer to twice
	// its size and copied the body (issue #12). With the margin, and the
	// MaxBytesReader's EOF read, the body lands in this one buffer.
	buf := bytes.NewBuffer(make([]byte, 0, want+bytes.MinRead))
	_, err := buf.ReadFrom(http.MaxBytesReader(nil, q.r.Body, q.lim.Compressed))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return q.tooLarge("compressed", q.lim.Compressed+1)
	case err != nil:
		return fail(http.StatusBadRequest, wire.CodeInvalid, "", "The request body could not be read.")
	}
	q.body = buf.Bytes()
	return nil
}

// decode inflates and decodes the body into v. The size the body declares
// is checked against the limit before a byte is inflated, memory for
// decoding that much is reserved, and inflating past the declared size
// fails: a bomb costs no more than an honest body of the size it claims.
func (q *request) decode(v wire.Validator) error {
	declared, err := q.codec.DeclaredSize(q.body)
	if err != nil {
		return fail(http.StatusBadRequest, wire.CodeInvalid, "", "The request was malformed: "+err.Error())
	}
	if declared > q.lim.Uncompressed {
		if !q.codec.LooksDecodable(q.body) { // the "declared size" is noise
			return fail(http.StatusBadRequest, wire.CodeInvalid, "", "The request was malformed: the body is not "+q.codec.Name+".")
		}
		return q.tooLarge("inflated", declared)
	}
	a := q.s.admit
	ctx := q.r.Context()
	if err := q.hold(a.reserve(ctx, a.inflated, decodeCost(declared))); err != nil {
		return err
	}
	done, err := a.decodeSlot(ctx)
	if err != nil {
		return err
	}
	defer done()
	err = q.codec.DecodeBody(q.body, v, wire.Limits{Compressed: int64(len(q.body)), Uncompressed: declared})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wire.ErrTooLarge):
		return fail(http.StatusRequestEntityTooLarge, wire.CodeTooLarge, "",
			fmt.Sprintf("The request inflates to more than the %s its %s declares; it was refused.", size2(declared), q.codec.SizeField))
	default:
		return fail(http.StatusBadRequest, wire.CodeInvalid, "", "The request was malformed: "+err.Error())
	}
}

// tooLarge refuses a body over the endpoint's limit (what is the stage:
// compressed or inflated).
func (q *request) tooLarge(what string, size int64) error {
	limit := q.lim.Compressed
	if what == "inflated" {
		limit = q.lim.Uncompressed
	}
	return fail(http.StatusRequestEntityTooLarge, wire.CodeTooLarge, "",
		fmt.Sprintf("The request is larger than the server accepts at %s (%s %s; limit %s).", q.r.URL.Path, size2(size), what, size2(limit)))
}

// size2 writes a byte count for people.
func size2(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
