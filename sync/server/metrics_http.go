package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"outpost/sync/wire"
)

// endpointNames are the endpoint label's values; any other path is
// "other", so a scan of made-up paths adds no series and no path (which
// could hold an id) reaches a label.
var endpointNames = map[string]string{
	"/v1/enroll":         "enroll",
	"/v1/push":           "push",
	"/v1/pull":           "pull",
	wire.PathAuditAnchor: "audit_anchor",
	"/healthz":           "healthz",
	"/readyz":            "readyz",
}

func endpointName(path string) string {
	if n, ok := endpointNames[path]; ok {
		return n
	}
	return "other"
}

// observe wraps the routes: it counts and times every request and reads
// the error code and reason of a refusal from its reply, so the handlers
// themselves know nothing of metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	m := s.metrics
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		endpoint := endpointName(r.URL.Path)
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		in := &countingBody{ReadCloser: r.Body}
		r.Body = in
		out := &recordingWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(out, r)
		m.requests.WithLabelValues(endpoint, strconv.Itoa(out.status)).Inc()
		m.latency.WithLabelValues(endpoint).Observe(time.Since(start).Seconds())
		m.bytesIn.WithLabelValues(endpoint).Add(float64(in.n))
		m.bytesOut.WithLabelValues(endpoint).Add(float64(out.n))
		if out.status >= 400 {
			code, reason := errorLabels(out.status, out.errBody.Bytes())
			m.errors.WithLabelValues(endpoint, code, reason).Inc()
		}
	})
}

// labelWord is what a code or reason the server names looks like; a reply
// that is not the server's own (wire.ErrorResponse) is labelled by status.
var labelWord = regexp.MustCompile(`^[a-z_]{1,32}$`)

func errorLabels(status int, body []byte) (code, reason string) {
	var e wire.ErrorResponse
	if json.Unmarshal(body, &e) != nil || !labelWord.MatchString(e.Error.Code) {
		return "http_" + strconv.Itoa(status), ""
	}
	if !labelWord.MatchString(e.Error.Reason) {
		return e.Error.Code, ""
	}
	return e.Error.Code, e.Error.Reason
}

type countingBody struct {
	io.ReadCloser
	n int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	k, err := b.ReadCloser.Read(p)
	b.n += int64(k)
	return k, err
}

// maxErrorBody is how much of a refusal's reply is kept to read its code:
// an ErrorResponse is a few hundred bytes.
const maxErrorBody = 8 << 10

// recordingWriter notes the status and size of a reply, and the start of
// an error reply's body.
type recordingWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	n           int64
	errBody     bytes.Buffer
}

func (w *recordingWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	if w.status >= 400 && w.errBody.Len() < maxErrorBody {
		w.errBody.Write(p[:min(len(p), maxErrorBody-w.errBody.Len())])
	}
	k, err := w.ResponseWriter.Write(p)
	w.n += int64(k)
	return k, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
