package chart

import (
	"context"
	"time"
)

// Merging two records of the same person. The retired record is kept, with
// a pointer to the survivor; nothing else is rewritten. The survivor's
// chart lists the records of every patient merged into it (a read-through
// union), so signed notes stay as signed, a record written offline to the
// retired patient after the merge still shows on the survivor, and undoing
// the merge is clearing the pointer.

// PatientMerge is the pointer a merge leaves on the retired record.
type PatientMerge struct {
	Into PatientID `json:"into"`
	At   time.Time `json:"at"`
	By   UserID    `json:"by"`
}

func (m *PatientMerge) validate(self PatientID) error {
	if !ValidID(string(m.Into)) {
		return FieldError("merged", "The patient this record was merged into has a malformed id.")
	}
	if m.Into == self {
		return FieldError("merged", "A patient cannot be merged into itself.")
	}
	return nil
}

// MergeSide is one of the two patients in a merge preview: the record and
// how many clinical records it holds.
type MergeSide struct {
	Patient Patient `json:"patient"`
	Records int     `json:"records"`
	// MergedFrom are the patients already merged into this one.
	MergedFrom []PatientSummary `json:"mergedFrom"`
}

// MergePreview is what an administrator confirms before merging: the
// survivor, the record to retire, and why they may be the same person.
type MergePreview struct {
	Survivor MergeSide `json:"survivor"`
	Retired  MergeSide `json:"retired"`
	// Reason is DuplicateReason's answer, empty when the two look different
	// (the form then asks the administrator to look twice).
	Reason string `json:"reason"`
	// Differences name the demographic fields that differ, for the preview.
	Differences []string `json:"differences"`
}

// CheckMerge returns a human error when retired cannot be merged into
// survivor.
func CheckMerge(survivor, retired *Patient) error {
	switch {
	case survivor.ID == retired.ID:
		return Errorf(EINVALID, "Choose two different patients to merge.")
	case retired.Merged != nil:
		return Errorf(ECONFLICT, "%s was already merged into another chart. Undo that merge first.", PatientDisplayName(retired.Summary()))
	case survivor.Merged != nil:
		return Errorf(ECONFLICT, "%s was merged into another chart: merge into that chart instead.", PatientDisplayName(survivor.Summary()))
	}
	return nil
}

// MergeDifferences names the demographic fields where a and b differ.
func MergeDifferences(a, b *Patient) []string {
	out := []string{}
	add := func(label string, x, y string) {
		if x != y {
			out = append(out, label)
		}
	}
	add("Family name", a.FamilyName, b.FamilyName)
	add("Given name", a.GivenName, b.GivenName)
	add("Date of birth", a.BirthDate, b.BirthDate)
	add("Sex", string(a.Sex), string(b.Sex))
	add("Phone", a.Phone, b.Phone)
	add("Email", a.Email, b.Email)
	add("Address", a.Address.Line1+a.Address.City, b.Address.Line1+b.Address.City)
	return out
}

// PatientMerger merges and unmerges patient records (administrators).
type PatientMerger interface {
	PreviewMerge(ctx context.Context, survivor, retired PatientID) (MergePreview, error)
	MergePatients(ctx context.Context, survivor, retired PatientID) (Patient, error)
	UndoMerge(ctx context.Context, retired PatientID) (Patient, error)
	// FindPatientsWith is FindPatients that, with inactive, also lists
	// inactive, deceased and merged patients.
	FindPatientsWith(ctx context.Context, query string, limit int, inactive bool) (PatientSearch, error)
}
