package transport

import (
	"context"
	"errors"
	"strings"

	"outpost/chart"
	"outpost/sync/wire"
)

// AuditAnchor asks the server for the newest audit change this device
// pushed (nil when none), to compare with the local audit log. The server
// cannot read it; the caller opens it.
func (c *Client) AuditAnchor(ctx context.Context) (*wire.Change, error) {
	var resp wire.AuditAnchorResponse
	if err := c.do(ctx, wire.PathAuditAnchor, &wire.AuditAnchorRequest{}, &resp, true); err != nil {
		return nil, err
	}
	return resp.Change, nil
}

// FetchAuditAnchor is AuditAnchor as the audit log's verification takes
// it: the change to compare, none held yet, or why the server could not be
// asked (verification then runs its local checks only).
func (c *Client) FetchAuditAnchor(ctx context.Context) chart.AuditAnchor {
	ch, err := c.AuditAnchor(ctx)
	switch {
	case err != nil:
		msg := err.Error()
		var he *Error
		if errors.As(err, &he) {
			msg = strings.TrimSuffix(he.Message, safeLater)
		}
		return chart.AuditAnchor{State: chart.AuditServerUnreachable, Message: msg}
	case ch == nil:
		return chart.AuditAnchor{State: chart.AuditServerEmpty}
	default:
		return chart.AuditAnchor{State: chart.AuditServerHeld, RecordID: ch.RecordID, ChangeID: ch.ChangeID,
			DeviceID: ch.DeviceID, Sealed: ch.Sealed}
	}
}
