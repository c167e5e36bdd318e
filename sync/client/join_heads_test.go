package client_test

import (
	"context"
	"fmt"
	"testing"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/wire"
)

// denseHeads serves n heads at seqs 1..n (every change a head, as in a
// practice whose records were each written once) and records the limit of
// every heads request.
type denseHeads struct {
	n      int64
	limits []int
}

func (d *denseHeads) JoinHeads(_ context.Context, after, upTo int64, limit int, records []string) (wire.PullResponse, error) {
	if records != nil {
		return wire.PullResponse{Next: upTo, Head: upTo}, nil
	}
	d.limits = append(d.limits, limit)
	if upTo == 0 {
		upTo = d.n
	}
	resp := wire.PullResponse{Next: after, Head: upTo}
	for seq := after + 1; seq <= upTo && len(resp.Changes) < limit; seq++ {
		id := fmt.Sprintf("%08d-0000-7000-8000-000000000000", seq)
		resp.Changes = append(resp.Changes, wire.Change{ChangeID: chart.ChangeID(id), RecordID: id})
		resp.Next = seq
	}
	resp.More = resp.Next < upTo
	if !resp.More {
		resp.Next = upTo
	}
	return resp, nil
}

func (d *denseHeads) Pull(_ context.Context, after int64, _ int, _ []chart.PatientID) (wire.PullResponse, error) {
	return wire.PullResponse{Next: after, Head: after}, nil
}

func (d *denseHeads) Push(context.Context, []wire.Change) ([]wire.Ack, error) { return nil, nil }

// pageSizes is a joining workstation that keeps the size of each heads
// page it stores and the changes it holds.
type pageSizes struct {
	sizes []int
	held  map[chart.ChangeID]int
	upTo  int64
}

func (p *pageSizes) ApplyJoinPull(_ context.Context, cs []wire.Change, next int64) (int, error) {
	if next > 0 && len(cs) > 0 {
		p.sizes = append(p.sizes, len(cs))
	}
	for _, c := range cs {
		p.held[c.ChangeID]++
	}
	return len(cs), nil
}
func (p *pageSizes) JoinHeadsResume(context.Context) (int64, int64, error) { return 0, p.upTo, nil }
func (p *pageSizes) BeginJoinHeads(_ context.Context, upTo int64) error    { p.upTo = upTo; return nil }
func (p *pageSizes) RecordsWithSeveralHeads(context.Context, string, int) ([]string, error) {
	return nil, nil
}
func (p *pageSizes) FinishJoinHeads(context.Context, int64) error { p.upTo = 0; return nil }

// The join's heads pages ramp up and down: the first page is small (the
// workstation waits, idle, for it) and so is the last (the server waits,
// idle, while it is stored); in between they are full. Every head is
// stored once, and the ramps cost only a few requests.
func TestJoinHeadsPagesRampUpAndDown(t *testing.T) {
	for _, n := range []int64{1, 900, 5_001, 51_867, 120_000} {
		tr := &denseHeads{n: n}
		j := &pageSizes{held: map[chart.ChangeID]int{}}
		got, err := client.JoinFromHeads(context.Background(), j, tr, nil)
		if err != nil {
			t.Fatalf("%d heads: JoinFromHeads: %v", n, err)
		}
		if int64(got) != n || int64(len(j.held)) != n {
			t.Fatalf("%d heads: %d stored, %d distinct, want %d", n, got, len(j.held), n)
		}
		for id, k := range j.held {
			if k != 1 {
				t.Fatalf("%d heads: %s stored %d times", n, id, k)
			}
		}
		small := client.PullPage / 8
		if tr.limits[0] > small {
			t.Errorf("%d heads: the first page asked for %d heads, want at most %d", n, tr.limits[0], small)
		}
		if last := j.sizes[len(j.sizes)-1]; last > small {
			t.Errorf("%d heads: the last page stored %d heads (pages %v), want at most %d", n, last, j.sizes, small)
		}
		full := int((n + client.PullPage - 1) / client.PullPage)
		if len(tr.limits) > full+10 {
			t.Errorf("%d heads: %d requests (limits %v), want at most %d", n, len(tr.limits), tr.limits, full+10)
		}
		for _, l := range tr.limits {
			if l < 1 || l > client.PullPage {
				t.Fatalf("%d heads: asked for %d heads, outside 1-%d", n, l, client.PullPage)
			}
		}
	}
}
