package app

import (
	"context"
	"time"

	"outpost/chart"
	"outpost/sync/transport"
)

// auditAnchorTimeout bounds how long verifying the audit log waits for the
// practice server before it reports the server unreachable.
const auditAnchorTimeout = 8 * time.Second

// auditAnchor asks the practice server for its anchor of this
// workstation's audit log (docs/SECURITY.md, "The audit log").
func (a *App) auditAnchor(ctx context.Context) chart.AuditAnchor {
	if a.opts.Sync == nil {
		return chart.AuditAnchor{State: chart.AuditServerNotConnected}
	}
	id, ok, err := a.opts.Sync.SyncIdentity(ctx)
	if err != nil {
		return chart.AuditAnchor{State: chart.AuditServerUnreachable, Message: "this workstation's enrolment could not be read"}
	}
	if !ok {
		return chart.AuditAnchor{State: chart.AuditServerNotConnected}
	}
	ctx, cancel := context.WithTimeout(ctx, auditAnchorTimeout)
	defer cancel()
	c := transport.ClientFor(id) // signed for this device, practice and server
	c.HTTP = transport.NewHTTPClient(id.Fingerprint)
	defer c.HTTP.CloseIdleConnections()
	return c.FetchAuditAnchor(ctx)
}
