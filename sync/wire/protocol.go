package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"outpost/chart"
	"outpost/sync/clock"
)

// ProtocolVersion is protocol 1, gzip JSON, which every server of this
// build still speaks (see ProtocolV2 and LatestProtocol in version.go for
// the binary protocol). A peer sending a version the server does not
// speak is refused with CodeIncompatible.
const ProtocolVersion = ProtocolV1

// Wire limits. They bound what one request can make the other side hold in
// memory, and they are checked before anything is stored.
const (
	MaxChangesPerPush = 5000
	MaxPullLimit      = 5000
	MaxParents        = 64
	MaxKindLen        = 32
	MaxSealedLen      = 16 << 20
	MaxPullPatients   = 10000
	MaxDeviceNameLen  = 100
	MaxAuthLen        = 64
	MaxRevoked        = 10000
	// MaxPushSealed caps the sealed content of one push (the workstation
	// splits its outbox to fit): one change of MaxSealedLen, or many small.
	MaxPushSealed = 16 << 20
	// MaxCompressedBody and MaxUncompressedBody bound a reply (a pull page
	// is about 16 MiB of sealed content at most, see sync/server).
	MaxCompressedBody   = 32 << 20
	MaxUncompressedBody = 256 << 20
)

// Request body limits, per endpoint, the same number before and after
// inflating (JSON and base64 always shrink under gzip, so a correct body is
// smaller compressed). Each is the largest body a correct workstation sends,
// with a margin:
//   - enrol: a code, two ids, a key and a 100-character name (under 1 KiB);
//   - pull: a patient filter of MaxPullPatients ids (about 400 KB);
//   - push: MaxPushSealed of sealed content in base64 (22.4 MB) plus
//     MaxChangesPerPush changes of metadata with MaxParents parents each
//     (14.6 MB): TestPushLimitCoversTheLargestPush checks it.
const (
	MaxEnrollBody = 4 << 10
	MaxPullBody   = 512 << 10
	MaxPushBody   = 40 << 20
)

// EndpointLimits are the request limits of each endpoint.
type EndpointLimits struct {
	Enroll, Pull, Push Limits
}

// DefaultEndpointLimits are the protocol's request limits (docs/SYNC.md).
var DefaultEndpointLimits = EndpointLimits{
	Enroll: Limits{Compressed: MaxEnrollBody, Uncompressed: MaxEnrollBody},
	Pull:   Limits{Compressed: MaxPullBody, Uncompressed: MaxPullBody},
	Push:   Limits{Compressed: MaxPushBody, Uncompressed: MaxPushBody},
}

// HTTP header and media type names of the protocol.
const (
	ContentType     = "application/vnd.outpost.sync+json"
	HeaderProtocol  = "Outpost-Protocol"
	HeaderDevice    = "Outpost-Device"
	HeaderTimestamp = "Outpost-Timestamp"
	HeaderNonce     = "Outpost-Nonce"
	HeaderSignature = "Outpost-Signature"
	// HeaderFeatures lists (comma-separated) the optional reply fields a
	// workstation reads. A server ignores names it does not know, and an
	// older server the header, so it needs no new protocol version.
	HeaderFeatures = "Outpost-Features"
)

// FeatureIncarnation asks for PullResponse.Incarnation.
const FeatureIncarnation = "incarnation"

// FeatureSeqIDs asks for PullResponse.AfterID and NextID.
const FeatureSeqIDs = "seq-ids"

// Features is the HeaderFeatures value this build sends.
const Features = FeatureIncarnation + "," + FeatureSeqIDs

// HasFeature reports whether a HeaderFeatures value names feature.
func HasFeature(header, feature string) bool {
	for _, f := range strings.Split(header, ",") {
		if strings.TrimSpace(f) == feature {
			return true
		}
	}
	return false
}

// ValidIncarnation accepts a store incarnation: 16 bytes in lowercase hex.
func ValidIncarnation(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// Error codes of ErrorBody.Code.
const (
	CodeInvalid      = "invalid"
	CodeUnauthorized = "unauthorized"
	CodeIncompatible = "incompatible"
	CodeTooLarge     = "too_large"
	CodeInternal     = "internal"
	// CodeBusy (503, with Retry-After): the server is at its limit of
	// requests in progress; the same request later will do.
	CodeBusy = "busy"
)

// Reasons refine CodeUnauthorized so the workstation can tell the person
// what to do (re-enrol, fix the clock, ...).
const (
	ReasonUnknownDevice = "unknown_device"
	ReasonRevoked       = "revoked"
	ReasonBadSignature  = "bad_signature"
	ReasonReplay        = "replay"
	ReasonClockSkew     = "clock_skew"
	ReasonBadCode       = "bad_code"
	// ReasonWrongPractice: the enrolment named a practice other than the
	// one the server is bound to.
	ReasonWrongPractice = "wrong_practice"
	// ReasonNoPractice: a joining workstation (no practice id) enrolled
	// before any workstation of the practice bound the server.
	ReasonNoPractice = "no_practice"
	// ReasonKeyInUse: the enrolment's public key is already known to the
	// server (under another device id, or revoked).
	ReasonKeyInUse = "key_in_use"
	// ReasonRestarted: the request was signed before the server process
	// started; a request signed anew is accepted (see docs/SYNC.md).
	ReasonRestarted = "restarted"
	// ReasonQuota refines CodeTooLarge: the push would take the device
	// over its storage quota on the server; nothing of it was stored.
	ReasonQuota = "quota"
)

// Change is one record write from a workstation's change log. Only Sealed
// holds health data, encrypted under the practice data key that the server
// never has.
type Change struct {
	ChangeID  chart.ChangeID   `json:"changeId"`
	RecordID  string           `json:"recordId"`
	Kind      string           `json:"kind"`
	PatientID chart.PatientID  `json:"patientId"` // "" for practice-wide records (users, settings)
	Version   int64            `json:"version"`
	Parents   []chart.ChangeID `json:"parents"`
	HLC       string           `json:"hlc"`
	DeviceID  chart.DeviceID   `json:"deviceId"`
	UserID    chart.UserID     `json:"userId"`
	Sealed    []byte           `json:"sealed"`
	// Auth authenticates every other field under the practice data key
	// (AuthMessage), so a server without the key can neither forge a
	// change nor alter one (its parents, clock, device, user or patient)
	// without the workstations noticing. The server stores and relays it.
	Auth []byte `json:"auth,omitempty"`
}

// ReplaceableKinds are the kinds of record whose latest version alone
// counts (a user's credential, a keybox): the server keeps only the newest
// version's sealed bytes and leaves older ones out of pulls, so an old
// passphrase's wrap does not outlive it on the server.
var ReplaceableKinds = []string{"credential", "keybox"}

// PushRequest is the body of POST /v1/push.
type PushRequest struct {
	Changes []Change `json:"changes"`
}

// Ack acknowledges one stored change with its server sequence number.
type Ack struct {
	ChangeID chart.ChangeID `json:"changeId"`
	Seq      int64          `json:"seq"`
}

// PushResponse is the reply to a push, sent only after the batch committed.
type PushResponse struct {
	Acks []Ack `json:"acks"`
}

// PullRequest is the body of POST /v1/pull.
type PullRequest struct {
	After int64 `json:"after"`
	Limit int   `json:"limit"`
	// Patients nil (JSON null) pulls everything; an empty list pulls only
	// practice-wide records (a route with nobody on it), so no omitempty.
	Patients []chart.PatientID `json:"patients"`
	// IncludeOwn asks for the pulling device's own changes too. By default
	// the server leaves them out: the device holds them already, and
	// sending them back would double a first pull. A workstation restored
	// from a backup sets it to get back what it wrote after the backup.
	IncludeOwn bool `json:"includeOwn,omitempty"`
}

// PullResponse is one page of changes after PullRequest.After, in seq order.
// Head is the server's highest seq when it replied, so a workstation can
// show how far behind it is (Head - Next, ignoring the patient filter).
type PullResponse struct {
	Changes []Change `json:"changes"`
	Next    int64    `json:"next"`
	More    bool     `json:"more"`
	Head    int64    `json:"head"`
	// Revoked lists the practice's revoked workstations, so that an
	// administrator's workstation changes the practice key after a
	// revocation (what the lost laptop holds then opens nothing new). The
	// server cannot forge anything by it: at worst a needless key change.
	Revoked []Revocation `json:"revoked,omitempty"`
	// Incarnation is the server store's incarnation (32 hex digits), sent
	// only to a workstation whose request names FeatureIncarnation (an
	// older one refuses fields it does not know). It changes when the
	// store is restored from a backup: the workstation then pulls again
	// from 0 and sends its own changes again (docs/SYNC.md). A server
	// could only cost a workstation a needless full sync by it.
	Incarnation string `json:"incarnation,omitempty"`
	// AfterID and NextID are the ids of the practice's changes numbered
	// PullRequest.After and Next (whatever the patient filter; "" for seq
	// 0), sent only to a workstation whose request names FeatureSeqIDs.
	// The workstation keeps NextID with its cursor and, when it pulls
	// after that cursor again, compares AfterID with it: another id means
	// the store was brought back from a copy without a new incarnation
	// and numbered other changes anew up to the cursor (docs/SYNC.md, "A
	// restored practice server"). A server could only cost a workstation
	// a needless full sync by them.
	AfterID chart.ChangeID `json:"afterId,omitempty"`
	NextID  chart.ChangeID `json:"nextId,omitempty"`
}

// Revocation is one revoked workstation and when (unix milliseconds).
type Revocation struct {
	DeviceID chart.DeviceID `json:"deviceId"`
	At       int64          `json:"at"`
}

// EnrollRequest is the body of POST /v1/enroll. Code is the token part of
// an EnrollmentCode (base64url), not the whole code. PracticeID is the
// enrolling workstation's practice: the first one binds an unbound server
// to it, and another practice is refused. A workstation joining an existing
// practice leaves it empty and learns the practice from the reply.
type EnrollRequest struct {
	Code       string           `json:"code"`
	DeviceID   chart.DeviceID   `json:"deviceId"`
	DeviceName string           `json:"deviceName"`
	PublicKey  []byte           `json:"publicKey"`
	PracticeID chart.PracticeID `json:"practiceId,omitempty"`
}

// EnrollResponse identifies the practice and server a device enrolled with.
type EnrollResponse struct {
	PracticeID chart.PracticeID `json:"practiceId"`
	ServerID   string           `json:"serverId"`
}

// ErrorResponse is the body of every non-2xx reply.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody carries a code from the closed set above and a human message.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Reason  string `json:"reason,omitempty"`
}

// Validator is implemented by every wire type; Decode calls it so that an
// invalid message is never handed to the caller.
type Validator interface {
	Validate() error
}

// ErrInvalid wraps every validation failure.
var ErrInvalid = errors.New("invalid sync message")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// validID accepts canonical (lowercase, hyphenated) UUIDs only, so one id
// has exactly one spelling in the server's unique index.
func validID(s string) bool {
	return chart.ValidID(s) && s == strings.ToLower(s)
}

// Validate checks every field of c; the error names the change and field.
func (c *Change) Validate() error {
	if !validID(string(c.ChangeID)) {
		return invalidf("change id %.40q is not a UUID", c.ChangeID)
	}
	if err := c.validateFields(); err != nil {
		return fmt.Errorf("change %s: %w", c.ChangeID, err)
	}
	return nil
}

func (c *Change) validateFields() error {
	switch {
	case !validID(c.RecordID):
		return invalidf("record id %.40q is not a UUID", c.RecordID)
	case c.PatientID != "" && !validID(string(c.PatientID)):
		return invalidf("patient id %.40q is not a UUID", c.PatientID)
	case !validID(string(c.DeviceID)):
		return invalidf("device id %.40q is not a UUID", c.DeviceID)
	case !validID(string(c.UserID)):
		return invalidf("user id %.40q is not a UUID", c.UserID)
	case !validKind(c.Kind):
		return invalidf("kind %.40q must be 1-%d lowercase letters, digits, _ or -", c.Kind, MaxKindLen)
	case c.Version < 1:
		return invalidf("version %d is below 1", c.Version)
	case len(c.Parents) > MaxParents:
		return invalidf("%d parents (limit %d)", len(c.Parents), MaxParents)
	case len(c.Sealed) == 0:
		return invalidf("sealed content is empty")
	case len(c.Sealed) > MaxSealedLen:
		return invalidf("sealed content is %d bytes (limit %d)", len(c.Sealed), MaxSealedLen)
	case len(c.Auth) > MaxAuthLen:
		return invalidf("authentication tag is %d bytes (limit %d)", len(c.Auth), MaxAuthLen)
	}
	for _, p := range c.Parents {
		if !validID(string(p)) {
			return invalidf("parent %.40q is not a UUID", p)
		}
	}
	if _, err := clock.ParseTimestamp(c.HLC); err != nil {
		return invalidf("%v", err)
	}
	return nil
}

// validKind accepts the record kinds the chart names (chart.Kind*, e.g.
// "chart-flags") and the store's own ("conflict_ack"): lowercase letters,
// digits, _ and -.
func validKind(k string) bool {
	if k == "" || len(k) > MaxKindLen {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func validateChanges(cs []Change) error {
	for i := range cs {
		if err := cs[i].Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the batch size and every change.
func (p *PushRequest) Validate() error {
	if len(p.Changes) == 0 {
		return invalidf("push has no changes")
	}
	if len(p.Changes) > MaxChangesPerPush {
		return invalidf("push has %d changes (limit %d)", len(p.Changes), MaxChangesPerPush)
	}
	if n := p.SealedBytes(); n > MaxPushSealed {
		return invalidf("push has %d bytes of sealed content (limit %d)", n, MaxPushSealed)
	}
	return validateChanges(p.Changes)
}

// SealedBytes is the sealed content of the push, in bytes.
func (p *PushRequest) SealedBytes() int64 {
	var n int64
	for i := range p.Changes {
		n += int64(len(p.Changes[i].Sealed))
	}
	return n
}

// Validate checks every ack.
func (p *PushResponse) Validate() error {
	for _, a := range p.Acks {
		if !validID(string(a.ChangeID)) || a.Seq < 1 {
			return invalidf("ack %.40q seq %d is malformed", a.ChangeID, a.Seq)
		}
	}
	return nil
}

// Validate checks the cursor, the page size and the patient filter.
func (p *PullRequest) Validate() error {
	switch {
	case p.After < 0:
		return invalidf("after %d is negative", p.After)
	case p.Limit < 1 || p.Limit > MaxPullLimit:
		return invalidf("limit %d must be 1-%d", p.Limit, MaxPullLimit)
	case len(p.Patients) > MaxPullPatients:
		return invalidf("%d patients (limit %d)", len(p.Patients), MaxPullPatients)
	}
	for _, id := range p.Patients {
		if !validID(string(id)) {
			return invalidf("patient id %.40q is not a UUID", id)
		}
	}
	return nil
}

// Validate checks the cursors. A zero Head is accepted below Next (a
// server built before Head existed omits it). The changes are not checked
// here: one malformed change must not refuse the whole page (and stall
// every later sync), so the workstation checks each one as it applies the
// page and holds back those that fail (quarantine).
func (p *PullResponse) Validate() error {
	switch {
	case p.Next < 0:
		return invalidf("next %d is negative", p.Next)
	case p.Head < 0:
		return invalidf("head %d is negative", p.Head)
	case p.Head != 0 && p.Head < p.Next:
		return invalidf("head %d is below next %d", p.Head, p.Next)
	case len(p.Revoked) > MaxRevoked:
		return invalidf("%d revoked workstations listed (limit %d)", len(p.Revoked), MaxRevoked)
	case p.Incarnation != "" && !ValidIncarnation(p.Incarnation):
		return invalidf("incarnation %.40q is not 32 lowercase hex digits", p.Incarnation)
	case p.AfterID != "" && !validID(string(p.AfterID)), p.NextID != "" && !validID(string(p.NextID)):
		return invalidf("change id at a seq (%.40q, %.40q) is malformed", p.AfterID, p.NextID)
	case p.NextID != "" && p.Next == 0:
		return invalidf("next id %.40q given for seq 0", p.NextID)
	}
	for _, r := range p.Revoked {
		if !validID(string(r.DeviceID)) || r.At < 0 {
			return invalidf("revoked device %.40q is malformed", r.DeviceID)
		}
	}
	return nil
}

// Validate checks the enrolment fields; the code itself is checked by the
// server against its table.
func (e *EnrollRequest) Validate() error {
	switch {
	case e.Code == "" || len(e.Code) > 100:
		return invalidf("enrolment code is missing or malformed")
	case !validID(string(e.DeviceID)):
		return invalidf("device id %.40q is not a UUID", e.DeviceID)
	case CheckDeviceName(e.DeviceName) != nil:
		return fmt.Errorf("%w: %w", ErrInvalid, CheckDeviceName(e.DeviceName))
	case len(e.PublicKey) != 32:
		return invalidf("public key must be 32 bytes (Ed25519)")
	case e.PracticeID != "" && !validID(string(e.PracticeID)):
		return invalidf("practice id %.40q is not a UUID", e.PracticeID)
	}
	return nil
}

// Validate checks the ids.
func (e *EnrollResponse) Validate() error {
	if !validID(string(e.PracticeID)) || !validID(e.ServerID) {
		return invalidf("enrolment reply has malformed ids")
	}
	return nil
}

// Validate checks that the code is known.
func (e *ErrorResponse) Validate() error {
	switch e.Error.Code {
	case CodeInvalid, CodeUnauthorized, CodeIncompatible, CodeTooLarge, CodeInternal, CodeBusy:
		return nil
	}
	return invalidf("unknown error code %.40q", e.Error.Code)
}

// EnrollmentCode is what an administrator hands to a workstation: where the
// server is, which certificate to pin, and a single-use secret.
type EnrollmentCode struct {
	Addr        string   // host:port
	Fingerprint [32]byte // SHA-256 of the server's leaf certificate (DER)
	Token       [32]byte
}

const enrolCodeVersion = 1

// String packs the code as one base64url string: version byte,
// fingerprint, token, address.
func (c EnrollmentCode) String() string {
	b := make([]byte, 0, 1+64+len(c.Addr))
	b = append(b, enrolCodeVersion)
	b = append(b, c.Fingerprint[:]...)
	b = append(b, c.Token[:]...)
	b = append(b, c.Addr...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenString is the token as sent in EnrollRequest.Code.
func (c EnrollmentCode) TokenString() string {
	return base64.RawURLEncoding.EncodeToString(c.Token[:])
}

// ParseEnrollmentCode reverses String.
func ParseEnrollmentCode(s string) (EnrollmentCode, error) {
	var c EnrollmentCode
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) < 1+64+3 || len(b) > 1+64+255 || b[0] != enrolCodeVersion {
		return c, invalidf("enrolment code is malformed")
	}
	copy(c.Fingerprint[:], b[1:33])
	copy(c.Token[:], b[33:65])
	c.Addr = string(b[65:])
	if bytes.ContainsAny(b[65:], " /\\?#@\x00") || !strings.Contains(c.Addr, ":") {
		return c, invalidf("enrolment code has a malformed server address")
	}
	return c, nil
}

// HashToken is what the server stores instead of an enrolment token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
