package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"outpost/chart"
)

// Tasks are practice-wide records (chart.KindTask): patient id "" on the
// wire, the patient only inside the sealed content. Every role may write
// them (the front desk passes on messages); a task is shown to its
// assignee and its author.

var _ chart.TaskService = (*Session)(nil)

var taskSpec = pwSpec[chart.Task]{kind: chart.KindTask,
	id:         func(t *chart.Task) string { return string(t.ID) },
	setVersion: func(t *chart.Task, v int64) { t.Version = v }}

// SaveTask creates a task (ID "") or edits one the user wrote or was given.
func (s *Session) SaveTask(ctx context.Context, tk chart.Task) (chart.Task, error) {
	err := s.guarded("save task", "", func() error {
		if err := tk.Validate(); err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error { return s.storeTask(ctx, t, &tk) })
	})
	if err != nil {
		return chart.Task{}, err
	}
	return tk, nil
}

func (s *Session) storeTask(ctx context.Context, t *tx, tk *chart.Task) error {
	if err := s.checkTaskPeople(ctx, t, tk); err != nil {
		return err
	}
	version, action, parents := int64(1), chart.AuditCreate, []chart.ChangeID(nil)
	if tk.ID == "" {
		tk.ID, tk.CreatedAt, tk.CreatedBy = chart.NewRecordID(), t.now, s.user.ID
		tk.DoneAt, tk.DoneBy = nil, ""
	} else {
		cur, row, err := s.taskToChange(ctx, t, tk.ID, tk.Version)
		if err != nil {
			return err
		}
		tk.CreatedAt, tk.CreatedBy, tk.DoneAt, tk.DoneBy = cur.CreatedAt, cur.CreatedBy, cur.DoneAt, cur.DoneBy
		version, action, parents = row.version+1, chart.AuditUpdate, []chart.ChangeID{row.head}
	}
	tk.UpdatedAt, tk.UpdatedBy = t.now, s.user.ID
	if err := taskSpec.put(ctx, s, t, tk, version, parents, nil); err != nil {
		return err
	}
	return s.audit(ctx, t, taskAudit(action, tk, fmt.Sprintf("task version %d for %s", version, tk.AssignedTo)))
}

// checkTaskPeople checks the assignee is an active user and the patient is
// held here.
func (s *Session) checkTaskPeople(ctx context.Context, t *tx, tk *chart.Task) error {
	var active bool
	err := t.QueryRowContext(ctx, `SELECT active FROM users WHERE id = ?`, string(tk.AssignedTo)).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return chart.FieldError("assignedTo", "Choose who the task is for from the list of active colleagues.")
	}
	if err != nil {
		return fmt.Errorf("find assignee: %w", err)
	}
	if tk.PatientID != "" {
		return requirePatient(ctx, t, tk.PatientID)
	}
	return nil
}

// taskToChange loads task id for an edit by the user: it must be theirs
// (written by or to them) and still at the version they saw.
func (s *Session) taskToChange(ctx context.Context, q queryer, id chart.RecordID, seen int64) (chart.Task, clinicalRow, error) {
	cur, row, err := taskSpec.load(ctx, q, s.key, id)
	if err != nil {
		return cur, row, err
	}
	if !s.involvedIn(&cur) {
		return cur, row, chart.Errorf(chart.EFORBIDDEN, "This task is between other colleagues; only its author and the person it is for may change it.")
	}
	if seen != row.version {
		return cur, row, errChangedUnderneath(chart.KindTask)
	}
	return cur, row, nil
}

func (s *Session) involvedIn(tk *chart.Task) bool {
	return tk.AssignedTo == s.user.ID || tk.CreatedBy == s.user.ID
}

// MarkTask marks a task done (who and when) or open again.
func (s *Session) MarkTask(ctx context.Context, d chart.TaskDone) (chart.Task, error) {
	var out chart.Task
	err := s.guarded("mark task", "", func() error {
		return s.w.write(ctx, func(t *tx) error {
			cur, row, err := s.taskToChange(ctx, t, d.ID, d.Version)
			if err != nil {
				return err
			}
			word := "reopened"
			cur.DoneAt, cur.DoneBy = nil, ""
			if d.Done {
				now := t.now
				cur.DoneAt, cur.DoneBy, word = &now, s.user.ID, "marked done"
			}
			cur.UpdatedAt, cur.UpdatedBy = t.now, s.user.ID
			if err := taskSpec.put(ctx, s, t, &cur, row.version+1, []chart.ChangeID{row.head}, nil); err != nil {
				return err
			}
			out = cur
			return s.audit(ctx, t, taskAudit(chart.AuditUpdate, &cur, word+" a task"))
		})
	})
	return out, err
}

func taskAudit(action chart.AuditAction, tk *chart.Task, detail string) chart.AuditEntry {
	return chart.AuditEntry{Action: action, PatientID: tk.PatientID, RecordKind: chart.KindTask,
		RecordID: string(tk.ID), Detail: detail}
}

// SentTasks lists the open tasks the user wrote to colleagues.
func (s *Session) SentTasks(ctx context.Context) ([]chart.TaskItem, error) {
	return s.listTasks(ctx, "listed tasks sent", func(tk *chart.Task) bool {
		return !tk.Done() && tk.CreatedBy == s.user.ID && tk.AssignedTo != s.user.ID
	})
}

// myOpenTasks lists the open tasks assigned to the user, overdue first,
// then by due date (undated last), then oldest first. Audited per patient.
func (s *Session) myOpenTasks(ctx context.Context) ([]chart.TaskItem, error) {
	return s.listTasks(ctx, "listed tasks in the inbox", func(tk *chart.Task) bool {
		return !tk.Done() && tk.AssignedTo == s.user.ID
	})
}

func (s *Session) listTasks(ctx context.Context, what string, keep func(*chart.Task) bool) ([]chart.TaskItem, error) {
	var out []chart.TaskItem
	err := s.guarded(what, "", func() error {
		all, err := taskSpec.list(ctx, s.w.db, s.key)
		if err != nil {
			return err
		}
		names, err := userNames(ctx, s.w.db)
		if err != nil {
			return err
		}
		now := s.w.now()
		for i := range all {
			if tk := &all[i]; keep(tk) {
				out = append(out, s.taskItem(tk, names, now))
			}
		}
		slices.SortStableFunc(out, compareTaskItems)
		return s.auditTaskList(ctx, what, out)
	})
	return out, err
}

func (s *Session) taskItem(tk *chart.Task, names map[chart.UserID]string, now time.Time) chart.TaskItem {
	it := chart.TaskItem{Task: *tk, AssignedTo: names[tk.AssignedTo], CreatedBy: names[tk.CreatedBy],
		Overdue: tk.Overdue(now)}
	if tk.PatientID != "" {
		if sum, ok := s.index.Lookup(tk.PatientID); ok {
			it.PatientName = strings.TrimSpace(sum.GivenName + " " + sum.FamilyName)
			it.PatientMRN = sum.MRN
		}
	}
	return it
}

// compareTaskItems: overdue first, then by due date (undated last), then
// in the order written.
func compareTaskItems(a, b chart.TaskItem) int {
	if a.Overdue != b.Overdue {
		if a.Overdue {
			return -1
		}
		return 1
	}
	if (a.Task.Due == "") != (b.Task.Due == "") {
		if a.Task.Due == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.Task.Due, b.Task.Due), cmp.Compare(a.Task.ID, b.Task.ID))
}

// auditTaskList audits a listing once per patient named in it: a task
// about a patient says something about them.
func (s *Session) auditTaskList(ctx context.Context, what string, items []chart.TaskItem) error {
	perPatient := map[chart.PatientID]int{}
	var order []chart.PatientID
	for _, it := range items {
		if p := it.Task.PatientID; p != "" {
			if perPatient[p] == 0 {
				order = append(order, p)
			}
			perPatient[p]++
		}
	}
	if len(order) == 0 {
		return nil
	}
	return s.w.write(ctx, func(t *tx) error {
		for _, p := range order {
			if err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: p, RecordKind: chart.KindTask,
				Detail: fmt.Sprintf("%s: %d", what, perPatient[p])}); err != nil {
				return err
			}
		}
		return nil
	})
}

// userNames maps every user to their full name.
func userNames(ctx context.Context, q queryer) (map[chart.UserID]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, full_name FROM users`)
	if err != nil {
		return nil, fmt.Errorf("list user names: %w", err)
	}
	defer rows.Close()
	out := map[chart.UserID]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("list user names: %w", err)
		}
		out[chart.UserID(id)] = name
	}
	return out, rows.Err()
}

// Colleagues lists the active users a task may be written to, by name.
func (s *Session) Colleagues(ctx context.Context) ([]chart.Colleague, error) {
	var out []chart.Colleague
	err := s.guarded("list colleagues", "", func() error {
		rows, err := s.w.db.QueryContext(ctx, `SELECT id, full_name, role FROM users WHERE active = 1 ORDER BY full_name, username`)
		if err != nil {
			return fmt.Errorf("list colleagues: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c chart.Colleague
			if err := rows.Scan(&c.ID, &c.Name, &c.Role); err != nil {
				return fmt.Errorf("list colleagues: %w", err)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// resolveTask settles a sync conflict on a task, checked like an edit.
var resolveTask = taskSpec.resolver(func(s *Session, tk *chart.Task) (string, error) {
	if err := tk.Validate(); err != nil {
		return "", err
	}
	tk.UpdatedBy = s.user.ID
	return fmt.Sprintf("task %s", tk.ID), nil
})
