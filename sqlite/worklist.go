package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	gosync "sync"

	"outpost/chart"
)

// The inbox: what waits for the signed-in user, practice-wide. Counting
// reads only clear columns (to_review, locked, record_conflicts.kind,
// quarantine) and the user's own tasks and note headers, and shows no
// content, so it is not audited; Inbox lists names and titles and is.

var _ chart.WorklistService = (*Session)(nil)

// InboxCounts counts what waits for the user (recalls are added by the
// app, see chart.RecallCounter).
func (s *Session) InboxCounts(ctx context.Context) (chart.InboxCounts, error) {
	var c chart.InboxCounts
	err := s.guarded("count the inbox", "", func() error {
		var err error
		c, err = s.inboxCounts(ctx)
		return err
	})
	return c, err
}

func (s *Session) inboxCounts(ctx context.Context) (chart.InboxCounts, error) {
	var c chart.InboxCounts
	var err error
	if c.Tasks, c.Overdue, err = s.countTasks(ctx); err != nil {
		return c, err
	}
	if !chart.InboxShowsWork(s.user.Role) {
		return c, nil // the front desk: tasks only
	}
	if c.Conflicts, err = s.actionableConflicts(ctx); err != nil {
		return c, err
	}
	if chart.Can(s.user.Role, chart.ActManagePractice) {
		if err := s.w.db.QueryRowContext(ctx, `SELECT count(*) FROM quarantine WHERE dismissed_at IS NULL`).Scan(&c.Held); err != nil {
			return c, fmt.Errorf("count held changes: %w", err)
		}
	}
	if chart.Can(s.user.Role, chart.ActReadClinical) {
		err := s.w.db.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE kind = ? AND to_review = 1`, chart.KindResult).Scan(&c.Results)
		if err != nil {
			return c, fmt.Errorf("count results to review: %w", err)
		}
	}
	if chart.Can(s.user.Role, chart.ActWriteClinical) {
		notes, err := s.draftsToSign(ctx)
		if err != nil {
			return c, err
		}
		c.Notes = len(notes)
	}
	return c, nil
}

// actionableConflicts counts the open conflicts on records the user's role
// may resolve (one per record).
func (s *Session) actionableConflicts(ctx context.Context) (int, error) {
	rows, err := s.w.db.QueryContext(ctx, `SELECT kind, count(*) FROM record_conflicts GROUP BY kind`)
	if err != nil {
		return 0, fmt.Errorf("count conflicts: %w", err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return 0, fmt.Errorf("count conflicts: %w", err)
		}
		if act := conflictWriteAct(kind); act != "" && chart.Can(s.user.Role, act) {
			total += n
		}
	}
	return total, rows.Err()
}

// draftsToSign opens the headers of every unsigned note (locked = 0) and
// keeps the user's own that are not entered in error. Only headers are
// opened: the full notes stay sealed.
func (s *Session) draftsToSign(ctx context.Context) ([]noteHeader, error) {
	all, err := s.summarisedNotes(ctx, s.w.db, "find notes to sign", `kind = ? AND locked = 0`, chart.KindNote)
	if err != nil {
		return nil, err
	}
	var out []noteHeader
	for _, h := range all {
		if !h.IsDamaged() && h.Signature == nil && h.EnteredInError == nil && h.CreatedBy == s.user.ID {
			out = append(out, h)
		}
	}
	return out, nil
}

// Inbox lists what waits for the user: the counts, their unsigned notes
// and their open tasks. Each patient named is audited as a chart read.
func (s *Session) Inbox(ctx context.Context) (chart.Inbox, error) {
	var in chart.Inbox
	err := s.guarded("open the inbox", "", func() error {
		var err error
		if in.Counts, err = s.inboxCounts(ctx); err != nil {
			return err
		}
		if in.Counts.Notes > 0 {
			if in.Notes, err = s.notesToSign(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return in, err
	}
	in.Tasks, err = s.myOpenTasks(ctx)
	return in, err
}

func (s *Session) notesToSign(ctx context.Context) ([]chart.NoteToSign, error) {
	drafts, err := s.draftsToSign(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]chart.NoteToSign, 0, len(drafts))
	for _, h := range drafts {
		sum, ok := s.index.Lookup(h.PatientID)
		if !ok {
			sum = chart.PatientSummary{ID: h.PatientID}
		}
		title := strings.TrimSpace(h.Title)
		if title == "" {
			title = "Untitled note"
		}
		out = append(out, chart.NoteToSign{NoteID: h.ID, EncounterID: h.EncounterID, Title: title, Patient: sum,
			UpdatedAt: h.UpdatedAt.Local().Format("2006-01-02 15:04")})
	}
	return out, s.w.write(ctx, func(t *tx) error {
		for _, n := range out {
			if err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: n.Patient.ID,
				RecordKind: chart.KindNote, RecordID: string(n.NoteID), Detail: "listed a note to sign in the inbox"}); err != nil {
				return err
			}
		}
		return nil
	})
}

// taskCounter keeps, per task record, what counting needs (assignee,
// done, due) under the head it was read at, so a count opens only the
// tasks written or merged since the last one: every task ever written
// stays in the store, and the count runs after every save and sync. It
// holds no text and no patient.
type taskCounter struct {
	mu   gosync.Mutex
	seen map[string]taskMark
}

type taskMark struct {
	head       chart.ChangeID
	assignedTo chart.UserID
	done       bool
	due        string
}

// countTasks counts the open tasks assigned to the user and how many of
// them are overdue.
func (s *Session) countTasks(ctx context.Context) (open, overdue int, err error) {
	heads, err := taskHeads(ctx, s.w.db)
	if err != nil {
		return 0, 0, err
	}
	tc := &s.tasks
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.seen == nil {
		tc.seen = map[string]taskMark{}
	}
	for id := range tc.seen {
		if _, ok := heads[id]; !ok {
			delete(tc.seen, id)
		}
	}
	for id, head := range heads {
		if m, ok := tc.seen[id]; ok && m.head == head {
			continue
		}
		tk, row, err := taskSpec.load(ctx, s.w.db, s.key, chart.RecordID(id))
		if code := chart.ErrorCode(err); code == chart.EINTEGRITY || code == chart.ENOTFOUND {
			slog.Warn("a task does not open", "id", id, "err", err)
			tc.seen[id] = taskMark{head: head} // counted for nobody until it changes
			continue
		}
		if err != nil {
			return 0, 0, err
		}
		tc.seen[id] = taskMark{head: row.head, assignedTo: tk.AssignedTo, done: tk.Done(), due: tk.Due}
	}
	now := s.w.now()
	for _, m := range tc.seen {
		if !m.done && m.assignedTo == s.user.ID {
			open++
			if (&chart.Task{Due: m.due}).Overdue(now) {
				overdue++
			}
		}
	}
	return open, overdue, nil
}

func taskHeads(ctx context.Context, q queryer) (map[string]chart.ChangeID, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, head_change_id FROM records WHERE kind = ? AND patient_id = ''`, chart.KindTask)
	if err != nil {
		return nil, fmt.Errorf("count tasks: %w", err)
	}
	defer rows.Close()
	out := map[string]chart.ChangeID{}
	for rows.Next() {
		var id string
		var head chart.ChangeID
		if err := rows.Scan(&id, &head); err != nil {
			return nil, fmt.Errorf("count tasks: %w", err)
		}
		out[id] = head
	}
	return out, rows.Err()
}
