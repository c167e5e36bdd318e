package app

import (
	"context"

	"outpost/chart"
)

// Worklist is bound to the frontend: the signed-in user's inbox and tasks.
type Worklist struct{ a *App }

// inboxSession is a session that keeps an inbox.
type inboxSession interface {
	chart.Session
	chart.WorklistService
}

// Counts is what the top bar's Inbox entry shows, recalls included when
// Options.Recalls is set. The frontend asks on its own (after each sync,
// on a poll), so asking is not activity: the idle lock still comes.
func (w *Worklist) Counts() (chart.InboxCounts, error) {
	return watchAs(w.a, "show an inbox", func(ctx context.Context, s inboxSession) (chart.InboxCounts, error) {
		c, err := s.InboxCounts(ctx)
		if err != nil {
			return c, err
		}
		c.Recalls, err = w.recalls(ctx, s)
		return c, err
	})
}

// Inbox lists what waits for the signed-in user.
func (w *Worklist) Inbox() (chart.Inbox, error) {
	return callAs(w.a, "show an inbox", func(ctx context.Context, s inboxSession) (chart.Inbox, error) {
		in, err := s.Inbox(ctx)
		if err != nil {
			return in, err
		}
		in.Notes, in.Tasks = nonNil(in.Notes), nonNil(in.Tasks)
		in.Counts.Recalls, err = w.recalls(ctx, s)
		return in, err
	})
}

// recalls is the extension point for the recall lists (chart.RecallCounter,
// wired through Options.Recalls); the front desk's inbox holds no recalls,
// and neither does the administrator's: counting reads every chart, which
// their role may not (the count was tried and refused every ten minutes).
func (w *Worklist) recalls(ctx context.Context, s chart.Session) (int, error) {
	role := s.User().Role
	if w.a.opts.Recalls == nil || !chart.InboxShowsWork(role) || !chart.Can(role, chart.ActReadClinical) {
		return 0, nil
	}
	return w.a.opts.Recalls(ctx, s)
}

// SaveTask writes a task to a colleague or to oneself, or edits one.
func (w *Worklist) SaveTask(t chart.Task) (chart.Task, error) {
	return with(w.a, t, chart.TaskService.SaveTask)
}

// MarkTask marks a task done, or open again.
func (w *Worklist) MarkTask(d chart.TaskDone) (chart.Task, error) {
	return with(w.a, d, chart.TaskService.MarkTask)
}

// SentTasks lists the open tasks the user wrote to colleagues.
func (w *Worklist) SentTasks() ([]chart.TaskItem, error) {
	return list(get(w.a, chart.TaskService.SentTasks))
}

// Colleagues lists who a task may be written to.
func (w *Worklist) Colleagues() ([]chart.Colleague, error) {
	return list(get(w.a, chart.TaskService.Colleagues))
}
