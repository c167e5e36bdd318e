package sqlite

import (
	"context"
	"fmt"

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

// auditRunSealed bounds the sealed bytes of the audit batches stored
// together, so what a run holds opened stays small whatever a page brings
// (a batch may hold 2,000 entries; a day's pull is ~400 KB of batches).
// A test lowers it.
var auditRunSealed = 1 << 20

// runRemoteHooks runs the hooks of cs in order, straight in t
// (apply.Tx.RunHooks): each run of audit batches together, up to
// auditRunSealed (storeRemoteAuditBatches: a day's pull brings hundreds,
// most of one or two entries, and a statement or two each was most of
// their cost), every other change through its kind's hook. A refusal is
// returned as it is.
func (s *Session) runRemoteHooks(ctx context.Context, t *tx, cs []*wire.Change) error {
	for i := 0; i < len(cs); {
		j := i + 1
		if cs[i].Kind == kindAuditBatch {
			for size := len(cs[i].Sealed); j < len(cs) && cs[j].Kind == kindAuditBatch &&
				size+len(cs[j].Sealed) <= auditRunSealed; j++ {
				size += len(cs[j].Sealed)
			}
			if err := storeRemoteAuditBatches(s, ctx, t, cs[i:j]); err != nil {
				return err
			}
		} else if err := remoteHooks[cs[i].Kind](s, ctx, t, cs[i]); err != nil {
			return fmt.Errorf("store change %s: %w", cs[i].ChangeID, err)
		}
		i = j
	}
	return nil
}
