package chart

import (
	"strings"
	"time"
)

// Referral is what "Refer…" asks for (the recipient, the reason, the
// question) plus who refers and how to call them back. The form sends the
// first part; the app fills Referrer from the signed-in user's profile
// and the practice settings and At from the clock, so a letter can never
// name someone else as its sender.
type Referral struct {
	PatientID             PatientID `json:"patientId"`
	RecipientName         string    `json:"recipientName"`
	RecipientOrganization string    `json:"recipientOrganization"`
	// RecipientContact is how the practice reaches the recipient: a
	// phone, an address, a secure e-mail — free text, one line.
	RecipientContact string `json:"recipientContact"`
	Reason           string `json:"reason"`
	Question         string `json:"question"`

	// ID names this referral (the IPS document's identifier and the
	// letter's reference), Referrer and At are set by the app.
	ID       RecordID  `json:"id"`
	Referrer Referrer  `json:"referrer"`
	At       time.Time `json:"at"`
}

// Referrer is the clinician who refers and where the recipient reaches
// them: their credentials and the practice's address and phone.
type Referrer struct {
	UserID        UserID     `json:"userId"`
	Name          string     `json:"name"`
	Role          Role       `json:"role"`
	LicenceNumber string     `json:"licenceNumber"`
	NPI           string     `json:"npi"`
	PracticeID    PracticeID `json:"practiceId"`
	Practice      string     `json:"practice"`
	Address       string     `json:"address"`
	Phone         string     `json:"phone"`
}

// Bounds of a referral's free text: a reason and a question are a few
// sentences; the letter carries the chart, not a pasted history.
const (
	MaxReferralReasonLen   = 1000
	MaxReferralQuestionLen = 1000
)

// NewReferrer is the referrer as the profile and the practice say.
func NewReferrer(u User, p Practice) Referrer {
	return Referrer{UserID: u.ID, Name: u.FullName, Role: u.Role, LicenceNumber: u.LicenceNumber, NPI: u.NPI,
		PracticeID: p.ID, Practice: p.Name, Address: p.Address, Phone: p.Phone}
}

// CallBack is how the recipient reaches the referrer, one line, or "" when
// the practice settings hold neither a phone nor an address.
func (r Referrer) CallBack() string {
	parts := []string{}
	if r.Phone != "" {
		parts = append(parts, "Phone "+r.Phone)
	}
	if r.Address != "" {
		parts = append(parts, strings.ReplaceAll(r.Address, "\n", ", "))
	}
	return strings.Join(parts, " · ")
}

// Validate trims the form's fields in place and checks them, reporting
// every problem at once in the order the form shows them. The recipient's
// name and the reason are required; without them the letter says nothing
// a receiving clinician can act on.
func (r *Referral) Validate() error {
	var probs Problems
	line := func(dst *string, field, label string, max int, required bool) {
		v, err := cleanLine(field, label, *dst, max, required)
		if probs.Add(err) {
			*dst = v
		}
	}
	text := func(dst *string, field, label string, max int, required bool) {
		v, err := cleanText(field, label, strings.ReplaceAll(*dst, "\r\n", "\n"), max, required)
		if err == nil && strings.ContainsFunc(v, isBidiControl) {
			err = bidiError(field, label)
		}
		if probs.Add(err) {
			*dst = v
		}
	}
	line(&r.RecipientName, "recipientName", "Recipient", MaxNameLen, true)
	line(&r.RecipientOrganization, "recipientOrganization", "Organisation", MaxShortTextLen, false)
	line(&r.RecipientContact, "recipientContact", "Recipient's contact", MaxShortTextLen, false)
	text(&r.Reason, "reason", "Reason for referral", MaxReferralReasonLen, true)
	text(&r.Question, "question", "Question", MaxReferralQuestionLen, false)
	return probs.Err()
}

// Check refuses a referrer who is not a clinician: the letter asks
// another clinician to act on the patient's behalf.
func (r Referrer) Check() error {
	if r.Role != RoleClinician {
		return Errorf(EFORBIDDEN, "Only a clinician can refer a patient; %s is signed in as %s.", r.Name, r.Role.Label())
	}
	return nil
}

// Recipient is the recipient on one line: "Dr A. Osei, Cardiology, City
// Hospital".
func (r Referral) Recipient() string {
	parts := []string{r.RecipientName}
	if r.RecipientOrganization != "" {
		parts = append(parts, r.RecipientOrganization)
	}
	return strings.Join(parts, ", ")
}
