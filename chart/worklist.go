package chart

import "context"

// InboxCounts are the numbers on the top bar's Inbox entry: what waits for
// the signed-in user. Each count is zero for a role that may not act on it
// (the front desk sees only its tasks). Counting opens no chart, so it is
// not audited; listing (Inbox) is.
type InboxCounts struct {
	// Results awaiting review, practice-wide (the review inbox).
	Results int `json:"results"`
	// Notes: the user's own unsigned drafts.
	Notes int `json:"notes"`
	// Conflicts: open sync conflicts on records the user's role may edit.
	Conflicts int `json:"conflicts"`
	// Held: changes held back on this workstation (administrators).
	Held int `json:"held"`
	// Recalls due; filled by the recall extension point (RecallCounter).
	Recalls int `json:"recalls"`
	// Tasks: open tasks assigned to the user; Overdue of them past due.
	Tasks   int `json:"tasks"`
	Overdue int `json:"overdue"`
}

// Total is everything waiting, the number the top bar shows.
func (c InboxCounts) Total() int {
	return c.Results + c.Notes + c.Conflicts + c.Held + c.Recalls + c.Tasks
}

// NoteToSign is one of the user's unsigned drafts.
type NoteToSign struct {
	NoteID      RecordID       `json:"noteId"`
	EncounterID RecordID       `json:"encounterId"`
	Title       string         `json:"title"`
	Patient     PatientSummary `json:"patient"`
	UpdatedAt   string         `json:"updatedAt"`
}

// Inbox is everything waiting for the signed-in user: the counts, their
// unsigned notes and their open tasks (overdue first, then by due date).
// Results, conflicts and held changes have screens of their own; the
// inbox links to them.
type Inbox struct {
	Counts InboxCounts  `json:"counts"`
	Notes  []NoteToSign `json:"notes"`
	Tasks  []TaskItem   `json:"tasks"`
}

// WorklistService gives the signed-in user their inbox.
type WorklistService interface {
	InboxCounts(ctx context.Context) (InboxCounts, error)
	Inbox(ctx context.Context) (Inbox, error)
}

// RecallCounter counts the recalls due that the signed-in user may act on.
// Recalls are built elsewhere (issue #11's recall lists); the app's
// Worklist holds one of these and adds its count to the inbox, so the
// worklist does not depend on how recalls are kept. nil counts none.
type RecallCounter func(ctx context.Context, s Session) (int, error)
