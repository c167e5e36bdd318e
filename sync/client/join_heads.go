package client

import (
	"context"
	"fmt"

	"outpost/sync/transport"
	"outpost/sync/wire"
)

// HeadsJoiner is a joining workstation that can join from heads (the
// SQLite workstation): see sqlite/sync_join_heads.go.
type HeadsJoiner interface {
	Joiner
	JoinHeadsResume(ctx context.Context) (after, upTo int64, err error)
	BeginJoinHeads(ctx context.Context, upTo int64) error
	RecordsWithSeveralHeads(ctx context.Context, after string, limit int) ([]string, error)
	FinishJoinHeads(ctx context.Context, upTo int64) error
}

// HeadsTransport is a Transport that also lists heads (POST /v1/join-heads).
type HeadsTransport interface {
	Transport
	JoinHeads(ctx context.Context, after, upTo int64, limit int, records []string) (wire.PullResponse, error)
}

var _ HeadsTransport = (*transport.Client)(nil)

// historyBatch is how many records' histories one request asks for.
const historyBatch = 200

// JoinFromHeads joins without replaying the practice's history: it stores
// the head of every record as of the server's seq when it starts, the whole
// history of records with several heads (conflicts, merged as usual at the
// first sign-in), then pulls what arrived since like JoinPull. Every page
// is stored as it arrives and the position with it, so memory stays flat
// and a cut join resumes. It returns how many changes were new.
func JoinFromHeads(ctx context.Context, j HeadsJoiner, c HeadsTransport, progress func(Progress)) (int, error) {
	after, upTo, err := j.JoinHeadsResume(ctx)
	if err != nil {
		return 0, err
	}
	if upTo == 0 && after > 0 { // heads done (or a replayed join under way): catch up
		return JoinPull(ctx, j, c, after, progress)
	}
	received, upTo, err := joinHeadsPages(ctx, j, c, after, upTo, progress)
	if err != nil {
		return received, err
	}
	n, err := joinHistories(ctx, j, c, upTo)
	received += n
	if err != nil {
		return received, err
	}
	if err := j.FinishJoinHeads(ctx, upTo); err != nil {
		return received, fmt.Errorf("join: %w", err)
	}
	n, err = JoinPull(ctx, j, c, upTo, nil)
	return received + n, err
}

// joinHeadsPages stores the heads after cursor as of upTo (0: the server's
// head, recorded before the first page is stored) and returns the snapshot.
// The next page is fetched while this one is stored (the server reads and
// frames it, the workstation writes; on two cores the join's pull takes
// the longer of the two rather than their sum), so at most two pages are
// in memory at once.
func joinHeadsPages(ctx context.Context, j HeadsJoiner, c HeadsTransport, cursor, upTo int64,
	progress func(Progress)) (int, int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	var ahead <-chan fetched
	defer func() { // a return while a page is fetched ahead: stop it, and hand c back
		cancel()
		if ahead != nil {
			<-ahead
		}
	}()
	received, limit := 0, headsLimit(0, cursor, upTo)
	page, err := c.JoinHeads(ctx, cursor, upTo, limit, nil)
	for {
		if err != nil {
			return received, upTo, fmt.Errorf("join: fetch heads after %d: %w", cursor, err)
		}
		if upTo == 0 {
			if upTo = page.Head; upTo == 0 {
				return received, 0, nil // the server holds nothing yet
			}
			if err := j.BeginJoinHeads(ctx, upTo); err != nil {
				return received, upTo, fmt.Errorf("join: %w", err)
			}
		}
		if page.Head != upTo || page.Next > upTo || page.Next < cursor || page.More && page.Next == cursor {
			return received, upTo, fmt.Errorf("join: the server's heads page (next %d, head %d) does not follow %d up to %d",
				page.Next, page.Head, cursor, upTo)
		}
		if page.More {
			limit = headsLimit(limit, page.Next, upTo)
			ahead = fetchAhead(ctx, c, page.Next, upTo, limit)
		}
		n, err := j.ApplyJoinPull(ctx, page.Changes, page.Next)
		received += n
		if err != nil {
			return received, upTo, fmt.Errorf("join: store heads after %d: %w", cursor, err)
		}
		if progress != nil {
			progress(Progress{Phase: PhaseReceiving, Done: int(page.Next), Total: int(upTo)})
		}
		if !page.More {
			return received, upTo, nil
		}
		cursor = page.Next
		f := <-ahead
		ahead = nil
		page, err = f.page, f.err
	}
}

// The heads pages ramp up and down. With the next page fetched while one
// is stored, the two ends work side by side except at the edges: the
// workstation waits, idle, for the first page, and the server for the
// last page's store. At full pages (5,000 changes) those edges were
// 0.08–0.12 s and 0.15 s of a 2,000-patient join's pull at load 9
// (docs/benchmarks.md, "S2: the pull's edges and the sign-in's batches").
// So the first page is small and each next one twice the last, up to
// PullPage (this pays while the workstation is the slower end: it starts
// storing at once); and once fewer than two full pages of seqs are left,
// each page asks for half of them (a seq is at most one head), so the last
// page, whose store nothing overlaps, is small too. Halving ends after a
// few pages: each full page at least halves what is left.

// joinFirstPage is the first heads page's size, and the smallest a page
// asks for as the join nears its snapshot.
const joinFirstPage = PullPage / 8

// headsLimit is how many heads to ask for after cursor, up to the
// snapshot upTo (0: not known yet), when the page before asked for prev
// (0: this is the first page of this run).
func headsLimit(prev int, cursor, upTo int64) int {
	if prev == 0 || upTo == 0 {
		return joinFirstPage
	}
	limit := min(2*prev, PullPage)
	if rest := upTo - cursor; rest < 2*int64(PullPage) {
		limit = min(limit, max(joinFirstPage, int((rest+1)/2)))
	}
	return limit
}

// fetched is a heads page fetched ahead.
type fetched struct {
	page wire.PullResponse
	err  error
}

// fetchAhead fetches the heads page after cursor in the background. Only
// it uses c until its page is received (the channel hands c back).
func fetchAhead(ctx context.Context, c HeadsTransport, cursor, upTo int64, limit int) <-chan fetched {
	return inBackground(func() fetched {
		page, err := c.JoinHeads(ctx, cursor, upTo, limit, nil)
		return fetched{page, err}
	}, func(err error) fetched { return fetched{err: err} })
}

// joinHistories stores the whole history (up to upTo) of every record the
// heads left with several heads.
func joinHistories(ctx context.Context, j HeadsJoiner, c HeadsTransport, upTo int64) (int, error) {
	received, last := 0, ""
	for {
		ids, err := j.RecordsWithSeveralHeads(ctx, last, historyBatch)
		if err != nil || len(ids) == 0 {
			return received, err
		}
		n, err := fetchHistories(ctx, j, c, ids, upTo)
		received += n
		if err != nil {
			return received, err
		}
		last = ids[len(ids)-1]
	}
}

// fetchHistories stores every change up to upTo of the records ids, page
// by page; the pull cursor does not move (next 0).
func fetchHistories(ctx context.Context, j Joiner, c HeadsTransport, ids []string, upTo int64) (int, error) {
	received, cursor := 0, int64(0)
	for {
		page, err := c.JoinHeads(ctx, cursor, upTo, PullPage, ids)
		if err != nil {
			return received, fmt.Errorf("join: fetch the history of %d records: %w", len(ids), err)
		}
		n, err := j.ApplyJoinPull(ctx, page.Changes, 0)
		received += n
		if err != nil {
			return received, fmt.Errorf("join: store the history of %d records: %w", len(ids), err)
		}
		if !page.More {
			return received, nil
		}
		if page.Next <= cursor {
			return received, fmt.Errorf("join: server says there is more history after %d but did not move past it", cursor)
		}
		cursor = page.Next
	}
}
