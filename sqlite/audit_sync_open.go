package sqlite

import (
	"fmt"

	"outpost/sync/wire"
)

// Opening a run's audit batches (decrypt, inflate, JSON) and sealing again
// what the trail opens of each entry read and write nothing of the store:
// they were a third of the hook's CPU, on one core with the machine's
// other idle. They are spread over the cores (openEach); what the run then
// writes, and in which order, is as before.

// pulledBatchRows is one batch of a run, opened, its entries' rows made.
type pulledBatchRows struct {
	why  string // why the batch is refused ("": it opened)
	rows []receivedRow
	err  error // sealing an entry again failed
}

// openRemoteAuditRun opens the batches cs and makes their entries' rows,
// in page order. As when each batch was opened in turn: the first batch
// (in page order) that does not open refuses the run, before any entry's
// sealing fails it.
func openRemoteAuditRun(s *Session, cs []*wire.Change) ([]receivedRow, error) {
	opened, err := openEach(len(cs), func(i int) (pulledBatchRows, error) {
		return openRemoteBatchRows(s, cs[i]), nil
	})
	if err != nil {
		return nil, fmt.Errorf("open audit batches: %w", err)
	}
	n := 0
	for i, o := range opened {
		if o.why != "" {
			return nil, refuseRemote(cs[i], o.why)
		}
		n += len(o.rows)
	}
	rows := make([]receivedRow, 0, n) // sized once: a row is a whole entry
	for _, o := range opened {
		if o.err != nil {
			return nil, o.err
		}
		rows = append(rows, o.rows...)
	}
	return rows, nil
}

// openRemoteBatchRows opens batch c and seals again what the trail opens
// of each of its entries (sealRemoteDetail).
func openRemoteBatchRows(s *Session, c *wire.Change) pulledBatchRows {
	b, why := openRemoteAuditBatch(s, c)
	if why != "" {
		return pulledBatchRows{why: why}
	}
	rows := make([]receivedRow, 0, len(b.Entries))
	for _, p := range b.Entries {
		id := batchEntryID(c.RecordID, p.Seq)
		sealed, err := sealRemoteDetail(s.key, id, c.ChangeID, p.AuditEntry)
		if err != nil {
			return pulledBatchRows{err: fmt.Errorf("store audit entry %s: %w", id, err)}
		}
		rows = append(rows, receivedRow{c: c, id: id, p: p, sealed: sealed})
	}
	return pulledBatchRows{rows: rows}
}
