package chart

import (
	"strings"
	"testing"
	"time"
)

func TestTaskValidate(t *testing.T) {
	someone := UserID(NewRecordID())
	ok := Task{Text: "  Call Mrs Okafor back\n", AssignedTo: someone, Due: "2026-11-24"}
	if err := ok.Validate(); err != nil || ok.Text != "Call Mrs Okafor back" {
		t.Fatalf("Validate(%+v) = %v", ok, err)
	}
	for name, tk := range map[string]Task{
		"empty text":      {Text: " ", AssignedTo: someone},
		"nobody":          {Text: "x"},
		"bad assignee":    {Text: "x", AssignedTo: "sam"},
		"bad patient":     {Text: "x", AssignedTo: someone, PatientID: "okafor"},
		"impossible date": {Text: "x", AssignedTo: someone, Due: "2026-02-29"},
		"too long":        {Text: strings.Repeat("a", MaxTaskText+1), AssignedTo: someone},
	} {
		if err := tk.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: Validate = %v, want invalid", name, err)
		}
	}
}

// TestTaskOverdue: due yesterday is overdue, due today is not, and a done
// task never is.
func TestTaskOverdue(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local)
	for due, want := range map[string]bool{"2026-11-22": true, "2026-11-23": false, "2026-11-24": false, "": false} {
		if got := (&Task{Due: due}).Overdue(now); got != want {
			t.Errorf("due %q: overdue = %v, want %v", due, got, want)
		}
	}
	done := now
	if (&Task{Due: "2026-11-01", DoneAt: &done}).Overdue(now) {
		t.Error("a done task is overdue")
	}
}

func TestFormatCents(t *testing.T) {
	for cents, want := range map[int64]string{0: "$0.00", 5: "$0.05", 7550: "$75.50", 100000: "$1,000.00", 123456789: "$1,234,567.89", -250: "-$2.50"} {
		if got := FormatCents(cents); got != want {
			t.Errorf("FormatCents(%d) = %q, want %q", cents, got, want)
		}
	}
}

func TestSuperbillValidate(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local)
	line := SuperbillLine{Code: " xmpl-1 ", Description: "Example", FeeCents: 1250, Units: 3}
	b := Superbill{EncounterID: NewRecordID(), Date: "2026-11-23", Lines: []SuperbillLine{line, {Code: "XMPL-2", FeeCents: 100, Units: 1}},
		Diagnoses: []Coded{{System: SystemICD10CM, Code: "J02.9", Display: "Acute pharyngitis, unspecified"}}, TotalCents: 1}
	if err := b.Validate(now); err != nil || b.TotalCents != 3850 || b.Lines[0].Code != "XMPL-1" {
		t.Fatalf("Validate = %v, total %d, code %q; want 3 × 1250 + 100 = 3850 (the total is computed, not trusted)", err, b.TotalCents, b.Lines[0].Code)
	}
	for name, mutate := range map[string]func(*Superbill){
		"no encounter":  func(b *Superbill) { b.EncounterID = "" },
		"no services":   func(b *Superbill) { b.Lines = nil },
		"zero units":    func(b *Superbill) { b.Lines[0].Units = 0 },
		"100 units":     func(b *Superbill) { b.Lines[0].Units = MaxServiceUnits + 1 },
		"negative fee":  func(b *Superbill) { b.Lines[0].FeeCents = -1 },
		"fee too large": func(b *Superbill) { b.Lines[0].FeeCents = MaxFeeCents + 1 },
		"bad code":      func(b *Superbill) { b.Lines[0].Code = "99 213!" },
		"no date":       func(b *Superbill) { b.Date = "" },
	} {
		bad := b
		bad.Lines = append([]SuperbillLine(nil), b.Lines...)
		mutate(&bad)
		if err := bad.Validate(now); ErrorCode(err) != EINVALID {
			t.Errorf("%s: Validate = %v, want invalid", name, err)
		}
	}
}
