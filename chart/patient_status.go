package chart

import (
	"regexp"
	"strings"
	"time"
)

// What the practice keeps beside a patient's identity: insurance, a
// guardian for a minor, and whether the patient still belongs in the
// practice's lists (inactive, deceased, or retired by a merge).

// AdultAge is the age from which a patient needs no guardian.
const AdultAge = 18

// Insurance is the patient's cover as the front desk copies it from the card.
type Insurance struct {
	Payer    string `json:"payer"`
	MemberID string `json:"memberId"`
	Group    string `json:"group,omitempty"`
}

// Guardian is the adult who decides for a minor.
type Guardian struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
}

// IsZero reports whether no guardian is recorded.
func (g Guardian) IsZero() bool { return g == Guardian{} }

// Active reports whether the patient belongs in the practice's lists by
// default: the patient list, the day's list and recalls. An inactive or
// deceased patient, or a record retired by a merge, is kept but left out.
func (p *Patient) Active() bool { return !p.Inactive && !p.Deceased && p.Merged == nil }

// InRecalls reports whether the patient is to be recalled for screenings
// and check-ups: only an active patient is.
func (p *Patient) InRecalls() bool { return p.Active() }

// Active is Patient.Active for a search hit.
func (s *PatientSummary) Active() bool { return !s.Inactive && !s.Deceased && s.MergedInto == "" }

// Minor reports whether the patient is under AdultAge on now (false when
// the date of birth does not parse).
func (p *Patient) Minor(now time.Time) bool {
	age := Age(p.BirthDate, now)
	return age >= 0 && age < AdultAge
}

// NeedsGuardian reports whether the form should ask for a guardian: a
// living minor with none recorded. It is a prompt, never a refusal (a
// newborn is often registered before anyone has the details).
func (p *Patient) NeedsGuardian(now time.Time) bool {
	return p.Minor(now) && !p.Deceased && p.Guardian.IsZero()
}

var (
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$`)
	memberIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./-]*$`)
)

const maxMemberIDLen = 40

// validateStatus cleans insurance and guardian, adding each problem to probs.
func (p *Patient) validateStatus(probs *Problems) {
	probs.Add(cleanFields(
		textField{&p.Insurance.Payer, "insurance.payer", "The insurer", MaxShortTextLen, false, false},
		textField{&p.Insurance.MemberID, "insurance.memberId", "The member id", maxMemberIDLen, false, false},
		textField{&p.Insurance.Group, "insurance.group", "The group number", maxMemberIDLen, false, false},
	))
	ins := &p.Insurance
	if ins.MemberID != "" && !probs.Has("insurance.memberId") && !memberIDPattern.MatchString(ins.MemberID) {
		probs.Add(FieldError("insurance.memberId", "A member id is letters and digits (spaces, dots, dashes and slashes allowed), as on the card."))
	}
	if ins.Payer == "" && (ins.MemberID != "" || ins.Group != "") && !probs.Has("insurance.payer") {
		probs.Add(FieldError("insurance.payer", "Name the insurer this member id is with."))
	}
	if ins.Payer != "" && ins.MemberID == "" && !probs.Has("insurance.memberId") {
		probs.Add(FieldError("insurance.memberId", "Enter the member id from the insurance card."))
	}
	g := &p.Guardian
	probs.Add(cleanFields(
		textField{&g.Name, "guardian.name", "The guardian's name", MaxNameLen, false, false},
		textField{&g.Relationship, "guardian.relationship", "The guardian's relationship", MaxShortTextLen, false, false},
	))
	probs.Add(cleanPhone(&g.Phone, "guardian.phone", "The guardian's phone"))
	if g.Name == "" && (g.Relationship != "" || g.Phone != "") && !probs.Has("guardian.name") {
		probs.Add(FieldError("guardian.name", "Enter the guardian's name, or clear the guardian's other fields."))
	}
	if p.Merged != nil {
		probs.Add(p.Merged.validate(p.ID))
	}
}

// validEmail is a deliberately loose check: one @, something before it,
// a domain with a dot after it, no spaces. Whether the mailbox exists only
// a message can tell.
func validEmail(s string) bool {
	return emailPattern.MatchString(s) && !strings.ContainsAny(s, "<>,;\"")
}
