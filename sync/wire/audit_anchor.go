package wire

// The audit anchor (docs/SECURITY.md, "The audit log"): a workstation asks
// the practice server for the newest audit change it stored from that
// workstation. The server cannot read the change; it relays it back, and
// the workstation opens it and checks that its own log still holds that
// entry, unchanged. A log cut back, or replaced by an older copy of the
// file, no longer does.

// PathAuditAnchor is the endpoint; the request is signed like any other.
const PathAuditAnchor = "/v1/audit-anchor"

// KindAudit is the change kind of one audit entry; KindAuditBatch of
// several entries of one workstation and patient (issue #12). The anchor
// is the newest change of either kind.
const (
	KindAudit      = "audit"
	KindAuditBatch = "audit-batch"
)

// AuditAnchorRequest is the body of POST /v1/audit-anchor. It is empty:
// the signer is the device asked about, so no device can read another's
// anchor.
type AuditAnchorRequest struct{}

// Validate accepts the empty request.
func (*AuditAnchorRequest) Validate() error { return nil }

// AuditAnchorResponse carries the newest audit change the server stores
// from the requesting device, exactly as pushed; nil when it holds none.
type AuditAnchorResponse struct {
	Change *Change `json:"change"`
}

// Validate checks the change, and that it is an audit change.
func (r *AuditAnchorResponse) Validate() error {
	if r.Change == nil {
		return nil
	}
	if r.Change.Kind != KindAudit && r.Change.Kind != KindAuditBatch {
		return invalidf("audit anchor is a change of kind %.40q", r.Change.Kind)
	}
	return r.Change.Validate()
}
