package chart

import (
	"testing"
	"time"
)

func TestOpenEncounterIsTodaysLatestUnclosed(t *testing.T) {
	now := time.Date(2026, 11, 23, 15, 0, 0, 0, time.Local)
	encs := []Encounter{
		{Meta: Meta{ID: "yesterday"}, Start: "2026-11-22T16:00"},
		{Meta: Meta{ID: "morning"}, Start: "2026-11-23T08:30"},
		{Meta: Meta{ID: "noon"}, Start: "2026-11-23T12:00"},
		{Meta: Meta{ID: "retracted", EnteredInError: &EnteredInError{}}, Start: "2026-11-23T14:00"},
		{Meta: Meta{ID: "damaged", Damaged: "x"}},
	}
	if got := OpenEncounter(encs, nil, now); got == nil || got.ID != "noon" {
		t.Fatalf("open = %+v, want noon", got)
	}
	if got := OpenEncounter(encs, map[RecordID]bool{"noon": true}, now); got == nil || got.ID != "morning" {
		t.Fatalf("noon closed: open = %+v, want morning", got)
	}
	if got := OpenEncounter(encs, map[RecordID]bool{"noon": true, "morning": true}, now); got != nil {
		t.Fatalf("all closed: open = %+v, want none", got)
	}
}

func TestWhichNotesCloseAnEncounter(t *testing.T) {
	for _, c := range []struct {
		kind             NoteKind
		signed, addendum bool
		want             bool
	}{
		{NoteClinical, true, false, true}, {"", true, false, true}, {NoteClinical, false, false, false},
		{NoteNursing, true, false, false}, {NoteClinical, true, true, false},
	} {
		if got := ClosesEncounter(c.kind, c.signed, c.addendum); got != c.want {
			t.Errorf("ClosesEncounter(%q, signed %v, addendum %v) = %v", c.kind, c.signed, c.addendum, got)
		}
	}
}

func TestSameCondition(t *testing.T) {
	i10 := Coded{System: SystemICD10CM, Code: "I10", Display: "Essential hypertension"}
	for _, c := range []struct {
		a, b Coded
		want bool
	}{
		{i10, Coded{System: SystemICD10CM, Code: "i10", Display: "HTN"}, true},
		{i10, Coded{Display: "Essential hypertension"}, false},
		{Coded{Display: "Low  back pain"}, Coded{Display: "low back pain "}, true},
		{Coded{Display: "Back pain"}, Coded{Display: "Neck pain"}, false},
	} {
		if got := SameCondition(c.a, c.b); got != c.want {
			t.Errorf("SameCondition(%+v, %+v) = %v", c.a, c.b, got)
		}
	}
}
