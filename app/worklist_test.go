package app_test

import (
	"context"
	"testing"

	"outpost/app"
	"outpost/chart"
)

// TestInboxRecallExtension: the recall counter handed in through
// Options.Recalls adds to a clinician's inbox, never to the front desk's,
// and a task written through the app reaches its assignee's inbox.
func TestInboxRecallExtension(t *testing.T) {
	recalls := func(ctx context.Context, s chart.Session) (int, error) { return 4, nil }
	a, _ := practiceApp(t, app.Options{Events: &recorder{}, Recalls: recalls})
	fran := addUser(t, a, "Fran Desk", "fran", chart.RoleFrontDesk)
	signIn(t, a, "sam")
	if c, err := a.Worklist.Counts(); err != nil || c.Recalls != 4 || c.Total() != 4 {
		t.Fatalf("clinician counts %+v (%v), want the 4 recalls", c, err)
	}
	if _, err := a.Worklist.SaveTask(chart.Task{Text: "Confirm Friday's clinic times", AssignedTo: fran.ID}); err != nil {
		t.Fatal(err)
	}
	signIn(t, a, "fran")
	in, err := a.Worklist.Inbox()
	if err != nil || in.Counts != (chart.InboxCounts{Tasks: 1}) || len(in.Tasks) != 1 || in.Notes == nil {
		t.Fatalf("front desk inbox %+v (%v), want the task only (notes an empty list, not null)", in, err)
	}
}
