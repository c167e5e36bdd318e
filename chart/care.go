package chart

import (
	"context"
	"strings"
	"time"
)

// Preventive care: what a patient is due for (screenings, check-ups and,
// fed by other engines, immunizations), the clinician's decisions about it,
// and the practice's recall calls. The rules themselves are data, in
// chart/care (rules.json); the records here are ordinary clinical records,
// sealed, versioned, audited and synced with their patient.
const (
	// KindCareDecision: a due item marked done elsewhere, declined, or not
	// applicable, with a reason.
	KindCareDecision = "care-decision"
	// KindRecallContact: the practice contacted the patient about what
	// they are due for (who, when, how, with what outcome).
	KindRecallContact = "recall-contact"
)

// Care statuses of a DueItem.
const (
	CareDue           = "due"
	CareOverdue       = "overdue"
	CareUpToDate      = "up-to-date"
	CareDeclined      = "declined"
	CareNotApplicable = "not-applicable"
)

// Care decisions a clinician records.
const (
	DecisionDoneElsewhere = "done-elsewhere"
	DecisionDeclined      = "declined"
	DecisionNotApplicable = "not-applicable"
)

// DueItem is one thing a patient is due for, or is up to date with. Any
// engine may produce them (the screening rules of chart/care, an
// immunization forecast): the summary and the recall lists only read
// these fields. Dates are YYYY-MM-DD.
type DueItem struct {
	PatientID PatientID `json:"patientId"`
	// RuleID names the rule or vaccine group ("uspstf-colorectal",
	// "cdsi-mmr"); a CareDecision refers to it.
	RuleID string `json:"ruleId"`
	Title  string `json:"title"`
	// Category groups items: "screening", "well-child", "immunization".
	Category string `json:"category"`
	Status   string `json:"status"` // CareDue, CareOverdue, CareUpToDate, CareDeclined, CareNotApplicable
	// DueDate is when it is (or was, or next will be) due.
	DueDate string `json:"dueDate"`
	// LastDone is the date of what last satisfied it, if anything.
	LastDone string `json:"lastDone,omitempty"`
	// Reason says in a sentence why it is due, or why not.
	Reason string `json:"reason"`
	// Source, Grade and Version cite the recommendation.
	Source  string `json:"source"`
	Grade   string `json:"grade,omitempty"`
	Version string `json:"version,omitempty"`
	// Decision is the clinician's decision that applies, if any.
	Decision *CareDecision `json:"decision,omitempty"`
}

// Actionable reports whether the item calls for something: due or overdue.
func (d DueItem) Actionable() bool { return d.Status == CareDue || d.Status == CareOverdue }

// CareDecision records that a due item was done elsewhere (on Date),
// declined by the patient, or does not apply, with a reason. Entering it
// in error withdraws it.
type CareDecision struct {
	Meta
	RuleID   string `json:"ruleId"`
	Decision string `json:"decision"` // DecisionDoneElsewhere | DecisionDeclined | DecisionNotApplicable
	// Date is when it was done elsewhere, or when declined / judged not
	// applicable (YYYY-MM-DD, not in the future; today when empty).
	Date   string `json:"date"`
	Reason string `json:"reason"`
	// DecidedByName is who recorded it (set by the store).
	DecidedByName string `json:"decidedByName,omitempty"`
}

// Validate normalises a care decision in place.
func (c *CareDecision) Validate(now time.Time) error {
	var probs Problems
	cleanEach(&probs, textField{&c.RuleID, "ruleId", "The item", MaxCodeLen, true, false})
	c.Decision = strings.TrimSpace(c.Decision)
	if !oneOf(c.Decision, DecisionDoneElsewhere, DecisionDeclined, DecisionNotApplicable) {
		probs.Add(FieldError("decision", "Choose done elsewhere, declined or not applicable."))
	}
	c.Date = validateAsOf(&probs, c.Date, now)
	required := c.Decision != DecisionDoneElsewhere // where it was done is optional
	cleanEach(&probs, textField{&c.Reason, "reason", "The reason", MaxShortTextLen, required, false})
	cleanEach(&probs, textField{&c.DecidedByName, "decidedByName", "The name", MaxShortTextLen, false, false})
	return probs.Err()
}

// Recall contact methods and outcomes.
var (
	RecallMethods  = []string{"phone", "letter", "email", "text", "in-person"}
	RecallOutcomes = []string{"booked", "reached", "message-left", "no-answer", "declined", "wrong-number"}
)

// RecallContact records one attempt to reach a patient about what they
// are due for.
type RecallContact struct {
	Meta
	// RuleIDs are the items the contact was about (empty: all of them).
	RuleIDs []string `json:"ruleIds"`
	Date    string   `json:"date"` // YYYY-MM-DD, today when empty
	Method  string   `json:"method"`
	Outcome string   `json:"outcome"`
	Comment string   `json:"comment"`
	// ByName is who made the contact (set by the store).
	ByName string `json:"byName,omitempty"`
}

// Validate normalises a recall contact in place.
func (r *RecallContact) Validate(now time.Time) error {
	var probs Problems
	r.Date = validateAsOf(&probs, r.Date, now)
	r.Method, r.Outcome = strings.TrimSpace(r.Method), strings.TrimSpace(r.Outcome)
	if !oneOf(r.Method, RecallMethods...) {
		probs.Add(FieldError("method", "Choose how the patient was contacted: %s.", strings.Join(RecallMethods, ", ")))
	}
	if !oneOf(r.Outcome, RecallOutcomes...) {
		probs.Add(FieldError("outcome", "Choose the outcome: %s.", strings.Join(RecallOutcomes, ", ")))
	}
	if len(r.RuleIDs) > 50 {
		probs.Add(FieldError("ruleIds", "A contact is about at most 50 items."))
	}
	for i := range r.RuleIDs {
		cleanEach(&probs, textField{&r.RuleIDs[i], "ruleIds", "An item", MaxCodeLen, true, false})
	}
	cleanEach(&probs,
		textField{&r.Comment, "comment", "The comment", MaxLongTextLen, false, true},
		textField{&r.ByName, "byName", "The name", MaxShortTextLen, false, false})
	return probs.Err()
}

// CareChart is what the care rules read of one patient's chart: the
// current records of the kinds they look at.
type CareChart struct {
	Patient    Patient         `json:"patient"`
	Problems   []Problem       `json:"problems"`
	Results    []Result        `json:"results"`
	Procedures []Procedure     `json:"procedures"`
	Encounters []Encounter     `json:"encounters"`
	Vitals     []VitalsRecord  `json:"vitals"`
	Social     []SocialHistory `json:"social"`
	// Immunizations are for an immunization forecast fed into the same
	// DueItem list; the screening rules do not read them.
	Immunizations []Immunization  `json:"immunizations"`
	Decisions     []CareDecision  `json:"decisions"`
	Contacts      []RecallContact `json:"contacts"`
}

// CareService stores care decisions and recall contacts and reads the
// charts the care rules evaluate. Like ChartService it checks roles (the
// front desk never reads what a patient is due for: that is clinical) and
// audits every read and write.
type CareService interface {
	SaveCareDecision(ctx context.Context, d CareDecision) (CareDecision, error)
	SaveRecallContact(ctx context.Context, r RecallContact) (RecallContact, error)
	// CareChart reads one patient's chart for the rules (a chart read).
	CareChart(ctx context.Context, id PatientID) (CareChart, error)
	// PracticeCare reads every patient's chart for the recall lists and
	// registries; pick (nil: all) chooses, from them all, the charts to
	// show, and each one it returns is audited as a chart read with what
	// ("listed on the recall list").
	PracticeCare(ctx context.Context, what string, pick func([]CareChart) []CareChart) ([]CareChart, error)
}
