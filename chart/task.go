package chart

import (
	"context"
	"strings"
	"time"
)

// KindTask is a task: a short message to a colleague or to oneself,
// perhaps about a patient, perhaps with a due date ("call Mrs Okafor back
// about her potassium"). Tasks are practice-wide records: they travel with
// patient id "" so every workstation (a nurse's route laptop too) receives
// the tasks meant for whoever signs in there, and the patient a task is
// about is named only inside its sealed content.
const KindTask = "task"

// MaxTaskText bounds a task's message: a note to a colleague, not a letter.
const MaxTaskText = 500

// Task is one task. Version, UpdatedAt and UpdatedBy are the merge's
// bookkeeping fields (merge.Record): every other field merges on its
// own, so one workstation marking a task done and another moving its due
// date keep both.
type Task struct {
	ID        RecordID  `json:"id"`
	Version   int64     `json:"version"`
	Text      string    `json:"text"`
	PatientID PatientID `json:"patientId,omitempty"`
	// AssignedTo is whose inbox the task is in (the author's own when
	// they wrote it to themselves).
	AssignedTo UserID `json:"assignedTo"`
	// Due is "YYYY-MM-DD" or "" (no due date).
	Due       string     `json:"due,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	CreatedBy UserID     `json:"createdBy"`
	UpdatedAt time.Time  `json:"updatedAt"`
	UpdatedBy UserID     `json:"updatedBy"`
	DoneAt    *time.Time `json:"doneAt,omitempty"`
	DoneBy    UserID     `json:"doneBy,omitempty"`
}

// Done reports whether the task has been marked done.
func (t *Task) Done() bool { return t.DoneAt != nil }

// Overdue reports whether an open task's due date is before today (local).
func (t *Task) Overdue(now time.Time) bool {
	return !t.Done() && t.Due != "" && t.Due < now.In(time.Local).Format(time.DateOnly)
}

// Validate trims the task in place and checks what its author typed. A due
// date in the past is allowed: a task written late is still a task.
func (t *Task) Validate() error {
	var probs Problems
	text, err := cleanText("text", "The task", t.Text, MaxTaskText, true)
	if probs.Add(err) {
		t.Text = strings.TrimSpace(text)
	}
	if t.AssignedTo == "" || !ValidID(string(t.AssignedTo)) {
		probs.Add(FieldError("assignedTo", "Choose who the task is for (yourself or a colleague)."))
	}
	if t.PatientID != "" && !ValidID(string(t.PatientID)) {
		probs.Add(FieldError("patientId", "Choose the patient from the list, or leave the patient empty."))
	}
	due, err := validateDate("due", "The due date", t.Due, time.Time{}, false, false)
	if probs.Add(err) {
		t.Due = due
	}
	return probs.Err()
}

// TaskItem is a task as an inbox lists it: with the names of the patient
// (from the sign-in index) and of the people involved.
type TaskItem struct {
	Task        Task   `json:"task"`
	PatientName string `json:"patientName,omitempty"`
	PatientMRN  string `json:"patientMrn,omitempty"`
	AssignedTo  string `json:"assignedToName"`
	CreatedBy   string `json:"createdByName"`
	Overdue     bool   `json:"overdue"`
}

// TaskDone marks a task done or open again (Version: the version seen).
type TaskDone struct {
	ID      RecordID `json:"id"`
	Version int64    `json:"version"`
	Done    bool     `json:"done"`
}

// Colleague is a user a task may be written to.
type Colleague struct {
	ID   UserID `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// TaskService writes and lists tasks. Every role may: the front desk
// passes on messages too. Writing and listing a task that names a patient
// is audited against that patient.
type TaskService interface {
	// SaveTask creates a task (ID "") or edits one (Version the one seen).
	SaveTask(ctx context.Context, t Task) (Task, error)
	// MarkTask marks a task done, or open again.
	MarkTask(ctx context.Context, d TaskDone) (Task, error)
	// SentTasks lists the open tasks the user wrote to others.
	SentTasks(ctx context.Context) ([]TaskItem, error)
	// Colleagues lists the active users a task may be written to.
	Colleagues(ctx context.Context) ([]Colleague, error)
}
