package sqlite

import (
	"context"

	"outpost/sync/wire"
)

// remoteHook stores what a pulled change of one kind carries beyond the
// change log (an audit entry, an attachment's bytes). It runs in the
// transaction that stores the change, once per new change.
type remoteHook func(s *Session, ctx context.Context, t *tx, c *wire.Change) error

// remoteHooks are the kinds with a remoteHook.
var remoteHooks = map[string]remoteHook{
	kindAudit:          storeRemoteAudit,
	kindAuditBatch:     storeRemoteAuditBatch,
	kindAttachmentData: storeRemoteAttachmentData,
}
