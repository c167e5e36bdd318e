// Package transport is the workstation side of the sync transport: an HTTPS
// client that pins the practice server's self-signed certificate, signs
// every request with the device's Ed25519 key, and turns every failure into
// a message the person at the keyboard can act on (docs/SYNC.md).
package transport

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// Client talks to one practice server as one enrolled device.
type Client struct {
	BaseURL           string // https://host:port
	PinnedFingerprint []byte // SHA-256 of the server's leaf certificate (DER)
	DeviceID          chart.DeviceID
	PrivateKey        ed25519.PrivateKey
	// PracticeID is the practice the server serves; requests are signed
	// for it and for PinnedFingerprint. EnrollWith sets it from the reply.
	PracticeID chart.PracticeID
	// HTTP defaults to NewHTTPClient(PinnedFingerprint). A caller-supplied
	// client must do its own pinning.
	HTTP *http.Client
	// Now is the clock used to timestamp requests (nil: time.Now).
	Now func() time.Time
	// IncludeOwn makes pulls return this device's own changes too (see
	// sync.PullRequest.IncludeOwn): for a workstation restored from a
	// backup, and for tests that read back what they pushed.
	IncludeOwn bool
	// Protocol is the sync protocol version to speak: 0 speaks the newest
	// (wire.LatestProtocol) and falls back to v1 for the rest of this
	// client's life when the server refuses it (a server not yet
	// upgraded); wire.ProtocolV1 speaks v1 only, as a workstation built
	// before v2 does.
	Protocol int

	// fellBack (1): a server refused the newest protocol; v1 from now on.
	// An int32 used atomically, so a Client stays copyable.
	fellBack int32
}

// Timeouts. A push of a full batch over a slow rural link may take minutes;
// connecting should not.
const (
	dialTimeout      = 15 * time.Second
	handshakeTimeout = 15 * time.Second
	requestTimeout   = 10 * time.Minute
)

var errFingerprint = errors.New("server certificate does not match the pinned fingerprint")

// PinnedTLSConfig trusts exactly the certificate whose SHA-256 is
// fingerprint. InsecureSkipVerify turns off CA chain and hostname checks
// (the server's certificate is self-signed and may be reached by IP), and
// VerifyPeerCertificate replaces them with the stricter exact match. No
// session cache is set, so every connection runs a full handshake and the
// check.
func PinnedTLSConfig(fingerprint []byte) *tls.Config {
	want := bytes.Clone(fingerprint)
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(rawCerts [][]byte, _ [][]*x509.Certificate) error {
			if len(rawCerts) == 0 || len(want) != sha256.Size {
				return errFingerprint
			}
			got := sha256.Sum256(rawCerts[0])
			if subtle.ConstantTimeCompare(got[:], want) != 1 {
				return errFingerprint
			}
			return nil
		},
	}
}

// NewHTTPClient returns an HTTP client pinned to fingerprint, with timeouts.
func NewHTTPClient(fingerprint []byte) *http.Client {
	return &http.Client{
		Timeout: requestTimeout,
		Transport: &http.Transport{
			DialContext:           (&net.Dialer{Timeout: dialTimeout}).DialContext,
			TLSClientConfig:       PinnedTLSConfig(fingerprint),
			TLSHandshakeTimeout:   handshakeTimeout,
			ForceAttemptHTTP2:     true,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: requestTimeout,
		},
		// The protocol never redirects; following one would re-send a
		// signed body somewhere else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ParseEnrollmentCode reads the code an administrator printed with
// `outpost-server enroll`.
func ParseEnrollmentCode(s string) (wire.EnrollmentCode, error) {
	c, err := wire.ParseEnrollmentCode(s)
	if err != nil {
		return c, &Error{Code: chart.EINVALID, cause: err,
			Message: "This enrolment code is not valid. Copy it again exactly as the administrator gave it."}
	}
	return c, nil
}

// ClientFor returns a client that syncs as the enrolled identity id.
func ClientFor(id wire.SyncIdentity) *Client {
	return &Client{BaseURL: "https://" + id.ServerAddr, PinnedFingerprint: id.Fingerprint, DeviceID: id.DeviceID,
		PrivateKey: id.PrivateKey, PracticeID: id.PracticeID}
}

// NewClient returns a client for the server named in code.
func NewClient(code wire.EnrollmentCode, deviceID chart.DeviceID, key ed25519.PrivateKey) *Client {
	return &Client{BaseURL: "https://" + code.Addr, PinnedFingerprint: code.Fingerprint[:], DeviceID: deviceID, PrivateKey: key}
}

// Enroll registers this device's public key with the server using the
// single-use code token, naming no practice: for a workstation joining a
// practice whose server is already bound. See EnrollWith.
func (c *Client) Enroll(ctx context.Context, code wire.EnrollmentCode, deviceName string) (wire.EnrollResponse, error) {
	return c.EnrollWith(ctx, code, deviceName, "")
}

// EnrollWith enrols like Enroll, naming this workstation's practice. The
// first enrolment naming a practice binds an unbound server to it; a
// server bound to another practice refuses (reason wrong_practice) and
// keeps the code usable.
func (c *Client) EnrollWith(ctx context.Context, code wire.EnrollmentCode, deviceName string, practiceID chart.PracticeID) (wire.EnrollResponse, error) {
	var resp wire.EnrollResponse
	pub, ok := c.PrivateKey.Public().(ed25519.PublicKey)
	if !ok || len(c.PrivateKey) != ed25519.PrivateKeySize {
		return resp, fmt.Errorf("enrol: device key is not an Ed25519 key")
	}
	if err := wire.CheckDeviceName(deviceName); err != nil {
		return resp, &Error{Code: chart.EINVALID, cause: err, Message: "This workstation's name cannot be used: " + err.Error() + "."}
	}
	req := wire.EnrollRequest{Code: code.TokenString(), DeviceID: c.DeviceID, DeviceName: deviceName, PublicKey: pub, PracticeID: practiceID}
	if err := c.do(ctx, "/v1/enroll", &req, &resp, false); err != nil {
		return resp, err
	}
	if practiceID != "" && resp.PracticeID != practiceID {
		return resp, &Error{Code: chart.EUNAUTHORIZED,
			Message: "The practice server answered for another practice than this workstation's. Ask your administrator before continuing."}
	}
	c.PracticeID = resp.PracticeID
	return resp, nil
}

// Push sends one batch (at most wire.MaxChangesPerPush) and returns the
// server's acks, which arrive only after the batch is durably stored.
func (c *Client) Push(ctx context.Context, changes []wire.Change) ([]wire.Ack, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	var resp wire.PushResponse
	if err := c.do(ctx, "/v1/push", &wire.PushRequest{Changes: changes}, &resp, true); err != nil {
		return nil, err
	}
	if len(resp.Acks) != len(changes) {
		return nil, &Error{Code: chart.EINTERNAL, Temporary: true,
			Message: fmt.Sprintf("The practice server acknowledged %d of %d changes; they will be sent again.", len(resp.Acks), len(changes))}
	}
	for i, a := range resp.Acks {
		if a.ChangeID != changes[i].ChangeID {
			return nil, &Error{Code: chart.EINTERNAL, Temporary: true,
				Message: "The practice server acknowledged different changes than were sent; they will be sent again."}
		}
	}
	return resp.Acks, nil
}

// Pull fetches one page of changes after the seq cursor after. A nil
// patients slice pulls everything.
func (c *Client) Pull(ctx context.Context, after int64, limit int, patients []chart.PatientID) (wire.PullResponse, error) {
	var resp wire.PullResponse
	req := &wire.PullRequest{After: after, Limit: limit, Patients: patients, IncludeOwn: c.IncludeOwn}
	err := c.do(ctx, "/v1/pull", req, &resp, true)
	return resp, err
}

func (c *Client) do(ctx context.Context, path string, req wire.Validator, resp wire.Validator, signed bool) error {
	// Validated here too so a local bug gets a local error, not a 400.
	if err := req.Validate(); err != nil {
		return &Error{Code: chart.EINVALID, cause: err, Message: "This workstation tried to send malformed sync data: " + err.Error()}
	}
	codec := c.codec()
	err := c.exchange(ctx, codec, path, req, resp, signed)
	var he *Error
	if codec.Version > wire.ProtocolV1 && errors.As(err, &he) && he.Status == http.StatusUpgradeRequired {
		// A server not upgraded yet: it refused before reading the body,
		// so nothing happened; the same request as v1, signed anew.
		atomic.StoreInt32(&c.fellBack, 1)
		return c.exchange(ctx, wire.CodecV1, path, req, resp, signed)
	}
	return err
}

// codec is the protocol version this client speaks now.
func (c *Client) codec() wire.Codec {
	if c.Protocol == wire.ProtocolV1 || atomic.LoadInt32(&c.fellBack) == 1 {
		return wire.CodecV1
	}
	return wire.CodecV2
}

// SpeaksProtocol is the protocol version the client's next request uses.
func (c *Client) SpeaksProtocol() int { return c.codec().Version }

// exchange sends req in codec's version and decodes the reply into resp.
func (c *Client) exchange(ctx context.Context, codec wire.Codec, path string, req wire.Validator, resp wire.Validator, signed bool) error {
	var body bytes.Buffer
	if err := codec.Encode(&body, req); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+path, bytes.NewReader(body.Bytes()))
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	hreq.Header.Set("Content-Type", codec.ContentType)
	if codec.ContentEncoding != "" {
		hreq.Header.Set("Content-Encoding", codec.ContentEncoding)
	}
	// Set explicitly so the transport does not gunzip a v1 reply itself:
	// Decode wants the gzip bytes to enforce its limits. A v2 frame
	// compresses its own metadata.
	hreq.Header.Set("Accept-Encoding", cmp.Or(codec.ContentEncoding, "identity"))
	hreq.Header.Set(wire.HeaderProtocol, strconv.Itoa(codec.Version))
	hreq.Header.Set(wire.HeaderFeatures, wire.Features)
	if signed {
		if err := c.sign(hreq, body.Bytes()); err != nil {
			return err
		}
	}
	hresp, err := c.httpClient().Do(hreq)
	if err != nil {
		return transportError(err)
	}
	defer hresp.Body.Close()
	if hresp.StatusCode != http.StatusOK {
		return replyError(hresp)
	}
	if err := decodeReply(hresp, resp, wire.DefaultLimits); err != nil {
		return &Error{Code: chart.EINTERNAL, Status: hresp.StatusCode, Temporary: true, cause: err,
			Message: "The practice server sent a reply this workstation could not read; sync will try again."}
	}
	return nil
}

// replyCodec is the codec a reply is written in, by its media type: a v2
// frame, or otherwise v1's gzip JSON (which a server answering a v2
// request should not send, but both are decoded as strictly).
func replyCodec(r *http.Response) wire.Codec {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == wire.ContentTypeV2 {
		return wire.CodecV2
	}
	return wire.CodecV1
}

func (c *Client) sign(r *http.Request, body []byte) error {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	aud := wire.Audience{PracticeID: string(c.PracticeID), Fingerprint: c.PinnedFingerprint}
	a, err := wire.SignRequest(c.PrivateKey, string(c.DeviceID), aud, r.Method, r.URL.Path, body, now())
	if err != nil {
		return &Error{Code: chart.EINTERNAL, cause: err,
			Message: "This workstation's enrolment with the practice server is incomplete; nothing was sent. Ask your administrator to enrol it again."}
	}
	r.Header.Set(wire.HeaderDevice, a.DeviceID)
	r.Header.Set(wire.HeaderTimestamp, a.Timestamp)
	r.Header.Set(wire.HeaderNonce, a.Nonce)
	r.Header.Set(wire.HeaderSignature, a.Signature)
	return nil
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP == nil {
		c.HTTP = NewHTTPClient(c.PinnedFingerprint)
	}
	return c.HTTP
}

// decodeReply decodes a reply. One whose length the server announced (a
// join's pages are megabytes) is read into one buffer of that length:
// read into a buffer grown as it filled, each page was copied about twice
// over and left its smaller buffers to the collector, a tenth of the
// workstation's CPU in a join's pull. Without a length (or one over the
// limit, refused as it is read) it is read as a stream, as before.
func decodeReply(hresp *http.Response, resp wire.Validator, lim wire.Limits) error {
	codec := replyCodec(hresp)
	n := hresp.ContentLength
	if n < 0 || n > lim.Compressed {
		return codec.Decode(hresp.Body, resp, lim)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(hresp.Body, body); err != nil {
		return fmt.Errorf("%w: reply body could not be read: %v", wire.ErrInvalid, err)
	}
	return codec.DecodeBody(body, resp, lim)
}
