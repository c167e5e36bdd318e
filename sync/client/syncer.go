package client

import (
	"context"
	"errors"
	"fmt"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// Batch sizes. A push batch is as many changes as the protocol allows, so
// an end-of-day sync takes a handful of requests, but at most MaxPushBytes
// of sealed content (a few scanned reports fill one), which keeps each
// request well under the server's body limit; a pull page is the most the
// server sends at once.
const (
	PushBatch    = wire.MaxChangesPerPush
	MaxPushBytes = 16 << 20
	PullPage     = wire.MaxPullLimit
)

// Store is the workstation's side of sync: its outbox and the application
// of pulled changes. The SQLite session implements it.
type Store interface {
	// OutboxBatch returns the oldest unacknowledged local changes: at most
	// limit, and past the first no more than maxBytes of sealed content.
	// It stops reading at the cap (a backlog of scans must not be read
	// whole to send a batch).
	OutboxBatch(ctx context.Context, limit, maxBytes int) ([]wire.Change, error)
	// MarkAcked takes acknowledged changes out of the outbox.
	MarkAcked(ctx context.Context, acks []wire.Ack) error
	// PullCursor is the server seq after which the next pull starts.
	PullCursor(ctx context.Context) (int64, error)
	// ApplyRemote stores a pulled page and moves the cursor to next,
	// atomically, and returns how many changes were new and how many field
	// conflicts the touched records hold.
	ApplyRemote(ctx context.Context, changes []wire.Change, next int64) (applied, conflicts int, err error)
}

// Transport is the part of transport.Client a sync needs.
type Transport interface {
	Push(ctx context.Context, changes []wire.Change) ([]wire.Ack, error)
	Pull(ctx context.Context, after int64, limit int, patients []chart.PatientID) (wire.PullResponse, error)
}

var _ Transport = (*transport.Client)(nil)

// Report says what one sync did.
type Report struct {
	Sent      int // local chart changes the server acknowledged
	AuditSent int // local audit entries the server acknowledged
	Received  int // chart changes from other workstations stored here (audit entries not counted)
	Conflicts int // field conflicts in the records the pull touched
	Requests  int // HTTP requests made
	Purged    int // patients removed from this device after leaving its sync scope
	// Resync is set when the practice server turned out to have been
	// restored from a backup: this workstation pulled again from 0 and
	// sent its own changes again (server_restore.go).
	Resync *chart.ServerResync
}

// Progress is how far one phase of a sync is. Phase is "sending" or
// "receiving" (PhaseSending, PhaseReceiving). Total is 0 when it is not
// known (a server that does not report its head); Done never exceeds a
// non-zero Total.
type Progress struct {
	Phase       string
	Done, Total int
}

// Options tune SyncOnceWith. The zero value is a plain sync.
type Options struct {
	// Progress, when set, is called on the syncing goroutine after each
	// request; keep it quick.
	Progress func(Progress)
}

// PendingCounter is an optional Store method: how many local changes wait
// to be sent, so sending progress has a total from the start. Without it
// the total grows batch by batch.
type PendingCounter interface {
	PendingChanges(ctx context.Context) (int, error)
}

// SyncOnce pushes the whole outbox, then pulls until the server has nothing
// more. It stops at the first error; what was done stays done (acks and
// applied pages are committed one by one), so the next sync resumes.
func SyncOnce(ctx context.Context, st Store, c Transport) (Report, error) {
	return SyncOnceWith(ctx, st, c, Options{})
}

// SyncOnceWith is SyncOnce with options. A store that also implements
// ScopedStore (partial replication) is synced within its scope: push
// everything, backfill patients newly added to the scope, pull the scope
// (and practice-wide records), then purge patients that left the scope
// once all their changes are acknowledged.
func SyncOnceWith(ctx context.Context, st Store, c Transport, o Options) (Report, error) {
	var r Report
	s := &run{st: st, c: c, o: o, r: &r}
	err := s.pushAndPull(ctx)
	if errors.Is(err, errServerRestored) {
		// The store started over with the server: send what it lost and
		// pull from 0 now, not at the next sync. Once only: the cursor
		// is 0 and the incarnation known, so it cannot recur unless the
		// server is restored again meanwhile (the next sync sees to it).
		err = s.pushAndPull(ctx)
	}
	if err != nil {
		return r, err
	}
	checkpointAfter(ctx, st, r.Received)
	return r, nil
}

// pushAndPull is one push and one scoped pull.
func (s *run) pushAndPull(ctx context.Context) error {
	if err := s.push(ctx); err != nil {
		return err
	}
	return s.scoped(ctx)
}

// PushOnce is the push half of a sync: it sends the whole outbox. For
// tools that measure the two directions apart (cmd/outpost-bench).
func PushOnce(ctx context.Context, st Store, c Transport) (Report, error) {
	var r Report
	err := (&run{st: st, c: c, r: &r}).push(ctx)
	return r, err
}

// PullOnce is the pull half of a sync of the whole practice: it pulls
// until the server has nothing more.
func PullOnce(ctx context.Context, st Store, c Transport) (Report, error) {
	var r Report
	s := &run{st: st, c: c, r: &r}
	err := s.pull(ctx, nil)
	if errors.Is(err, errServerRestored) {
		err = s.pull(ctx, nil) // from 0; the next sync sends what the server lost
	}
	checkpointAfter(ctx, st, r.Received)
	return r, err
}

// Checkpointer is an optional Store (or Joiner) method: fold the store's
// write-ahead log back into it after a large pull, so the log does not
// keep its peak size on disk.
type Checkpointer interface {
	Checkpoint(ctx context.Context) error
}

// checkpointAfter checkpoints st when a pull stored at least a chunk of
// changes; below that the store's own automatic checkpoints suffice.
func checkpointAfter(ctx context.Context, st any, received int) {
	if c, ok := st.(Checkpointer); ok && received >= ApplyChunk {
		// Best effort: a log left large is trimmed when it next starts over.
		_ = c.Checkpoint(ctx)
	}
}

// run is one SyncOnceWith in progress.
type run struct {
	st Store
	c  Transport
	o  Options
	r  *Report
}

func (s *run) progress(phase string, done, total int) {
	if s.o.Progress == nil {
		return
	}
	if total > 0 {
		done = min(done, total)
	}
	s.o.Progress(Progress{Phase: phase, Done: max(done, 0), Total: max(total, 0)})
}

// pendingTotal is the outbox size when the store can count it, else -1.
func (s *run) pendingTotal(ctx context.Context) int {
	pc, ok := s.st.(PendingCounter)
	if !ok || s.o.Progress == nil {
		return -1
	}
	n, err := pc.PendingChanges(ctx)
	if err != nil {
		return -1 // only progress suffers; the push itself will report a broken store
	}
	return n
}

func (s *run) push(ctx context.Context) error {
	total := s.pendingTotal(ctx)
	s.progress(PhaseSending, 0, max(total, 0))
	batch, err := s.st.OutboxBatch(ctx, PushBatch, MaxPushBytes)
	for {
		if err != nil {
			return fmt.Errorf("sync: read outbox: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		batch = capBytes(batch, MaxPushBytes) // whatever the store did
		if sent := s.r.Sent + s.r.AuditSent; total < sent+len(batch) {
			// Unknown, or changes made while sending: grow the total.
			total = sent + len(batch)
		}
		s.r.Requests++
		sending := s.send(ctx, batch)
		next, ahead, nextErr := s.readAhead(ctx, batch)
		sent := <-sending
		if sent.err != nil {
			return fmt.Errorf("sync: send %d changes: %w", len(batch), sent.err)
		}
		if err := s.st.MarkAcked(ctx, sent.acks); err != nil {
			return fmt.Errorf("sync: mark %d changes sent: %w", len(sent.acks), err)
		}
		s.count(batch, sent.acks)
		s.progress(PhaseSending, s.r.Sent+s.r.AuditSent, total)
		if len(sent.acks) < len(batch) {
			// The client checks acks match the batch; this guards the loop
			// against a store that would hand the same changes out forever.
			return fmt.Errorf("sync: server acknowledged %d of %d changes", len(sent.acks), len(batch))
		}
		if !ahead || nextErr != nil {
			// Read now; a read ahead that failed (the change it read after
			// gone meanwhile, say) is read again from the oldest change, and
			// a store that keeps failing says so here.
			next, nextErr = s.st.OutboxBatch(ctx, PushBatch, MaxPushBytes)
		}
		batch, err = next, nextErr
	}
}

// OutboxAfter is an optional Store method (the SQLite session has it):
// the outbox batch after change after, which was handed out and is not
// acknowledged yet. With it a push reads its next batch while the server
// stores the one before: an initial push is CPU on both ends (the
// workstation reading and packing, the server storing), which one after
// the other took their sum. Batches still go one at a time and in order;
// a batch read ahead of a failed push is dropped, and the next sync reads
// the outbox from its oldest change again.
type OutboxAfter interface {
	OutboxBatchAfter(ctx context.Context, after chart.ChangeID, limit, maxBytes int) ([]wire.Change, error)
}

// pushed is a push's reply.
type pushed struct {
	acks []wire.Ack
	err  error
}

// send pushes batch in the background. Only it uses the transport until
// its reply is received.
func (s *run) send(ctx context.Context, batch []wire.Change) <-chan pushed {
	return inBackground(func() pushed {
		acks, err := s.c.Push(ctx, batch)
		return pushed{acks, err}
	}, func(err error) pushed { return pushed{err: err} })
}

// readAhead reads the batch after batch while it is sent, if the store can
// (ahead); a store that cannot is read once the batch is acknowledged.
func (s *run) readAhead(ctx context.Context, batch []wire.Change) (next []wire.Change, ahead bool, err error) {
	oa, ok := s.st.(OutboxAfter)
	if !ok {
		return nil, false, nil
	}
	next, err = oa.OutboxBatchAfter(ctx, batch[len(batch)-1].ChangeID, PushBatch, MaxPushBytes)
	return next, true, err
}

// capBytes returns the longest prefix of batch (at least one change) whose
// sealed content fits in limit bytes.
func capBytes(batch []wire.Change, limit int) []wire.Change {
	size := 0
	for i, c := range batch {
		size += len(c.Sealed)
		if size > limit && i > 0 {
			return batch[:i]
		}
	}
	return batch
}

// Synced audit entries (one per chart read) are counted apart from the
// chart changes a person thinks of as "sent"; a batch counts once.
func isAudit(kind string) bool { return kind == wire.KindAudit || kind == wire.KindAuditBatch }

// count adds the acknowledged changes of batch to the report.
func (s *run) count(batch []wire.Change, acks []wire.Ack) {
	audit := map[chart.ChangeID]bool{}
	for _, c := range batch {
		if isAudit(c.Kind) {
			audit[c.ChangeID] = true
		}
	}
	for _, a := range acks {
		if audit[a.ChangeID] {
			s.r.AuditSent++
		} else {
			s.r.Sent++
		}
	}
}

// pullFrom pulls pages after start (restricted to patients when non-nil)
// until the server has nothing more, handing each page to apply. It
// reports receiving progress against the server's head.
func (s *run) pullFrom(ctx context.Context, start int64, patients []chart.PatientID,
	apply func(page wire.PullResponse) error) error {
	cursor := start
	s.progress(PhaseReceiving, 0, 0)
	for {
		s.r.Requests++
		page, err := s.c.Pull(ctx, cursor, PullPage, patients)
		if err != nil {
			return fmt.Errorf("sync: fetch changes after %d: %w", cursor, err)
		}
		// Before the page is applied: a restored server's seqs are not
		// the ones the cursor counts.
		if err := s.noteServer(ctx, cursor, page); err != nil {
			return err
		}
		if err := apply(page); err != nil {
			return fmt.Errorf("sync: apply changes after %d: %w", cursor, err)
		}
		if page.Head > start {
			done := page.Next - start
			if !page.More {
				done = page.Head - start // a filtered pull ends before the head
			}
			s.progress(PhaseReceiving, int(done), int(page.Head-start))
		}
		if !page.More {
			return nil
		}
		if page.Next <= cursor {
			return fmt.Errorf("sync: server says there is more after %d but did not move past it", cursor)
		}
		cursor = page.Next
	}
}

// pull is the main pull: from the store's cursor, moving it page by page.
func (s *run) pull(ctx context.Context, patients []chart.PatientID) error {
	cursor, err := s.st.PullCursor(ctx)
	if err != nil {
		return fmt.Errorf("sync: read pull cursor: %w", err)
	}
	err = s.pullFrom(ctx, cursor, patients, func(page wire.PullResponse) error {
		if err := s.applyPage(ctx, page.Changes, page.Next, page.NextID); err != nil {
			return err
		}
		return s.noteRevoked(ctx, page)
	})
	if err != nil {
		return err
	}
	return s.fetchAncestors(ctx)
}

// RevocationNoter is an optional Store method: it hears which workstations
// the server says were revoked (an administrator's workstation then changes
// the practice key).
type RevocationNoter interface {
	NoteRevoked(ctx context.Context, revoked []wire.Revocation) error
}

func (s *run) noteRevoked(ctx context.Context, page wire.PullResponse) error {
	rn, ok := s.st.(RevocationNoter)
	if !ok || len(page.Revoked) == 0 || page.More {
		return nil
	}
	if err := rn.NoteRevoked(ctx, page.Revoked); err != nil {
		return fmt.Errorf("sync: note revoked workstations: %w", err)
	}
	return nil
}

// ApplyChunk bounds one apply transaction. A pulled page (up to 5,000
// changes) is applied in chunks so that a clinician's save waits for one
// chunk at most, never for a whole page: sync must not block charting.
const ApplyChunk = 500

// applyPage applies changes in chunks; only the last moves the cursor to
// next (0 keeps it: the store keeps the larger) and keeps nextID, the
// change the server numbered next, with it. A crash between chunks pulls
// the page again, and what was stored is skipped.
func (s *run) applyPage(ctx context.Context, changes []wire.Change, next int64, nextID chart.ChangeID) error {
	for start := 0; ; start += ApplyChunk {
		end, moveTo := min(start+ApplyChunk, len(changes)), int64(0)
		if end == len(changes) {
			moveTo = next
		}
		var applied, conflicts int
		var err error
		if m, ok := s.st.(MarkingApplier); ok && moveTo != 0 && nextID != "" {
			applied, conflicts, err = m.ApplyRemoteAt(ctx, changes[start:end], moveTo, nextID)
		} else {
			applied, conflicts, err = s.st.ApplyRemote(ctx, changes[start:end], moveTo)
		}
		s.r.Received += applied
		s.r.Conflicts += conflicts
		if err != nil || end == len(changes) {
			return err
		}
	}
}
