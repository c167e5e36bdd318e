package main

import (
	"context"
	"fmt"
	"time"

	"outpost/chart"
)

// verify checks, once every workstation has stopped, that the servers
// kept their word: each workstation pushes what its outbox still holds
// (a batch cut off by the time bound or refused; the same changes again,
// as its next sync would) and pulls to the head once more, then
// every change it received is one its practice's other workstations had
// acknowledged, received once, and none is missing; and one client per
// practice reads the practice's whole store (its own changes included)
// and finds every acknowledged change exactly once and nothing else.
func verify(stations []*station, sites []site, pullLimit int) error {
	ctx := context.Background()
	discard := &loadRun{latencies: map[string][]time.Duration{}, errors: map[string]int{}}
	resent := 0
	var problems []error
	for _, st := range stations {
		if len(st.outbox) == 0 {
			continue
		}
		resent += len(st.outbox)
		if !st.push(ctx, discard) {
			problems = append(problems, fmt.Errorf("practice %d: a workstation's outbox could not be pushed", st.practice))
		}
	}
	if resent > 0 {
		fmt.Printf("verify: pushed again the %d changes left in outboxes (cut off or refused)\n", resent)
	}
	owner := map[chart.ChangeID]int{} // acknowledged change: its practice
	acked := map[int]int{}            // practice: changes acknowledged
	for _, st := range stations {
		for _, id := range st.acked {
			owner[id] = st.practice
		}
		acked[st.practice] += len(st.acked)
	}
	for _, st := range stations {
		if !st.pullToHead(ctx, pullLimit, discard) {
			problems = append(problems, fmt.Errorf("practice %d: a workstation's last pull failed", st.practice))
			continue
		}
		problems = append(problems, st.check(owner, acked[st.practice])...)
	}
	first := map[int]*station{}
	for _, st := range stations {
		if first[st.practice] == nil {
			first[st.practice] = st
		}
	}
	stored := 0
	for p, st := range first {
		n, errs := storedOnce(ctx, st, owner, acked[p], pullLimit)
		stored += n
		problems = append(problems, errs...)
	}
	if len(problems) > 0 {
		for _, e := range problems[:min(len(problems), 20)] {
			fmt.Println("verify:", e)
		}
		return fmt.Errorf("verification failed: %d problems", len(problems))
	}
	fmt.Printf("verify: every one of the %d acknowledged changes is stored exactly once; each of the %d workstations "+
		"received every change of its practice's other workstations once and nothing of another practice\n", stored, len(stations))
	return nil
}

// check compares what st received with what its practice acknowledged.
func (st *station) check(owner map[chart.ChangeID]int, practiceAcked int) []error {
	var errs []error
	own := map[chart.ChangeID]bool{}
	for _, id := range st.acked {
		own[id] = true
	}
	want := practiceAcked - len(st.acked)
	got := 0
	for id, n := range st.received {
		p, known := owner[id]
		switch {
		case !known:
			errs = append(errs, fmt.Errorf("practice %d: received %s, which no workstation had acknowledged", st.practice, id))
		case p != st.practice:
			errs = append(errs, fmt.Errorf("practice %d: received %s of practice %d", st.practice, id, p))
		case own[id]:
			errs = append(errs, fmt.Errorf("practice %d: received its own change %s back", st.practice, id))
		default:
			got++
		}
		if n != 1 {
			errs = append(errs, fmt.Errorf("practice %d: received %s %d times", st.practice, id, n))
		}
	}
	if got != want {
		errs = append(errs, fmt.Errorf("practice %d: a workstation received %d of the %d changes of its practice's other workstations", st.practice, got, want))
	}
	return errs
}

// storedOnce reads the practice's whole store through st (its own
// changes included) and checks each acknowledged change is there once.
func storedOnce(ctx context.Context, st *station, owner map[chart.ChangeID]int, practiceAcked, limit int) (int, []error) {
	c := *st.next()
	c.IncludeOwn = true
	seen := map[chart.ChangeID]int{}
	after := int64(0)
	for {
		page, err := c.Pull(ctx, after, limit, nil)
		if err != nil {
			return 0, []error{fmt.Errorf("practice %d: read the store: %w", st.practice, err)}
		}
		for _, ch := range page.Changes {
			seen[ch.ChangeID]++
		}
		after = page.Next
		if !page.More {
			break
		}
	}
	var errs []error
	for id, n := range seen {
		if p, ok := owner[id]; !ok || p != st.practice || n != 1 {
			errs = append(errs, fmt.Errorf("practice %d: the store holds %s %d times (acknowledged in practice %d: %v)", st.practice, id, n, p, ok))
		}
	}
	if len(seen) != practiceAcked {
		errs = append(errs, fmt.Errorf("practice %d: the store holds %d changes, %d were acknowledged", st.practice, len(seen), practiceAcked))
	}
	return len(seen), errs
}
