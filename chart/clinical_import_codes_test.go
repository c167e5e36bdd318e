package chart

import (
	"testing"
	"time"
)

// Imported records carry SNOMED CT codes (problems, allergies,
// procedures), and encounters of classes Outpost does not book.
func TestImportedCodesAndEncounterClasses(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.Local)
	p := Problem{Condition: Coded{System: SystemSNOMED, Code: "195662009", Display: "Acute viral pharyngitis"}}
	if err := p.Validate(now); err != nil {
		t.Errorf("a SNOMED CT problem: %v", err)
	}
	p.Condition.System = "http://example.org/local"
	if err := p.Validate(now); err == nil {
		t.Error("a code of an unknown system was accepted")
	}
	e := Encounter{Type: EncounterOther, Class: "EMER", Start: "2020-05-01T10:00"}
	if err := e.Validate(now); err != nil {
		t.Errorf("an imported emergency visit: %v", err)
	}
	e.Class = ""
	if err := e.Validate(now); err == nil {
		t.Error("an encounter of type other with no class was accepted")
	}
}
