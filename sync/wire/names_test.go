package wire

import (
	"errors"
	"strings"
	"testing"
)

func TestDeviceNamesThatHideOrForgeAreRefused(t *testing.T) {
	for _, name := range []string{
		"Reception\n0190f1a0-0000-7000-8000-0000000000ff  Admin PC  2025-01-01 10:00  active",
		"Reception\r",
		"Front\tdesk",
		"Exam \u202eemoc.live",   // right-to-left override
		"Exam \u2066room\u2069",  // isolates
		"Exam\u200broom",         // zero-width space
		"Exam\u200droom",         // zero-width joiner
		"\ufeffExam",             // byte order mark
		"Exam\u2028room",         // line separator
		"Exam\u3164",             // Hangul filler
		"Exam\x00",               // NUL
		"Exam \xff",              // not UTF-8
		"",                       // empty
		"   ",                    // blank
		strings.Repeat("é", 101), // too long
	} {
		err := CheckDeviceName(name)
		if err == nil {
			t.Errorf("%q was accepted", name)
			continue
		}
		e := EnrollRequest{Code: "c", DeviceID: testDevice, DeviceName: name, PublicKey: make([]byte, 32)}
		if err := e.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: enrolment validation got %v", name, err)
		}
	}
	for _, name := range []string{"Reception", "Exam room 2 (left)", "Salle d'examen é", "診察室", "غرفة الفحص", strings.Repeat("é", 100)} {
		if err := CheckDeviceName(name); err != nil {
			t.Errorf("%q refused: %v", name, err)
		}
	}
	if err := CheckDeviceName("Exam \u202eroom"); err == nil || !strings.Contains(err.Error(), "U+202E") {
		t.Errorf("the refusal should name the character: %v", err)
	}
}
