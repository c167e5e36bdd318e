package app

import (
	"context"
	"log"
	"sync"
	"time"

	"outpost/chart"
	"outpost/chart/care"
	"outpost/internal/worker"
)

// recallCountEvery is how long the inbox's recall count stands before it
// is counted again.
const recallCountEvery = 10 * time.Minute

// RecallsDue returns the inbox's recall counter for Options.Recalls: how
// many patients have a screening, check-up or vaccine due or overdue.
// Counting judges every chart of the practice (seconds at 50,000
// patients), so it runs in the background at most once per
// recallCountEvery and the inbox shows the last count meanwhile (0 until
// the first count ends). It shows no patient, so no chart is audited as
// listed; the Recalls screen, which names them, audits each one.
func RecallsDue() chart.RecallCounter {
	c := &recallCounter{}
	return c.count
}

type recallCounter struct {
	mu      sync.Mutex
	n       int
	user    chart.UserID
	at      time.Time
	running bool
}

func (c *recallCounter) count(_ context.Context, s chart.Session) (int, error) {
	cs, ok := s.(careSvc)
	if !ok {
		return 0, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.user != s.User().ID { // another user signed in: their own count
		c.n, c.user, c.at = 0, s.User().ID, time.Time{}
	}
	if !c.running && time.Since(c.at) >= recallCountEvery {
		c.running = true
		go c.refresh(cs, s.User().ID)
	}
	return c.n, nil
}

// refresh counts in the background; a session locked meanwhile fails the
// count, which is tried again at the next inbox refresh.
func (c *recallCounter) refresh(s careSvc, user chart.UserID) {
	// A panic in the engines (DueAll raises a worker's again here) is a
	// failed count, tried again: on this goroutine nothing else recovers.
	var n int
	err := worker.Guard(func() (err error) {
		n, err = countRecalls(context.Background(), s, today())
		return err
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running = false
	if err != nil {
		log.Printf("count recalls for the inbox: %v", err)
		return
	}
	if c.user == user {
		c.n, c.at = n, time.Now()
	}
}

// countRecalls is how many listed patients have an item due or overdue.
func countRecalls(ctx context.Context, s careSvc, asOf time.Time) (int, error) {
	n := 0
	_, err := s.PracticeCare(ctx, "counted for the inbox", func(all []chart.CareChart) []chart.CareChart {
		due := care.DueAll(all, asOf, enginesFor(care.RecallFilter{})...)
		for i, cc := range all {
			if _, ok := care.RecallRowFor(cc, due[i], care.RecallFilter{}, asOf); ok {
				n++
			}
		}
		return nil
	})
	return n, err
}
